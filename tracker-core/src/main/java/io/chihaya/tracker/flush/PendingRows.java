package io.chihaya.tracker.flush;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows waiting to be written to one table, merged per row key, so memory is bounded by the
 * number of distinct rows however many announces arrive.
 *
 * <p>The rows are kept as primitive fields in flat arrays, not as one object per row: a row lives
 * from its first change until a writer takes it, seconds or minutes, and as objects every young
 * collection in that time would copy it (most of what those collections copied under load, see
 * docs/PERFORMANCE.md). Arrays of {@code long}s hold no references, so the collector neither copies
 * nor scans them once they are old. A writer {@link #take}s rows out as {@link Delta} objects, which
 * die with the batch.
 *
 * <p>The table is split into {@value #SEGMENTS} segments by key hash, each an open-addressing hash
 * table with linear probing under its own monitor. An announce locks one segment, finds or adds
 * its row with {@link Segment#open} and changes the row's fields in {@link Segment#values} from
 * {@code base}. Taking a row leaves a tombstone, so rows that stay never move and a {@link Pass}
 * can walk a segment by position; a segment that becomes empty is cleared in one go, and made
 * smaller if it holds eight times more slots than its rows needed since it was last empty (after
 * an outage's backlog, say).
 *
 * <p>Thread-safe: any number of announcing threads, and one writer (take, putBack and the passes
 * are meant for the table's writer thread; snapshot for anyone while no writer runs).
 *
 * @param <D> the row type the writer gets
 */
final class PendingRows<D extends Delta<?, D>> {
    static final int SEGMENTS = 64;
    private static final int SEGMENT_SHIFT = 64 - Integer.numberOfTrailingZeros(SEGMENTS);
    private static final int INITIAL_CAPACITY = 16;
    private static final byte EMPTY = 0;
    private static final byte FULL = 1;
    private static final byte TAKEN = 2;

    /** How the fields of one table's row sit in the arrays, and how they become a {@link Delta}. */
    interface Layout<D> {
        /** Longs per key: 1 (the default), or 2 for a key of more than 64 bits. */
        default int keyWidth() {
            return 1;
        }

        /** Longs per row. */
        int fields();

        long key1(D row);

        /** Unused (0, the default) when {@link #keyWidth} is 1. */
        default long key2(D row) {
            return 0;
        }

        /** The row at {@code base} of {@code values} as an object. */
        D read(long key1, long key2, long[] values, int base);

        /** Stores every field of {@code row} at {@code base}. */
        void write(D row, long[] values, int base);
    }

    private final Layout<D> layout;
    private final int keyWidth;
    private final int fields;
    final Segment[] segments = new Segment[SEGMENTS];
    /** The writer's place between {@link #take(int)} calls, so that every segment gets its turn. */
    private final Pass cursor = new Pass(true);

    PendingRows(Layout<D> layout) {
        this.layout = layout;
        this.keyWidth = layout.keyWidth();
        this.fields = layout.fields();
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(keyWidth, fields);
        }
    }

    /**
     * The segment that holds (or will hold) the row whose key has this {@link #hash}; lock it, then
     * {@link Segment#open} with the same hash.
     */
    Segment segment(long hash) {
        return segments[(int) (hash >>> SEGMENT_SHIFT)];
    }

    /** Number of distinct rows waiting; exact when nothing changes meanwhile. */
    int size() {
        int size = 0;
        for (Segment segment : segments) {
            size += segment.count;
        }
        return size;
    }

    /**
     * One field of the row with this key, or {@code absent} if no such row waits.
     */
    long field(long key1, long key2, int field, long absent) {
        long hash = hash(key1, key2);
        Segment segment = segment(hash);
        synchronized (segment) {
            int slot = segment.find(key1, key2, hash);
            return slot < 0 ? absent : segment.values[slot * fields + field];
        }
    }

    /** Takes up to {@code max} rows out, going on from where the previous call stopped. */
    List<D> take(int max) {
        return take(cursor, max);
    }

    /** A walk over every row present now (see {@link #take(Pass, int)}). */
    Pass pass() {
        return new Pass(false);
    }

    /**
     * Takes rows from a pass: whole segments, one after another, until the batch holds at least
     * {@code max} rows, so a batch can exceed {@code max} by one segment's rows. Repeated calls with
     * the same pass take every row that was present when the pass was made (and possibly newer ones),
     * each segment once, then return an empty list: however fast new rows arrive, a pass ends.
     */
    List<D> take(Pass pass, int max) {
        List<D> batch = new ArrayList<>(Math.min(max, Math.max(16, size())));
        // The writer's cursor visits its first segment twice: its start was skipped the first time.
        for (int visits = 0; batch.size() < max && visits <= SEGMENTS; visits++) {
            if (pass.segment == SEGMENTS) {
                if (!pass.wraps) {
                    break;
                }
                pass.segment = 0;
            }
            Segment segment = segments[pass.segment];
            boolean finished;
            synchronized (segment) {
                finished = segment.takeInto(batch, pass.wraps ? max : Integer.MAX_VALUE, pass, layout);
            }
            if (finished) {
                pass.segment++;
                pass.slot = 0;
            } else {
                break;
            }
        }
        return batch;
    }

    /** Copies of every row waiting, left in place; only while no writer takes rows. */
    List<D> snapshot() {
        List<D> rows = new ArrayList<>(size());
        for (Segment segment : segments) {
            synchronized (segment) {
                for (int slot = 0; slot < segment.state.length; slot++) {
                    if (segment.state[slot] == FULL) {
                        rows.add(segment.read(slot, layout));
                    }
                }
            }
        }
        return rows;
    }

    /** Puts back rows whose write failed, merging each under any change that arrived since. */
    void putBack(List<D> failed) {
        for (D old : failed) {
            long key1 = layout.key1(old);
            long key2 = layout.key2(old);
            long hash = hash(key1, key2);
            Segment segment = segment(hash);
            synchronized (segment) {
                int before = segment.count;
                int base = segment.open(key1, key2, hash);
                if (segment.count == before) {
                    D current = segment.read(base / fields, layout);
                    current.absorbOlder(old);
                    layout.write(current, segment.values, base);
                } else {
                    layout.write(old, segment.values, base);
                }
            }
        }
    }

    static long hash(long key1, long key2) {
        long h = key1 * 0x9E3779B97F4A7C15L + key2;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 29);
    }

    /**
     * A writer's position: segment, and (for the cursor of {@link #take(int)}) the slot within it.
     * Rows never move but when a segment is rebuilt; a row moved before the slot waits for the next
     * visit.
     */
    static final class Pass {
        final boolean wraps;
        int segment;
        int slot;

        Pass(boolean wraps) {
            this.wraps = wraps;
        }
    }

    /** One open-addressing table; every field is guarded by the segment's monitor. */
    static final class Segment {
        private final int keyWidth;
        private final int fields;
        byte[] state = new byte[INITIAL_CAPACITY];
        long[] keys;
        /** The rows' fields; {@link #open} returns where a row's start. Replaced when the table grows. */
        long[] values;
        /** Rows present; read without the lock by {@link PendingRows#size}. */
        volatile int count;
        private int taken;
        /** Most rows present since the segment was last empty. */
        private int peak;

        Segment(int keyWidth, int fields) {
            this.keyWidth = keyWidth;
            this.fields = fields;
            keys = new long[INITIAL_CAPACITY * keyWidth];
            values = new long[INITIAL_CAPACITY * fields];
        }

        /**
         * The index in {@link #values} where the row with this key starts, added with every field 0
         * if it was not there. {@code hash} is {@link PendingRows#hash} of the key. Hold the monitor;
         * read {@link #values} only after this call.
         */
        int open(long key1, long key2, long hash) {
            int slot = find(key1, key2, hash);
            if (slot >= 0) {
                return slot * fields;
            }
            int capacity = state.length;
            if (count + taken + 1 > capacity * 3 / 4) {
                rehash(count + 1 > capacity / 2 ? capacity * 2 : capacity);
            }
            slot = insertSlot(hash);
            state[slot] = FULL;
            keys[slot * keyWidth] = key1;
            if (keyWidth == 2) {
                keys[slot * keyWidth + 1] = key2;
            }
            count++;
            peak = Math.max(peak, count);
            int base = slot * fields;
            // The slot may hold a taken row's fields.
            Arrays.fill(values, base, base + fields, 0L);
            return base;
        }

        /** The slot of the key, or -1. */
        int find(long key1, long key2, long hash) {
            int mask = state.length - 1;
            for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
                byte s = state[slot];
                if (s == EMPTY) {
                    return -1;
                }
                if (s == FULL && keys[slot * keyWidth] == key1 && (keyWidth == 1 || keys[slot * keyWidth + 1] == key2)) {
                    return slot;
                }
            }
        }

        /** A free slot on the key's probe path (its absence has been checked): the first tombstone or empty one. */
        private int insertSlot(long hash) {
            int mask = state.length - 1;
            for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
                byte s = state[slot];
                if (s == EMPTY) {
                    return slot;
                }
                if (s == TAKEN) {
                    taken--;
                    return slot;
                }
            }
        }

        /** Rebuilds the table with {@code capacity} slots, dropping the tombstones. */
        private void rehash(int capacity) {
            byte[] oldState = state;
            long[] oldKeys = keys;
            long[] oldValues = values;
            state = new byte[capacity];
            keys = new long[capacity * keyWidth];
            values = new long[capacity * fields];
            taken = 0;
            for (int old = 0; old < oldState.length; old++) {
                if (oldState[old] != FULL) {
                    continue;
                }
                long key1 = oldKeys[old * keyWidth];
                long key2 = keyWidth == 2 ? oldKeys[old * keyWidth + 1] : 0;
                int slot = insertSlot(hash(key1, key2));
                state[slot] = FULL;
                System.arraycopy(oldKeys, old * keyWidth, keys, slot * keyWidth, keyWidth);
                System.arraycopy(oldValues, old * fields, values, slot * fields, fields);
            }
        }

        <D> D read(int slot, Layout<D> layout) {
            long key1 = keys[slot * keyWidth];
            long key2 = keyWidth == 2 ? keys[slot * keyWidth + 1] : 0;
            return layout.read(key1, key2, values, slot * fields);
        }

        /**
         * Moves rows from the pass's slot on into {@code batch} until it holds {@code max}; true when
         * the end of the segment was reached.
         */
        <D> boolean takeInto(List<D> batch, int max, Pass pass, Layout<D> layout) {
            int capacity = state.length;
            int left = count;
            for (int slot = pass.slot; slot < capacity && left > 0; slot++) {
                if (state[slot] != FULL) {
                    continue;
                }
                if (batch.size() >= max) {
                    count = left;
                    pass.slot = slot;
                    return false;
                }
                batch.add(read(slot, layout));
                state[slot] = TAKEN;
                taken++;
                left--;
            }
            count = left;
            if (left == 0 && taken > 0) {
                // Empty: clear it in one go. The arrays are kept for the rows to come, unless a
                // backlog (an outage) made them far larger than those rows will need.
                if (capacity > INITIAL_CAPACITY && capacity > 8 * peak) {
                    int smaller = Math.max(INITIAL_CAPACITY, Integer.highestOneBit(Math.max(1, peak)) * 4);
                    state = new byte[smaller];
                    keys = new long[smaller * keyWidth];
                    values = new long[smaller * fields];
                } else {
                    Arrays.fill(state, EMPTY);
                }
                taken = 0;
                peak = 0;
            } else if (taken > capacity / 4) {
                rehash(capacity);
            }
            return true;
        }
    }
}
