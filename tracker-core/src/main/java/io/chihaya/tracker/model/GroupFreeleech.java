package io.chihaya.tracker.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The {@code torrent_group_freeleech} rows: multipliers per (GroupID, Type). Immutable; lookups are a
 * binary search over a sorted primitive array, so they neither lock nor box.
 */
public final class GroupFreeleech {
    private static final GroupFreeleech NONE = new GroupFreeleech(new long[0], new Multipliers[0]);

    private final long[] keys;
    private final Multipliers[] values;

    private GroupFreeleech(long[] keys, Multipliers[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** No group has special multipliers. */
    public static GroupFreeleech none() {
        return NONE;
    }

    /** Builds the table from {@link #key(int, TorrentType)} → multipliers. */
    public static GroupFreeleech of(Map<Long, Multipliers> rows) {
        long[] keys = rows.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        Multipliers[] values = new Multipliers[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = rows.get(keys[i]);
        }
        return new GroupFreeleech(keys, values);
    }

    /** The lookup key of a (GroupID, Type) pair. */
    public static long key(int groupId, TorrentType type) {
        return ((long) groupId << 8) | type.ordinal();
    }

    /** The multipliers of that group, {@link Multipliers#NEUTRAL} when it has no row. */
    public Multipliers get(int groupId, TorrentType type) {
        int at = Arrays.binarySearch(keys, key(groupId, type));
        return at >= 0 ? values[at] : Multipliers.NEUTRAL;
    }

    /** Number of rows. */
    public int size() {
        return keys.length;
    }
}
