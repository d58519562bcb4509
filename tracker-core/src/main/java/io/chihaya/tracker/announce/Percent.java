package io.chihaya.tracker.announce;

/** Percent-decoding shared by the query parser and the server's path routing. Stateless. */
public final class Percent {
    private Percent() {
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hex(byte b) {
        return hex((char) (b & 0xFF));
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes the {@code %XX} escapes of {@code src[from, to)} into {@code dst} ({@code +} stays as it
     * is, as in a path).
     *
     * @param dst at least {@code to - from} bytes
     * @return the decoded length, or -1 when an escape is broken
     */
    public static int decodePath(byte[] src, int from, int to, byte[] dst) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = src[i];
            if (b == '%') {
                int hi = i + 1 < to ? hex(src[i + 1]) : -1;
                int lo = i + 2 < to ? hex(src[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    return -1;
                }
                b = (byte) (hi << 4 | lo);
                i += 2;
            }
            dst[n++] = b;
        }
        return n;
    }
}
