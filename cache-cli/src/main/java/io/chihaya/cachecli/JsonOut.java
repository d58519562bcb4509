package io.chihaya.cachecli;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes JSON text as ASCII bytes straight into a buffer, for dumps of millions of peers: no writer,
 * no charset encoder, no intermediate strings for numbers. Strings are escaped so that the output is
 * pure ASCII (anything outside printable ASCII becomes {@code \}{@code u00XX}). Not thread-safe.
 */
final class JsonOut {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    JsonOut(OutputStream out) {
        this.out = out;
    }

    /** Text known to need no escaping (punctuation, keys, numbers already formatted). */
    JsonOut raw(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
        return this;
    }

    /** A quoted, escaped string. */
    JsonOut string(String text) throws IOException {
        put('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c < 0x20 || c > 0x7E) {
                put('\\');
                put('u');
                for (int shift = 12; shift >= 0; shift -= 4) {
                    put(HEX_DIGITS[(c >>> shift) & 0xF]);
                }
            } else {
                put(c);
            }
        }
        put('"');
        return this;
    }

    /** Bytes as a quoted string of lower-case hex digits. */
    JsonOut hex(byte[] bytes) throws IOException {
        put('"');
        for (byte b : bytes) {
            put(HEX_DIGITS[(b >>> 4) & 0xF]);
            put(HEX_DIGITS[b & 0xF]);
        }
        put('"');
        return this;
    }

    JsonOut number(long value) throws IOException {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return raw(Long.toString(value));
            }
            put('-');
            return digits(-value);
        }
        return digits(value);
    }

    /** An unsigned 64-bit value in decimal. */
    JsonOut unsigned(long value) throws IOException {
        return value < 0 ? raw(Long.toUnsignedString(value)) : digits(value);
    }

    /** A non-negative value's digits, straight into the buffer (no String per number). */
    private JsonOut digits(long value) throws IOException {
        if (buffer.length - used < 20) {
            out.write(buffer, 0, used);
            used = 0;
        }
        int length = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            length++;
        }
        int at = used + length;
        long rest = value;
        do {
            buffer[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        used += length;
        return this;
    }

    /** A finite double in Java's shortest round-trip form (1.0, 0.25, 1.0E-7): valid JSON, read back exactly. */
    JsonOut number(double value) throws IOException {
        return raw(Double.toString(value));
    }

    JsonOut bool(boolean value) throws IOException {
        return raw(value ? "true" : "false");
    }

    void flush() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
        out.flush();
    }

    private void put(int c) throws IOException {
        if (used == buffer.length) {
            out.write(buffer, 0, used);
            used = 0;
        }
        buffer[used++] = (byte) c;
    }
}
