package io.chihaya.tracker.announce;

/** Percent-decoding shared by the query parser and the server's path routing. Stateless. */
public final class Percent {
    private Percent() {
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
     * Decodes {@code %XX} escapes into one char per byte ({@code +} stays as it is, as in a path);
     * null when an escape is broken.
     */
    public static String decodePath(String raw) {
        if (raw == null) {
            return "";
        }
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int hi = i + 1 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
            int lo = i + 2 < raw.length() ? hex(raw.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.append((char) (hi << 4 | lo));
            i += 2;
        }
        return out.toString();
    }
}
