package io.chihaya.server;

/** Percent-decodes a request path into one char per byte; null when an escape is broken. */
final class PathDecoder {
    private PathDecoder() {
    }

    static String decode(String raw) {
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
            if (i + 2 >= raw.length()) {
                return null;
            }
            int hi = hex(raw.charAt(i + 1));
            int lo = hex(raw.charAt(i + 2));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.append((char) (hi << 4 | lo));
            i += 2;
        }
        return out.toString();
    }

    private static int hex(char c) {
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
}
