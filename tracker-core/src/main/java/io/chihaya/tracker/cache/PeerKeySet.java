package io.chihaya.tracker.cache;

import io.chihaya.tracker.swarm.PeerSnapshot;

import java.util.Arrays;

/**
 * Finds duplicate (user id, peer id) keys among the peers of one torrent while a cache is read: open
 * addressing over indexes into the torrent's peer array, reused from torrent to torrent (a stamp per
 * slot instead of clearing), so a million peers cost no per-peer allocation. Not thread-safe.
 */
final class PeerKeySet {
    private int[] slots = new int[16];
    private int[] stamps = new int[16];
    private int stamp;
    private int mask;
    private PeerSnapshot[] peers;

    /** Starts a new torrent whose peers will be {@code peers[0, count)}. */
    void reset(PeerSnapshot[] peers, int count) {
        this.peers = peers;
        int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, count)) << 2);
        if (slots.length < capacity) {
            slots = new int[capacity];
            stamps = new int[capacity];
            stamp = 0;
        }
        mask = capacity - 1;
        stamp++;
        if (stamp == 0) { // wrapped after 2^32 torrents: forget every old stamp
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }

    /**
     * Adds {@code peers[index]}.
     *
     * @return the index of an earlier peer with the same key, or -1
     */
    int add(int index) {
        PeerSnapshot peer = peers[index];
        int hash = (Arrays.hashCode(peer.peerId()) * 31 + peer.userId()) * 0x9E3779B9;
        int slot = (hash ^ (hash >>> 16)) & mask;
        while (stamps[slot] == stamp) {
            PeerSnapshot other = peers[slots[slot]];
            if (other.userId() == peer.userId() && Arrays.equals(other.peerId(), peer.peerId())) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
        stamps[slot] = stamp;
        slots[slot] = index;
        return -1;
    }
}
