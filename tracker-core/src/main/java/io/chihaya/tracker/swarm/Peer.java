package io.chihaya.tracker.swarm;

/**
 * One client instance (user + 20-byte peer_id) on one torrent.
 *
 * <p>Kept compact: the peer_id is packed into two longs and an int instead of an array, the address
 * is an IPv4 int, times are unsigned 32-bit seconds. Not thread-safe: every field is guarded by the
 * monitor of the {@link Torrent} whose swarm holds the peer.
 */
public final class Peer {
    final int userId;
    final long idHigh;
    final long idMid;
    final int idLow;

    int ip;
    char port;
    long uploaded;
    long downloaded;
    long left;
    int startTime;
    int lastAnnounce;
    int clientId;
    boolean seeding;
    /** Index of this peer in its swarm's seeder or leecher array. */
    int position;

    Peer(int userId, long idHigh, long idMid, int idLow) {
        this.userId = userId;
        this.idHigh = idHigh;
        this.idMid = idMid;
        this.idLow = idLow;
    }

    /** Creates a peer from a 20-byte peer_id at {@code peerId[0, 20)}. */
    public static Peer create(int userId, byte[] peerId) {
        return new Peer(userId, PeerIds.high(peerId), PeerIds.mid(peerId), PeerIds.low(peerId));
    }

    /** Copies every field into an immutable view (for the cache and for tests). */
    public PeerSnapshot snapshot() {
        return new PeerSnapshot(userId, PeerIds.toBytes(idHigh, idMid, idLow), ip, port, uploaded, downloaded, left,
                Integer.toUnsignedLong(startTime), Integer.toUnsignedLong(lastAnnounce), clientId, seeding);
    }

    /** Rebuilds a peer from a snapshot (cache restore). */
    public static Peer restore(PeerSnapshot s) {
        Peer peer = create(s.userId(), s.peerId());
        peer.ip = s.ip();
        peer.port = (char) s.port();
        peer.uploaded = s.uploaded();
        peer.downloaded = s.downloaded();
        peer.left = s.left();
        peer.startTime = (int) s.startTime();
        peer.lastAnnounce = (int) s.lastAnnounce();
        peer.clientId = s.clientId();
        peer.seeding = s.seeding();
        return peer;
    }

    boolean sameKey(int otherUser, long otherHigh, long otherMid, int otherLow) {
        return userId == otherUser && idHigh == otherHigh && idMid == otherMid && idLow == otherLow;
    }

    /** The user this peer belongs to. */
    public int userId() {
        return userId;
    }

    /** IPv4 address as an int, network order in its bits. */
    public int ip() {
        return ip;
    }

    /** Port 0-65535. */
    public int port() {
        return port;
    }

    /** Whether the peer is a seeder. */
    public boolean seeding() {
        return seeding;
    }

    /** Last announce, seconds since the epoch. */
    public long lastAnnounce() {
        return Integer.toUnsignedLong(lastAnnounce);
    }
}
