package io.chihaya.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable bencode byte string: what {@link BencodeReader} returns for every string and
 * dictionary key, so that non-UTF-8 bytes (info hashes, peer ids, {@code pieces}) survive
 * untouched and can be used as map keys.
 *
 * <p>Equality and hash code are by content; the natural order is the bencode key order
 * (unsigned byte-by-byte comparison, a prefix sorting first). Thread-safe.
 */
public final class BString implements Comparable<BString> {
    private static final BString EMPTY = new BString(new byte[0]);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bytes;
    private int hash; // cached like String.hash; 0 means not computed yet

    /** Takes ownership of {@code bytes}: callers in this package never touch them again. */
    BString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A byte string holding a copy of {@code bytes}. */
    public static BString of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new BString(bytes.clone());
    }

    /** A byte string holding a copy of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static BString of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new BString(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The UTF-8 encoding of {@code text}. */
    public static BString of(String text) {
        return text.isEmpty() ? EMPTY : new BString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes themselves, for this package only (the writer copies them out). */
    byte[] array() {
        return bytes;
    }

    /** True when the bytes are valid UTF-8 (shortest form, no surrogates), so {@link #utf8()} is lossless. */
    public boolean isUtf8() {
        return Utf8.isValid(bytes, 0, bytes.length);
    }

    /**
     * The bytes decoded as UTF-8.
     *
     * @throws IllegalStateException when they are not valid UTF-8; check {@link #isUtf8()} first
     */
    public String utf8() {
        if (!isUtf8()) {
            throw new IllegalStateException("byte string is not valid UTF-8: " + this);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** True when the bytes equal the UTF-8 encoding of {@code text} (e.g. {@code key.contentEquals("info")}). */
    public boolean contentEquals(String text) {
        return Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int compareTo(BString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        int result = hash;
        if (result == 0) {
            result = Arrays.hashCode(bytes);
            hash = result;
        }
        return result;
    }

    /** The text in double quotes when it is valid UTF-8, otherwise {@code 0x} and hex digits. */
    @Override
    public String toString() {
        return describe(bytes, Integer.MAX_VALUE);
    }

    /** {@link #toString()} cut to about 40 characters, for error messages. */
    String describeShort() {
        return describe(bytes, 40);
    }

    /** Like {@link #toString()}, shortened to about {@code limit} characters, for error messages. */
    static String describe(byte[] bytes, int limit) {
        if (Utf8.isValid(bytes, 0, bytes.length)) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            StringBuilder quoted = new StringBuilder(Math.min(text.length(), limit) + 5).append('"');
            int shown = Math.min(text.length(), limit);
            for (int index = 0; index < shown; index++) {
                char c = text.charAt(index);
                // keep messages on one line: control and line-separator characters are escaped
                if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                    quoted.append(String.format("\\u%04x", (int) c));
                } else {
                    quoted.append(c);
                }
            }
            quoted.append('"');
            if (shown < text.length()) {
                quoted.append("...");
            }
            return quoted.toString();
        }
        int shown = Math.min(bytes.length, Math.max(1, limit / 2));
        StringBuilder hex = new StringBuilder(2 + shown * 2 + 3).append("0x");
        for (int index = 0; index < shown; index++) {
            hex.append(HEX[(bytes[index] >> 4) & 0xf]).append(HEX[bytes[index] & 0xf]);
        }
        if (shown < bytes.length) {
            hex.append("...");
        }
        return hex.toString();
    }
}
