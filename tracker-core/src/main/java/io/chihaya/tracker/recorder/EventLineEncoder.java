package io.chihaya.tracker.recorder;

import java.util.Arrays;

/**
 * Encodes an {@link EventLine} as the reference's JSON array line,
 * {@code [torrentId,userId,"a.b.c.d",port,"event",seeding,rawΔup,rawΔdown,uploaded,downloaded,left]\n},
 * into a reused byte buffer. Ids are unsigned 32-bit, the deltas signed 64-bit, the three counters
 * unsigned 64-bit. The event text (client-controlled, chars 0-255) is escaped so that the line stays
 * valid, pure-ASCII JSON: {@code "} and {@code \} with a backslash, control characters and everything
 * from 0x7f up as {@code \}{@code u00XX}. Not thread-safe: one per writer thread.
 */
final class EventLineEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] scratch = new byte[20];
    private byte[] buffer = new byte[256];
    private int length;

    /** Encodes {@code line} and returns the buffer; the line is {@code buffer[0, length())}. */
    byte[] encode(EventLine line) {
        length = 0;
        put('[');
        unsigned(Integer.toUnsignedLong(line.torrentId));
        put(',');
        unsigned(Integer.toUnsignedLong(line.userId));
        put(',');
        put('"');
        ipv4(line.ip);
        put('"');
        put(',');
        unsigned(line.port & 0xFFFFFFFFL);
        put(',');
        string(line.event);
        put(',');
        put(line.seeding ? '1' : '0');
        put(',');
        signed(line.rawUpDelta);
        put(',');
        signed(line.rawDownDelta);
        put(',');
        unsigned(line.uploaded);
        put(',');
        unsigned(line.downloaded);
        put(',');
        unsigned(line.left);
        put(']');
        put('\n');
        return buffer;
    }

    /** Bytes of the last encoded line, its newline included. */
    int length() {
        return length;
    }

    private void ipv4(int ip) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            unsigned((ip >>> shift) & 0xFF);
            if (shift > 0) {
                put('.');
            }
        }
    }

    private void string(String text) {
        ensure(text.length() * 6 + 2);
        put('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c >= 0x20 && c < 0x7f) {
                put(c);
            } else if (c == '\n') {
                put('\\');
                put('n');
            } else if (c == '\r') {
                put('\\');
                put('r');
            } else if (c == '\t') {
                put('\\');
                put('t');
            } else {
                put('\\');
                put('u');
                put(HEX[(c >>> 12) & 0xF]);
                put(HEX[(c >>> 8) & 0xF]);
                put(HEX[(c >>> 4) & 0xF]);
                put(HEX[c & 0xF]);
            }
        }
        put('"');
    }

    private void signed(long value) {
        if (value < 0) {
            put('-');
            // -Long.MIN_VALUE overflows to itself, which read as unsigned is exactly 2^63: still right.
            unsigned(-value);
        } else {
            unsigned(value);
        }
    }

    /** {@code value} read as an unsigned 64-bit number. */
    private void unsigned(long value) {
        ensure(20);
        int digits = 0;
        if (value < 0) {
            long quotient = (value >>> 1) / 5; // value / 10 without the sign bit getting in the way
            scratch[19 - digits++] = (byte) ('0' + (value - quotient * 10));
            value = quotient;
        }
        do {
            scratch[19 - digits++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        System.arraycopy(scratch, 20 - digits, buffer, length, digits);
        length += digits;
    }

    private void put(int c) {
        if (length == buffer.length) {
            ensure(1);
        }
        buffer[length++] = (byte) c;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
