package io.chihaya.bencode;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes bencode straight into its own growable byte array, for the tracker's hot path: build a
 * response, hand {@link #buffer()} and {@link #length()} to the transport, {@link #reset()}, and
 * reuse the writer for the next one. The streaming methods ({@link #integer(long)},
 * {@link #string(byte[])}, {@link #key(String)} and friends) allocate nothing once the buffer is
 * large enough.
 *
 * <p>In streaming mode the caller is responsible for well-formed output: a key before every
 * dictionary value, and dictionary keys in bencode order (sorted as unsigned byte strings, no
 * duplicates). The writer only counts open containers: {@link #end()} with nothing open and
 * {@link #toByteArray()} with something still open throw {@link IllegalStateException}.
 * {@link #value(Object)} writes whole Java values and sorts map keys itself.
 *
 * <p>Not thread-safe: use one writer per thread (or per request).
 */
public final class BencodeWriter {
    private static final int DEFAULT_CAPACITY = 256;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] buffer;
    private int length;
    private int depth;

    /** A writer with a small initial buffer that grows as needed. */
    public BencodeWriter() {
        this(DEFAULT_CAPACITY);
    }

    /** A writer whose buffer starts at {@code initialCapacity} bytes (size it for a typical response). */
    public BencodeWriter(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must not be negative, got " + initialCapacity);
        }
        this.buffer = new byte[Math.max(initialCapacity, 16)];
    }

    /** Opens a dictionary ({@code d}); close it with {@link #end()}. */
    public BencodeWriter startDict() {
        ensureCapacity(1);
        buffer[length++] = 'd';
        depth++;
        return this;
    }

    /** Opens a list ({@code l}); close it with {@link #end()}. */
    public BencodeWriter startList() {
        ensureCapacity(1);
        buffer[length++] = 'l';
        depth++;
        return this;
    }

    /**
     * Closes the innermost open dictionary or list ({@code e}).
     *
     * @throws IllegalStateException when nothing is open
     */
    public BencodeWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("end() without an open dictionary or list");
        }
        ensureCapacity(1);
        buffer[length++] = 'e';
        depth--;
        return this;
    }

    /** Writes a dictionary key given as text (ASCII in practice; other characters are written as UTF-8). */
    public BencodeWriter key(String asciiKey) {
        return string(asciiKey);
    }

    /** Writes a dictionary key given as raw bytes. */
    public BencodeWriter key(byte[] key) {
        return string(key, 0, key.length);
    }

    /** Writes an integer ({@code i42e}) without allocating. */
    public BencodeWriter integer(long value) {
        ensureCapacity(22); // 'i' + '-' + 19 digits + 'e'
        buffer[length++] = 'i';
        length = writeDecimal(value, buffer, length);
        buffer[length++] = 'e';
        return this;
    }

    /** Writes an integer of any size. */
    public BencodeWriter integer(BigInteger value) {
        if (value.bitLength() < 64) {
            return integer(value.longValue());
        }
        String digits = value.toString();
        ensureCapacity(digits.length() + 2);
        buffer[length++] = 'i';
        for (int index = 0; index < digits.length(); index++) {
            buffer[length++] = (byte) digits.charAt(index);
        }
        buffer[length++] = 'e';
        return this;
    }

    /** Writes a byte string ({@code 4:spam}). */
    public BencodeWriter string(byte[] bytes) {
        return string(bytes, 0, bytes.length);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} as a byte string. */
    public BencodeWriter string(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length); // before writing a header
        int body = reserveString(length);
        System.arraycopy(bytes, offset, buffer, body, length);
        return this;
    }

    /** Writes a byte string holding the UTF-8 encoding of {@code utf8} (unpaired surrogates become {@code ?}). */
    public BencodeWriter string(String utf8) {
        int chars = utf8.length();
        int ascii = 0;
        while (ascii < chars && utf8.charAt(ascii) < 0x80) {
            ascii++;
        }
        if (ascii == chars) {
            int body = reserveString(chars);
            for (int index = 0; index < chars; index++) {
                buffer[body + index] = (byte) utf8.charAt(index);
            }
        } else {
            int body = reserveString(Utf8.encodedLength(utf8));
            Utf8.encode(utf8, buffer, body);
        }
        return this;
    }

    /** Appends bytes that are already bencode (a cached fragment, for instance) unchanged. */
    public BencodeWriter raw(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        ensureCapacity(len);
        System.arraycopy(bytes, off, buffer, length, len);
        length += len;
        return this;
    }

    /**
     * Writes the header of a byte string of {@code length} bytes and reserves room for its body,
     * which the caller must then fill: {@code buffer()[offset]} to {@code buffer()[offset + length - 1]}.
     * Call {@link #buffer()} after this method, since reserving may replace the array. Used to
     * write compact peer lists (6 bytes per peer) with no intermediate copy.
     *
     * @return the offset in {@link #buffer()} where the body starts
     */
    public int reserveString(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("string length must not be negative, got " + length);
        }
        ensureCapacity(length + 11L); // up to 10 digits + ':'
        this.length = writeDecimal(length, buffer, this.length);
        buffer[this.length++] = ':';
        int body = this.length;
        this.length += length;
        return body;
    }

    /**
     * Writes a whole value, for code off the hot path: {@link Long}, {@link Integer},
     * {@link Short}, {@link Byte}, {@link BigInteger}, {@code byte[]}, {@link BString},
     * {@link String} (as UTF-8), {@link List} and {@link Map}. Map keys may be {@link String},
     * {@code byte[]} or {@link BString}; they are written in bencode order (unsigned byte order
     * of their encoded bytes), whatever the map's own order.
     *
     * @throws IllegalArgumentException for any other type, a null, or two map keys with the same bytes
     */
    public BencodeWriter value(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return integer(((Number) v).longValue());
        } else if (v instanceof BigInteger big) {
            return integer(big);
        } else if (v instanceof byte[] bytes) {
            return string(bytes);
        } else if (v instanceof BString string) {
            return string(string.array());
        } else if (v instanceof String text) {
            return string(text);
        } else if (v instanceof List<?> list) {
            startList();
            for (Object element : list) {
                value(element);
            }
            return end();
        } else if (v instanceof Map<?, ?> map) {
            return dictionary(map);
        } else if (v == null) {
            throw new IllegalArgumentException("cannot bencode null");
        }
        throw new IllegalArgumentException("cannot bencode a " + v.getClass().getName());
    }

    private BencodeWriter dictionary(Map<?, ?> map) {
        List<Map.Entry<byte[], Object>> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(keyBytes(entry.getKey()), entry.getValue()));
        }
        entries.sort((left, right) -> Arrays.compareUnsigned(left.getKey(), right.getKey()));
        startDict();
        byte[] previous = null;
        for (Map.Entry<byte[], Object> entry : entries) {
            if (previous != null && Arrays.equals(previous, entry.getKey())) {
                throw new IllegalArgumentException("two map keys encode to the same bytes: " + BString.describe(previous, 40));
            }
            previous = entry.getKey();
            key(entry.getKey());
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("cannot bencode null (the value of key " + BString.describe(previous, 40) + ")");
            }
            value(entry.getValue());
        }
        return end();
    }

    private static byte[] keyBytes(Object key) {
        if (key instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        } else if (key instanceof byte[] bytes) {
            return bytes;
        } else if (key instanceof BString string) {
            return string.array();
        }
        throw new IllegalArgumentException("a dictionary key must be a String, byte[] or BString, not "
                + (key == null ? "null" : key.getClass().getName()));
    }

    /** Empties the writer for reuse, keeping its buffer. */
    public void reset() {
        length = 0;
        depth = 0;
    }

    /** The number of bytes written so far. */
    public int length() {
        return length;
    }

    /** How many dictionaries and lists are open; 0 when the output is a complete value (or empty). */
    public int depth() {
        return depth;
    }

    /** The writer's own array (no copy), valid from 0 to {@link #length()}; replaced when the writer grows. */
    public byte[] buffer() {
        return buffer;
    }

    /**
     * A copy of the bytes written.
     *
     * @throws IllegalStateException when a dictionary or list is still open
     */
    public byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException("unbalanced bencode: " + depth + " dictionary or list still open");
        }
        return Arrays.copyOf(buffer, length);
    }

    /** Writes the bytes written so far to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
    }

    private void ensureCapacity(long extra) {
        if (extra > buffer.length - length) {
            grow(extra);
        }
    }

    private void grow(long extra) {
        long needed = length + extra;
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("bencode output would exceed " + MAX_CAPACITY + " bytes");
        }
        long doubled = Math.max((long) buffer.length * 2, needed);
        buffer = Arrays.copyOf(buffer, (int) Math.min(doubled, MAX_CAPACITY));
    }

    /** Writes the decimal digits of {@code value} at {@code position}; returns the position after them. */
    static int writeDecimal(long value, byte[] target, int position) {
        // work with the negative magnitude so Long.MIN_VALUE needs no special case
        long negative = value;
        int out = position;
        if (value < 0) {
            target[out++] = '-';
        } else {
            negative = -value;
        }
        int digits = 1;
        for (long rest = negative; rest <= -10; rest /= 10) {
            digits++;
        }
        int index = out + digits;
        for (long rest = negative; index > out; rest /= 10) {
            target[--index] = (byte) ('0' - (rest % 10));
        }
        return out + digits;
    }
}
