package io.chihaya.tracker.swarm;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The seeders and leechers of one torrent, keyed by (user id, peer_id).
 *
 * <p>Each side is a dense array (removal swaps the last peer into the hole) so that random selection
 * is a matter of indexes; a small open-addressing index finds a peer by its key without allocating.
 * Arrays start tiny and grow on demand, so the many one-peer swarms of a private tracker stay small.
 * Not thread-safe: guarded by the monitor of the owning {@link Torrent}.
 */
public final class Swarm {
    private static final Peer[] NO_PEERS = new Peer[0];

    private Peer[] seeders = NO_PEERS;
    private int seederCount;
    private Peer[] leechers = NO_PEERS;
    private int leecherCount;
    /** Open addressing with linear probing; length a power of two, at most half full. */
    private Peer[] index = NO_PEERS;

    /** Number of seeders. */
    public int seeders() {
        return seederCount;
    }

    /** Number of leechers. */
    public int leechers() {
        return leecherCount;
    }

    /** Seeders plus leechers. */
    public int size() {
        return seederCount + leecherCount;
    }

    Peer seederAt(int i) {
        return seeders[i];
    }

    Peer leecherAt(int i) {
        return leechers[i];
    }

    /** The peer with that key, or null. */
    Peer find(int userId, long high, long mid, int low) {
        if (index.length == 0) {
            return null;
        }
        int mask = index.length - 1;
        int slot = hash(userId, high, mid, low) & mask;
        while (true) {
            Peer candidate = index[slot];
            if (candidate == null) {
                return null;
            }
            if (candidate.sameKey(userId, high, mid, low)) {
                return candidate;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds a peer that is not in the swarm yet, on the side its {@code seeding} flag says. */
    public void add(Peer peer) {
        if ((size() + 1) * 2 > index.length) {
            resizeIndex(Math.max(4, index.length * 2));
        }
        insertIntoIndex(index, peer);
        append(peer);
    }

    /** Removes a peer that is in the swarm. */
    public void remove(Peer peer) {
        detach(peer);
        removeFromIndex(peer);
        if (index.length > 16 && size() * 8 < index.length) {
            resizeIndex(index.length / 2);
        }
    }

    /** Moves a peer to the other side and flips its {@code seeding} flag. */
    void setSeeding(Peer peer, boolean seeding) {
        if (peer.seeding == seeding) {
            return;
        }
        detach(peer);
        peer.seeding = seeding;
        append(peer);
    }

    /**
     * Removes every peer whose last announce is before {@code cutoff} (seconds since the epoch).
     *
     * @return how many peers were removed
     */
    public int purgeOlderThan(long cutoff) {
        int removed = 0;
        for (int i = seederCount - 1; i >= 0; i--) {
            if (Integer.toUnsignedLong(seeders[i].lastAnnounce) < cutoff) {
                remove(seeders[i]);
                removed++;
            }
        }
        for (int i = leecherCount - 1; i >= 0; i--) {
            if (Integer.toUnsignedLong(leechers[i].lastAnnounce) < cutoff) {
                remove(leechers[i]);
                removed++;
            }
        }
        return removed;
    }

    /** Calls {@code action} for every peer, seeders first. */
    public void forEach(Consumer<Peer> action) {
        for (int i = 0; i < seederCount; i++) {
            action.accept(seeders[i]);
        }
        for (int i = 0; i < leecherCount; i++) {
            action.accept(leechers[i]);
        }
    }

    private void append(Peer peer) {
        if (peer.seeding) {
            if (seederCount == seeders.length) {
                seeders = Arrays.copyOf(seeders, Math.max(2, seederCount * 2));
            }
            peer.position = seederCount;
            seeders[seederCount++] = peer;
        } else {
            if (leecherCount == leechers.length) {
                leechers = Arrays.copyOf(leechers, Math.max(2, leecherCount * 2));
            }
            peer.position = leecherCount;
            leechers[leecherCount++] = peer;
        }
    }

    private void detach(Peer peer) {
        Peer[] side = peer.seeding ? seeders : leechers;
        int last = (peer.seeding ? --seederCount : --leecherCount);
        Peer moved = side[last];
        side[peer.position] = moved;
        moved.position = peer.position;
        side[last] = null;
        if (side.length > 8 && last * 4 < side.length) {
            Peer[] shrunk = Arrays.copyOf(side, side.length / 2);
            if (peer.seeding) {
                seeders = shrunk;
            } else {
                leechers = shrunk;
            }
        }
    }

    private void resizeIndex(int capacity) {
        Peer[] fresh = new Peer[capacity];
        for (Peer peer : index) {
            if (peer != null) {
                insertIntoIndex(fresh, peer);
            }
        }
        index = fresh;
    }

    private static void insertIntoIndex(Peer[] table, Peer peer) {
        int mask = table.length - 1;
        int slot = hash(peer.userId, peer.idHigh, peer.idMid, peer.idLow) & mask;
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        table[slot] = peer;
    }

    private void removeFromIndex(Peer peer) {
        int mask = index.length - 1;
        int slot = hash(peer.userId, peer.idHigh, peer.idMid, peer.idLow) & mask;
        while (index[slot] != peer) {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int hole = slot;
        int next = (hole + 1) & mask;
        while (index[next] != null) {
            Peer candidate = index[next];
            int home = hash(candidate.userId, candidate.idHigh, candidate.idMid, candidate.idLow) & mask;
            boolean canMove = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (canMove) {
                index[hole] = candidate;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        index[hole] = null;
    }

    private static int hash(int userId, long high, long mid, int low) {
        long h = (high ^ Long.rotateLeft(mid, 21) ^ ((long) low << 32 | (userId & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
