package io.chihaya.tracker.swarm;

import io.chihaya.tracker.model.TorrentType;

/**
 * What one announce did to a swarm, and the peers chosen for the response, copied out while the
 * torrent's lock was held so that the response can be written after releasing it.
 *
 * <p>A reusable per-thread holder; not thread-safe.
 */
public final class AnnounceOutcome {
    /** Why the swarm refused the announce. */
    public enum Refusal {
        NONE, TORRENT_STATUS, DOWNLOAD_DISABLED
    }

    Refusal refusal;
    int status;
    boolean unpruned;

    boolean seeding;
    boolean snatch;
    long rawUp;
    long rawDown;
    long deltaTime;
    long seedTime;
    long startTime;

    int seeders;
    int leechers;
    long snatched;
    long lastAction;
    int groupId;
    TorrentType type;
    double torrentDown;
    double torrentUp;

    int peerCount;
    final int[] peerIps;
    final char[] peerPorts;
    final byte[] peerIds;
    final int[] chosenUsers;
    /** For each user in {@link #chosenUsers}: its seeders seen so far and the output slot of its pick. */
    final int[] chosenUserSeen;
    final int[] chosenUserSlot;

    /** A holder able to carry up to {@code maxPeers} peers. */
    public AnnounceOutcome(int maxPeers) {
        peerIps = new int[maxPeers];
        peerPorts = new char[maxPeers];
        peerIds = new byte[maxPeers * 20];
        chosenUsers = new int[maxPeers];
        chosenUserSeen = new int[maxPeers];
        chosenUserSlot = new int[maxPeers];
    }

    /** Peers this holder can carry. */
    public int capacity() {
        return peerIps.length;
    }

    public Refusal refusal() {
        return refusal;
    }

    /** The torrent's Status when refused for it. */
    public int status() {
        return status;
    }

    /** Whether this announce un-pruned the torrent. */
    public boolean unpruned() {
        return unpruned;
    }

    public boolean seeding() {
        return seeding;
    }

    /** Whether this announce is a snatch. */
    public boolean snatch() {
        return snatch;
    }

    /** Raw upload delta (clamped to Long.MAX_VALUE). */
    public long rawUp() {
        return rawUp;
    }

    public long rawDown() {
        return rawDown;
    }

    public long deltaTime() {
        return deltaTime;
    }

    public long seedTime() {
        return seedTime;
    }

    public long startTime() {
        return startTime;
    }

    public int seeders() {
        return seeders;
    }

    public int leechers() {
        return leechers;
    }

    public long snatched() {
        return snatched;
    }

    public long lastAction() {
        return lastAction;
    }

    public int groupId() {
        return groupId;
    }

    public TorrentType type() {
        return type;
    }

    public double torrentDownMultiplier() {
        return torrentDown;
    }

    public double torrentUpMultiplier() {
        return torrentUp;
    }

    /** Number of peers chosen for the response. */
    public int peerCount() {
        return peerCount;
    }

    /** Address of chosen peer {@code i}. */
    public int peerIp(int i) {
        return peerIps[i];
    }

    /** Port of chosen peer {@code i}. */
    public int peerPort(int i) {
        return peerPorts[i];
    }

    /** The peer ids, peer {@code i} at {@code [20 i, 20 i + 20)}. */
    public byte[] peerIds() {
        return peerIds;
    }
}
