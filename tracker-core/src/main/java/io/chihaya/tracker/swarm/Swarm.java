package io.chihaya.tracker.swarm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The seeders and leechers of one torrent, keyed by (user id, peer_id), stored as fixed-size records in
 * one byte array instead of one object per peer.
 *
 * <p>A peer is a <em>slot</em>: the index of its record. Seeders fill the slots {@code [0, seeders)}
 * from the front, leechers the slots {@code [capacity - leechers, capacity)} from the back, so each
 * side stays dense (a removal moves that side's last record into the hole) and a random choice is a
 * matter of indexes. Slot numbers change when peers are added, removed or moved and when the array is
 * resized: a slot is valid only until the next change to the swarm.
 *
 * <p>A record holds, little-endian: user id (4 bytes), the 20 bytes of the peer_id as received, IPv4
 * address (4), port (2), first and last announce (4 each, unsigned seconds), then the client id and the
 * last reported uploaded, downloaded and left. In the <em>narrow</em> layout (58 bytes) the client id
 * takes 2 bytes and each counter 6 (up to 2^48 - 1, 256 TiB); the first peer whose values do not fit
 * turns the swarm <em>wide</em> (66 bytes: a 4-byte client id and 8-byte counters), so no value is ever
 * cut. An empty swarm frees its array and is narrow again.
 *
 * <p>Swarms of up to {@value #SCAN_LIMIT} peers are searched by scanning their records; bigger ones
 * keep an open-addressing index (linear probing) of slot + 1, large enough for the whole capacity at
 * three quarters full and rebuilt whenever the array is resized, in a
 * {@code char[]} while the capacity allows, else an {@code int[]}. The array grows by a sixteenth (by
 * one record while small) and shrinks when less than half used, so little of it is ever empty.
 * Not thread-safe: guarded by the monitor of the owning {@link Torrent}.
 */
public final class Swarm {
    static final int NARROW = 58;
    static final int WIDE = 66;
    /** Swarms of up to this many peers have no index. */
    static final int SCAN_LIMIT = 16;
    /** An index is dropped again only below this size, so that a swarm at the limit does not flap. */
    private static final int DROP_INDEX = 8;
    /** Largest capacity whose slot + 1 fits in a char. */
    private static final int CHAR_INDEX_CAPACITY = 0xFFFE;

    private static final int USER = 0;
    private static final int PEER_ID = 4;
    private static final int IP = 24;
    private static final int PORT = 28;
    private static final int START = 30;
    private static final int LAST = 34;
    private static final int CLIENT = 38;
    private static final int NARROW_UP = 40;
    private static final int NARROW_DOWN = 46;
    private static final int NARROW_LEFT = 52;
    private static final int WIDE_UP = 42;
    private static final int WIDE_DOWN = 50;
    private static final int WIDE_LEFT = 58;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NO_RECORDS = new byte[0];

    private byte[] records = NO_RECORDS;
    private int capacity;
    private int recordSize = NARROW;
    private int seederCount;
    private int leecherCount;
    /** The index while the capacity fits a char, else null. */
    private char[] index;
    /** The index of a swarm whose capacity does not fit a char, else null. */
    private int[] wideIndex;

    /** The first 8 bytes of a peer_id, as this class compares them. */
    static long keyHigh(byte[] peerId) {
        return (long) LONG.get(peerId, 0);
    }

    /** Bytes 8-15 of a peer_id, as this class compares them. */
    static long keyMid(byte[] peerId) {
        return (long) LONG.get(peerId, 8);
    }

    /** Bytes 16-19 of a peer_id, as this class compares them. */
    static int keyLow(byte[] peerId) {
        return (int) INT.get(peerId, 16);
    }

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

    /** The slot of the i-th seeder, {@code 0 <= i < seeders()}. */
    int seederSlot(int i) {
        return i;
    }

    /** The slot of the i-th leecher, {@code 0 <= i < leechers()}. */
    int leecherSlot(int i) {
        return capacity - 1 - i;
    }

    /** Whether the peer in that slot is a seeder. */
    boolean isSeeder(int slot) {
        return slot < seederCount;
    }

    /** Whether the records use the wide layout (tests). */
    boolean isWide() {
        return recordSize == WIDE;
    }

    /** The slot of the peer with that key, or -1. */
    int find(int userId, long high, long mid, int low) {
        int length = indexLength();
        if (length > 0) {
            int i = home(hash(userId, high, mid, low), length);
            while (true) {
                int entry = entryAt(i);
                if (entry == 0) {
                    return -1;
                }
                if (hasKey(entry - 1, userId, high, mid, low)) {
                    return entry - 1;
                }
                i = i + 1 == length ? 0 : i + 1;
            }
        }
        for (int slot = 0; slot < seederCount; slot++) {
            if (hasKey(slot, userId, high, mid, low)) {
                return slot;
            }
        }
        for (int slot = capacity - leecherCount; slot < capacity; slot++) {
            if (hasKey(slot, userId, high, mid, low)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Adds a peer that is not in the swarm yet, with every other field zero.
     *
     * @return its slot
     */
    int add(int userId, long high, long mid, int low, boolean seeding) {
        int size = size();
        if (size == capacity) {
            resize(capacity + Math.max(1, capacity >> 4));
        }
        int slot = seeding ? seederCount++ : capacity - 1 - leecherCount++;
        int off = slot * recordSize;
        Arrays.fill(records, off, off + recordSize, (byte) 0);
        INT.set(records, off + USER, userId);
        LONG.set(records, off + PEER_ID, high);
        LONG.set(records, off + PEER_ID + 8, mid);
        INT.set(records, off + PEER_ID + 16, low);
        // An index always has room for the whole capacity (see rebuildIndex), so it never needs growing here.
        if (indexLength() > 0) {
            indexInsert(slot);
        } else if (size + 1 > SCAN_LIMIT) {
            rebuildIndex();
        }
        return slot;
    }

    /**
     * Makes room for {@code peers} peers in one step, for a cache restore that knows the count:
     * {@link #add} alone grows the array by a sixteenth at a time, copying it and rebuilding the
     * index each time, which for a swarm of thousands is a hundred copies.
     */
    public void reserve(int peers) {
        if (peers > capacity) {
            resize(peers);
        }
    }

    /** Adds a peer from a snapshot (cache restore); its key must not be in the swarm yet. */
    public void add(PeerSnapshot peer) {
        byte[] id = peer.peerId();
        int slot = add(peer.userId(), keyHigh(id), keyMid(id), keyLow(id), peer.seeding());
        update(slot, peer.uploaded(), peer.downloaded(), peer.left(), peer.ip(), peer.port(), peer.clientId(),
                (int) peer.lastAnnounce());
        setStartTime(slot, (int) peer.startTime());
    }

    /**
     * Adds a peer read straight from a cache file (start-up), its peer_id at
     * {@code peerId[offset, offset + 20)}, without building a {@link PeerSnapshot} first.
     *
     * @return false, with nothing changed, when the swarm already holds that user and peer_id
     */
    boolean restore(int userId, byte[] peerId, int offset, int ip, int port, long uploaded, long downloaded,
                    long left, int startTime, int lastAnnounce, int clientId, boolean seeding) {
        long high = (long) LONG.get(peerId, offset);
        long mid = (long) LONG.get(peerId, offset + 8);
        int low = (int) INT.get(peerId, offset + 16);
        if (find(userId, high, mid, low) >= 0) {
            return false;
        }
        int slot = add(userId, high, mid, low, seeding);
        update(slot, uploaded, downloaded, left, ip, port, clientId, lastAnnounce);
        setStartTime(slot, startTime);
        return true;
    }

    /** Removes the peer in that slot. */
    void remove(int slot) {
        detach(slot);
        afterRemovals();
    }

    /**
     * Moves the peer in that slot to the seeders or the leechers.
     *
     * @return its slot afterwards
     */
    int setSeeding(int slot, boolean seeding) {
        if (isSeeder(slot) == seeding) {
            return slot;
        }
        int off = slot * recordSize;
        byte[] saved = Arrays.copyOfRange(records, off, off + recordSize);
        detach(slot);
        // The detach freed a slot, so the other side's next one is free whatever the capacity.
        int to = seeding ? seederCount++ : capacity - 1 - leecherCount++;
        System.arraycopy(saved, 0, records, to * recordSize, recordSize);
        if (indexLength() > 0) {
            indexInsert(to);
        }
        return to;
    }

    /** Stores what an announce reports; turns the swarm wide first if a value needs it. */
    void update(int slot, long uploaded, long downloaded, long left, int ip, int port, int clientId,
                int lastAnnounce) {
        if (recordSize == NARROW && !(fitsNarrow(uploaded) && fitsNarrow(downloaded) && fitsNarrow(left)
                && clientId >= 0 && clientId <= 0xFFFF)) {
            widen();
        }
        int off = slot * recordSize;
        INT.set(records, off + IP, ip);
        SHORT.set(records, off + PORT, (short) port);
        INT.set(records, off + LAST, lastAnnounce);
        if (recordSize == NARROW) {
            SHORT.set(records, off + CLIENT, (short) clientId);
            setNarrow(off + NARROW_UP, uploaded);
            setNarrow(off + NARROW_DOWN, downloaded);
            setNarrow(off + NARROW_LEFT, left);
        } else {
            INT.set(records, off + CLIENT, clientId);
            LONG.set(records, off + WIDE_UP, uploaded);
            LONG.set(records, off + WIDE_DOWN, downloaded);
            LONG.set(records, off + WIDE_LEFT, left);
        }
    }

    void setStartTime(int slot, int seconds) {
        INT.set(records, slot * recordSize + START, seconds);
    }

    int userId(int slot) {
        return (int) INT.get(records, slot * recordSize + USER);
    }

    /** IPv4 address as an int whose bytes are in network order from the most significant. */
    int ip(int slot) {
        return (int) INT.get(records, slot * recordSize + IP);
    }

    int port(int slot) {
        return (short) SHORT.get(records, slot * recordSize + PORT) & 0xFFFF;
    }

    /** First announce, unsigned seconds since the epoch. */
    long startTime(int slot) {
        return Integer.toUnsignedLong((int) INT.get(records, slot * recordSize + START));
    }

    /** Last announce, unsigned seconds since the epoch. */
    long lastAnnounce(int slot) {
        return Integer.toUnsignedLong((int) INT.get(records, slot * recordSize + LAST));
    }

    int clientId(int slot) {
        int off = slot * recordSize + CLIENT;
        return recordSize == NARROW ? (short) SHORT.get(records, off) & 0xFFFF : (int) INT.get(records, off);
    }

    long uploaded(int slot) {
        int off = slot * recordSize;
        return recordSize == NARROW ? narrow(off + NARROW_UP) : (long) LONG.get(records, off + WIDE_UP);
    }

    long downloaded(int slot) {
        int off = slot * recordSize;
        return recordSize == NARROW ? narrow(off + NARROW_DOWN) : (long) LONG.get(records, off + WIDE_DOWN);
    }

    long left(int slot) {
        int off = slot * recordSize;
        return recordSize == NARROW ? narrow(off + NARROW_LEFT) : (long) LONG.get(records, off + WIDE_LEFT);
    }

    /** Writes the peer's 20-byte peer_id at {@code out[offset]}. */
    void copyPeerId(int slot, byte[] out, int offset) {
        System.arraycopy(records, slot * recordSize + PEER_ID, out, offset, 20);
    }

    /** An immutable copy of the peer in that slot. */
    PeerSnapshot snapshot(int slot) {
        int off = slot * recordSize;
        return new PeerSnapshot(userId(slot), Arrays.copyOfRange(records, off + PEER_ID, off + PEER_ID + 20), ip(slot),
                port(slot), uploaded(slot), downloaded(slot), left(slot), startTime(slot), lastAnnounce(slot),
                clientId(slot), isSeeder(slot));
    }

    /**
     * Removes every peer whose last announce is before {@code cutoff} (seconds since the epoch).
     *
     * @return how many peers were removed
     */
    public int purgeOlderThan(long cutoff) {
        int removed = 0;
        // Downwards, so that the record a removal moves into the hole has been looked at already.
        for (int i = seederCount - 1; i >= 0; i--) {
            if (lastAnnounce(i) < cutoff) {
                detach(i);
                removed++;
            }
        }
        for (int i = leecherCount - 1; i >= 0; i--) {
            int slot = capacity - 1 - i;
            if (lastAnnounce(slot) < cutoff) {
                detach(slot);
                removed++;
            }
        }
        if (removed > 0) {
            afterRemovals();
        }
        return removed;
    }

    /** Calls {@code action} with a copy of every peer, seeders first, each side in slot order. */
    public void forEach(Consumer<PeerSnapshot> action) {
        for (int i = 0; i < seederCount; i++) {
            action.accept(snapshot(seederSlot(i)));
        }
        for (int i = 0; i < leecherCount; i++) {
            action.accept(snapshot(leecherSlot(i)));
        }
    }

    /** Capacity in records (tests). */
    int capacity() {
        return capacity;
    }

    /** Length of the index, 0 when there is none (tests). */
    int indexLength() {
        return index != null ? index.length : wideIndex != null ? wideIndex.length : 0;
    }

    /** Takes the peer out of its side, moving that side's last record into its slot; no resizing. */
    private void detach(int slot) {
        if (indexLength() > 0) {
            indexDelete(slot);
        }
        int last;
        if (slot < seederCount) {
            last = --seederCount;
        } else {
            last = capacity - leecherCount;
            leecherCount--;
        }
        if (last != slot) {
            System.arraycopy(records, last * recordSize, records, slot * recordSize, recordSize);
            if (indexLength() > 0) {
                repoint(last, slot);
            }
        }
    }

    /**
     * Shrinks the array when it has become sparse, or drops the index of a swarm that has become small.
     * The index is sized by the capacity, so it shrinks with the array.
     */
    private void afterRemovals() {
        int size = size();
        if (size == 0) {
            records = NO_RECORDS;
            capacity = 0;
            recordSize = NARROW;
            index = null;
            wideIndex = null;
        } else if (capacity > 4 && size < capacity / 2) {
            resize(size + Math.max(1, size >> 4));
        } else if (indexLength() > 0 && size < DROP_INDEX) {
            rebuildIndex();
        }
    }

    /** New array of that capacity; leechers move to its new end, so the index is rebuilt. */
    private void resize(int newCapacity) {
        byte[] fresh = new byte[newCapacity * recordSize];
        System.arraycopy(records, 0, fresh, 0, seederCount * recordSize);
        int leechersFrom = (capacity - leecherCount) * recordSize;
        System.arraycopy(records, leechersFrom, fresh, fresh.length - leecherCount * recordSize,
                leecherCount * recordSize);
        records = fresh;
        capacity = newCapacity;
        if (indexLength() > 0 || size() > SCAN_LIMIT) {
            rebuildIndex();
        }
    }

    /** Rewrites every record in the wide layout; slots stay, so does the index. */
    private void widen() {
        byte[] fresh = new byte[capacity * WIDE];
        for (int slot = 0; slot < capacity; slot++) {
            if (slot >= seederCount && slot < capacity - leecherCount) {
                continue;
            }
            int from = slot * NARROW;
            int to = slot * WIDE;
            System.arraycopy(records, from, fresh, to, CLIENT);
            INT.set(fresh, to + CLIENT, (short) SHORT.get(records, from + CLIENT) & 0xFFFF);
            LONG.set(fresh, to + WIDE_UP, narrow(from + NARROW_UP));
            LONG.set(fresh, to + WIDE_DOWN, narrow(from + NARROW_DOWN));
            LONG.set(fresh, to + WIDE_LEFT, narrow(from + NARROW_LEFT));
        }
        records = fresh;
        recordSize = WIDE;
    }

    /** Builds the index for the current peers, or drops it if the swarm is small. */
    private void rebuildIndex() {
        int size = size();
        boolean keep = size > SCAN_LIMIT || (indexLength() > 0 && size >= DROP_INDEX);
        index = null;
        wideIndex = null;
        if (!keep) {
            return;
        }
        // Room for the whole capacity at three quarters full: the array is resized, and the index rebuilt,
        // before the swarm outgrows it, so it is never built larger than that needs.
        int length = capacity * 4 / 3 + 1;
        if (capacity <= CHAR_INDEX_CAPACITY) {
            index = new char[length];
        } else {
            wideIndex = new int[length];
        }
        for (int slot = 0; slot < seederCount; slot++) {
            indexInsert(slot);
        }
        for (int slot = capacity - leecherCount; slot < capacity; slot++) {
            indexInsert(slot);
        }
    }

    private int entryAt(int i) {
        return index != null ? index[i] : wideIndex[i];
    }

    private void setEntry(int i, int value) {
        if (index != null) {
            index[i] = (char) value;
        } else {
            wideIndex[i] = value;
        }
    }

    private int homeOf(int slot, int length) {
        int off = slot * recordSize;
        return home(hash((int) INT.get(records, off + USER), (long) LONG.get(records, off + PEER_ID),
                (long) LONG.get(records, off + PEER_ID + 8), (int) INT.get(records, off + PEER_ID + 16)), length);
    }

    private void indexInsert(int slot) {
        int length = indexLength();
        int i = homeOf(slot, length);
        while (entryAt(i) != 0) {
            i = i + 1 == length ? 0 : i + 1;
        }
        setEntry(i, slot + 1);
    }

    /** The index position holding {@code slot}; the record in that slot is hashed to find it. */
    private int positionOf(int slot, int recordSlot) {
        int length = indexLength();
        int i = homeOf(recordSlot, length);
        while (entryAt(i) != slot + 1) {
            i = i + 1 == length ? 0 : i + 1;
        }
        return i;
    }

    /** The record of {@code from} now sits in {@code to}: point its index entry there. */
    private void repoint(int from, int to) {
        setEntry(positionOf(from, to), to + 1);
    }

    private void indexDelete(int slot) {
        int length = indexLength();
        int hole = positionOf(slot, slot);
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int next = hole + 1 == length ? 0 : hole + 1;
        while (entryAt(next) != 0) {
            int home = homeOf(entryAt(next) - 1, length);
            boolean canMove = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (canMove) {
                setEntry(hole, entryAt(next));
                hole = next;
            }
            next = next + 1 == length ? 0 : next + 1;
        }
        setEntry(hole, 0);
    }

    private boolean hasKey(int slot, int userId, long high, long mid, int low) {
        int off = slot * recordSize;
        return (int) INT.get(records, off + USER) == userId && (long) LONG.get(records, off + PEER_ID) == high
                && (long) LONG.get(records, off + PEER_ID + 8) == mid
                && (int) INT.get(records, off + PEER_ID + 16) == low;
    }

    private long narrow(int off) {
        return ((int) INT.get(records, off) & 0xFFFFFFFFL) | ((long) ((short) SHORT.get(records, off + 4) & 0xFFFF) << 32);
    }

    private void setNarrow(int off, long value) {
        INT.set(records, off, (int) value);
        SHORT.set(records, off + 4, (short) (value >>> 32));
    }

    private static boolean fitsNarrow(long value) {
        return value >>> 48 == 0;
    }

    /** A hash's home position in an index of that length: the high bits of hash × length (no modulo). */
    private static int home(int hash, int length) {
        return (int) (((hash & 0xFFFFFFFFL) * length) >>> 32);
    }

    private static int hash(int userId, long high, long mid, int low) {
        long h = (high ^ Long.rotateLeft(mid, 21) ^ ((long) low << 32 | (userId & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
