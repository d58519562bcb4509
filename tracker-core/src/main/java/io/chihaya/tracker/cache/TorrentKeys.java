package io.chihaya.tracker.cache;

import java.util.Arrays;

/**
 * The torrents read so far, by id and by info hash, for the reader's duplicate checks: two
 * open-addressing tables (linear probing) of plain arrays, so that a million torrents cost no boxed
 * key, map node or buffer wrapper each. Those objects lived through the whole read and were copied
 * by every collection during a start. Not thread-safe; one instance per read.
 */
final class TorrentKeys {
    private int[] ids;
    /** Position + 1 of the torrent whose id is in the same slot of {@link #ids}; 0 for a free slot. */
    private int[] idPositions;
    private byte[][] hashes;
    private int[] hashPositions;
    private int idCount;
    private int hashCount;

    /** Tables for about {@code expected} torrents (they grow past it). */
    TorrentKeys(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        ids = new int[capacity];
        idPositions = new int[capacity];
        hashes = new byte[capacity][];
        hashPositions = new int[capacity];
    }

    /**
     * Records that the torrent at {@code position} has this id.
     *
     * @return the position of an earlier torrent with the same id (nothing recorded then), or -1
     */
    int addId(int id, int position) {
        if ((idCount + 1) * 2 > ids.length) {
            growIds();
        }
        int mask = ids.length - 1;
        for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
            if (idPositions[slot] == 0) {
                ids[slot] = id;
                idPositions[slot] = position + 1;
                idCount++;
                return -1;
            }
            if (ids[slot] == id) {
                return idPositions[slot] - 1;
            }
        }
    }

    /**
     * Records that the torrent at {@code position} has this 20-byte info hash (the array is kept, not
     * copied).
     *
     * @return the position of an earlier torrent with the same info hash (nothing recorded then), or -1
     */
    int addHash(byte[] hash, int position) {
        if ((hashCount + 1) * 2 > hashes.length) {
            growHashes();
        }
        int mask = hashes.length - 1;
        for (int slot = mix(Arrays.hashCode(hash)) & mask; ; slot = (slot + 1) & mask) {
            if (hashes[slot] == null) {
                hashes[slot] = hash;
                hashPositions[slot] = position;
                hashCount++;
                return -1;
            }
            if (Arrays.equals(hashes[slot], hash)) {
                return hashPositions[slot];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void growIds() {
        int[] oldIds = ids;
        int[] oldPositions = idPositions;
        ids = new int[oldIds.length * 2];
        idPositions = new int[oldIds.length * 2];
        idCount = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldPositions[i] != 0) {
                addId(oldIds[i], oldPositions[i] - 1);
            }
        }
    }

    private void growHashes() {
        byte[][] oldHashes = hashes;
        int[] oldPositions = hashPositions;
        hashes = new byte[oldHashes.length * 2][];
        hashPositions = new int[oldHashes.length * 2];
        hashCount = 0;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != null) {
                addHash(oldHashes[i], oldPositions[i]);
            }
        }
    }
}
