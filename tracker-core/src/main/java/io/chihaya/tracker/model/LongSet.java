package io.chihaya.tracker.model;

/**
 * An immutable set of longs (open addressing), used for hit-and-runs keyed by
 * {@code (userId << 32) | torrentId}. Safe for concurrent readers once built.
 */
public final class LongSet {
    private static final long EMPTY = Long.MIN_VALUE;
    private static final LongSet NONE = new LongSet(new long[]{EMPTY, EMPTY}, 0, false);

    private final long[] slots;
    private final int size;
    private final boolean containsEmptyMarker;

    private LongSet(long[] slots, int size, boolean containsEmptyMarker) {
        this.slots = slots;
        this.size = size;
        this.containsEmptyMarker = containsEmptyMarker;
    }

    /** The empty set. */
    public static LongSet empty() {
        return NONE;
    }

    /** A set of the given values (duplicates allowed). */
    public static LongSet of(long[] values, int count) {
        int capacity = Integer.highestOneBit(Math.max(2, count * 2 - 1)) << 1;
        long[] slots = new long[capacity];
        java.util.Arrays.fill(slots, EMPTY);
        int mask = capacity - 1;
        int size = 0;
        boolean hasMarker = false;
        for (int i = 0; i < count; i++) {
            long value = values[i];
            if (value == EMPTY) {
                if (!hasMarker) {
                    hasMarker = true;
                    size++;
                }
                continue;
            }
            int slot = mix(value) & mask;
            while (slots[slot] != EMPTY && slots[slot] != value) {
                slot = (slot + 1) & mask;
            }
            if (slots[slot] == EMPTY) {
                slots[slot] = value;
                size++;
            }
        }
        return new LongSet(slots, size, hasMarker);
    }

    /** The key of a hit-and-run of user {@code userId} on torrent {@code torrentId}. */
    public static long pair(int userId, int torrentId) {
        return ((long) userId << 32) | (torrentId & 0xFFFFFFFFL);
    }

    /** Whether {@code value} is in the set. */
    public boolean contains(long value) {
        if (value == EMPTY) {
            return containsEmptyMarker;
        }
        int mask = slots.length - 1;
        int slot = mix(value) & mask;
        while (true) {
            long candidate = slots[slot];
            if (candidate == value) {
                return true;
            }
            if (candidate == EMPTY) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Number of distinct values. */
    public int size() {
        return size;
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
