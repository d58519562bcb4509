package io.chihaya.tracker.swarm;

import io.chihaya.tracker.model.TorrentType;

/**
 * A torrent known to the tracker: its database row and its swarm.
 *
 * <p>The torrent's own monitor guards every mutable field and the swarm: an announce holds it for the
 * update and the peer selection only, and announces on different torrents never contend. A reload
 * updates the row fields through {@link #updateFromDatabase} under the same monitor, so the swarm of a
 * torrent that stays in the database is kept across reloads.
 */
public final class Torrent {
    private final int id;
    private final byte[] infoHash;
    final Swarm swarm = new Swarm();

    private int status;
    private long snatched;
    private double downMultiplier;
    private double upMultiplier;
    private int groupId;
    private TorrentType type;
    private long lastAction;

    /** A torrent with no peers yet. */
    public Torrent(int id, byte[] infoHash, int status, long snatched, double downMultiplier, double upMultiplier,
                   int groupId, TorrentType type, long lastAction) {
        if (infoHash.length != 20) {
            throw new IllegalArgumentException("info_hash of torrent " + id + " is " + infoHash.length + " bytes, not 20");
        }
        this.id = id;
        this.infoHash = infoHash;
        this.status = status;
        this.snatched = snatched;
        this.downMultiplier = downMultiplier;
        this.upMultiplier = upMultiplier;
        this.groupId = groupId;
        this.type = type;
        this.lastAction = lastAction;
    }

    /** {@code torrents.ID}. */
    public int id() {
        return id;
    }

    /** The raw 20-byte info hash; callers must not modify it. */
    public byte[] infoHash() {
        return infoHash;
    }

    /**
     * Replaces the row fields with a fresh database read, keeping the swarm.
     *
     * @param snatched the database's Snatched plus snatches still waiting to be flushed
     */
    public synchronized void updateFromDatabase(int status, long snatched, double downMultiplier, double upMultiplier,
                                                int groupId, TorrentType type) {
        this.status = status;
        this.snatched = snatched;
        this.downMultiplier = downMultiplier;
        this.upMultiplier = upMultiplier;
        this.groupId = groupId;
        this.type = type;
    }

    /** Whether a fresh database read would leave the row fields as they are. */
    public synchronized boolean hasDatabaseFields(int status, long snatched, double downMultiplier,
                                                  double upMultiplier, int groupId, TorrentType type) {
        return this.status == status && this.snatched == snatched
                && Double.compare(this.downMultiplier, downMultiplier) == 0
                && Double.compare(this.upMultiplier, upMultiplier) == 0 && this.groupId == groupId
                && this.type == type;
    }

    /** A consistent copy of the row fields and every peer. */
    public synchronized TorrentSnapshot snapshot() {
        PeerSnapshot[] peers = new PeerSnapshot[swarm.size()];
        int[] next = {0};
        swarm.forEach(peer -> peers[next[0]++] = peer);
        return new TorrentSnapshot(id, infoHash.clone(), status, snatched, downMultiplier, upMultiplier, groupId, type,
                lastAction, java.util.List.of(peers));
    }

    /** Rebuilds a torrent and its swarm from a snapshot (cache restore). */
    public static Torrent restore(TorrentSnapshot s) {
        Torrent torrent = new Torrent(s.id(), s.infoHash().clone(), s.status(), s.snatched(), s.downMultiplier(),
                s.upMultiplier(), s.groupId(), s.type(), s.lastAction());
        torrent.swarm.reserve(s.peers().size());
        for (PeerSnapshot peer : s.peers()) {
            torrent.swarm.add(peer);
        }
        return torrent;
    }

    /**
     * Makes room for {@code peers} more peers at once, before a cache restore adds them with
     * {@link #restorePeer}.
     */
    public synchronized void reservePeers(int peers) {
        swarm.reserve(swarm.size() + peers);
    }

    /**
     * Adds one peer read from a cache file (start-up), its 20-byte peer_id at {@code peerId[offset]};
     * the times are unsigned seconds. Values too big for the swarm's narrow records widen it, as an
     * announce would.
     *
     * @return false, with nothing changed, when the swarm already holds that user and peer_id
     */
    public synchronized boolean restorePeer(int userId, byte[] peerId, int offset, int ip, int port, long uploaded,
                                            long downloaded, long left, long startTime, long lastAnnounce,
                                            int clientId, boolean seeding) {
        return swarm.restore(userId, peerId, offset, ip, port, uploaded, downloaded, left, (int) startTime,
                (int) lastAnnounce, clientId, seeding);
    }

    /**
     * Removes peers idle since before {@code cutoff}.
     *
     * @return the number removed
     */
    public synchronized int purgeOlderThan(long cutoff) {
        return swarm.purgeOlderThan(cutoff);
    }

    /**
     * Removes peers idle since before {@code cutoff} and, when any left, reports the new counts.
     *
     * @return the number removed
     */
    public synchronized int purgeOlderThan(long cutoff, io.chihaya.tracker.stats.StatSink sink) {
        int removed = swarm.purgeOlderThan(cutoff);
        if (removed > 0) {
            sink.torrent(id, groupId, type, swarm.seeders(), swarm.leechers(), 0, lastAction);
        }
        return removed;
    }

    /** Current seeder count. */
    public synchronized int seeders() {
        return swarm.seeders();
    }

    /** Current leecher count. */
    public synchronized int leechers() {
        return swarm.leechers();
    }

    /** Current Snatched as the tracker reports it. */
    public synchronized long snatched() {
        return snatched;
    }

    /** Current Status. */
    public synchronized int status() {
        return status;
    }

    /** Last time a seeder announced (seconds). */
    public synchronized long lastAction() {
        return lastAction;
    }

    // Unsynchronized accessors for code that already holds the monitor (the announce path).

    int statusLocked() {
        return status;
    }

    void setStatusLocked(int status) {
        this.status = status;
    }

    long snatchedLocked() {
        return snatched;
    }

    void addSnatchLocked() {
        snatched++;
    }

    double downMultiplierLocked() {
        return downMultiplier;
    }

    double upMultiplierLocked() {
        return upMultiplier;
    }

    int groupIdLocked() {
        return groupId;
    }

    TorrentType typeLocked() {
        return type;
    }

    long lastActionLocked() {
        return lastAction;
    }

    void setLastActionLocked(long lastAction) {
        this.lastAction = lastAction;
    }
}
