package io.chihaya.tracker.model;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable hash table keyed by byte strings (info hashes, passkeys), looked up straight from a
 * slice of a request buffer so that the announce path allocates no key object.
 *
 * <p>Open addressing with linear probing over parallel arrays; built once by {@link Builder} and then
 * only read, so any number of threads may read it without locking. Reloads build a new table and
 * publish it through a volatile field.
 *
 * @param <V> the value type
 */
public final class ByteKeyTable<V> {
    private final byte[][] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    private ByteKeyTable(byte[][] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    /** An empty table. */
    public static <V> ByteKeyTable<V> empty() {
        return new Builder<V>(0).build();
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    /** The value for the whole of {@code key}, or null. */
    public V get(byte[] key) {
        return get(key, 0, key.length);
    }

    /** The value for {@code key[from, to)}, or null. */
    @SuppressWarnings("unchecked")
    public V get(byte[] key, int from, int to) {
        int slot = hash(key, from, to) & mask;
        while (true) {
            byte[] candidate = keys[slot];
            if (candidate == null) {
                return null;
            }
            if (Arrays.equals(candidate, 0, candidate.length, key, from, to)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The value for a key given as chars 0-255 (one byte per char, as in a percent-decoded path), or
     * null; allocates nothing.
     */
    @SuppressWarnings("unchecked")
    public V get(CharSequence key) {
        int length = key.length();
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c > 0xFF) {
                return null;
            }
            h = (h ^ c) * 0x01000193;
        }
        int slot = finish(h) & mask;
        while (true) {
            byte[] candidate = keys[slot];
            if (candidate == null) {
                return null;
            }
            if (sameChars(candidate, key)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean sameChars(byte[] candidate, CharSequence key) {
        if (candidate.length != key.length()) {
            return false;
        }
        for (int i = 0; i < candidate.length; i++) {
            if ((candidate[i] & 0xFF) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Calls {@code action} for every entry, in table order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<byte[], V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    static int hash(byte[] key, int from, int to) {
        // FNV-1a then a final avalanche: keys are random-looking (hashes, passkeys) but cheap mixing
        // still protects against crafted clustering on the low bits.
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ (key[i] & 0xFF)) * 0x01000193;
        }
        return finish(h);
    }

    private static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    /**
     * Collects entries for a new table. Not thread-safe. A key added twice keeps the last value.
     *
     * @param <V> the value type
     */
    public static final class Builder<V> {
        private byte[][] keys;
        private Object[] values;
        private int size;

        /** A builder sized for about {@code expected} entries (it grows as needed). */
        public Builder(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            keys = new byte[capacity][];
            values = new Object[capacity];
        }

        /** Adds or replaces an entry; the key array is kept, so the caller must not change it. */
        public Builder<V> put(byte[] key, V value) {
            if (key == null || value == null) {
                throw new IllegalArgumentException("null key or value");
            }
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            if (insert(keys, values, key, value)) {
                size++;
            }
            return this;
        }

        /** Number of entries so far. */
        public int size() {
            return size;
        }

        private static boolean insert(byte[][] keys, Object[] values, byte[] key, Object value) {
            int mask = keys.length - 1;
            int slot = hash(key, 0, key.length) & mask;
            while (keys[slot] != null) {
                if (Arrays.equals(keys[slot], key)) {
                    values[slot] = value;
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
            return true;
        }

        private void grow() {
            byte[][] newKeys = new byte[keys.length * 2][];
            Object[] newValues = new Object[keys.length * 2];
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != null) {
                    insert(newKeys, newValues, keys[i], values[i]);
                }
            }
            keys = newKeys;
            values = newValues;
        }

        /** The finished table; the builder must not be used afterwards. */
        public ByteKeyTable<V> build() {
            ByteKeyTable<V> table = new ByteKeyTable<>(keys, values, size);
            keys = null;
            values = null;
            return table;
        }
    }
}
