package io.chihaya.tracker.announce;

/**
 * Parsing, formatting and classification of IPv4 addresses held as ints (first octet in the high
 * bits). Text forms accepted: dotted quad without leading zeros, and the IPv4-mapped IPv6 forms
 * {@code ::ffff:a.b.c.d} and {@code ::ffff:XXXX:XXXX} (any case). No name is ever resolved.
 */
public final class Ipv4 {
    /** Returned by {@link #parse} for text that is not an IPv4 address; never a valid result. */
    public static final long INVALID = -1;

    private Ipv4() {
    }

    /** The address as an unsigned int in a long, or {@link #INVALID}. */
    public static long parse(String text) {
        if (text == null) {
            return INVALID;
        }
        int length = text.length();
        if (length > 7 && regionMatchesIgnoreCase(text, "::ffff:")) {
            return parseMapped(text, 7);
        }
        if (length > 15 && regionMatchesIgnoreCase(text, "0:0:0:0:0:ffff:")) {
            return parseMapped(text, 15);
        }
        return parseDotted(text, 0, length);
    }

    private static boolean regionMatchesIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static long parseMapped(String text, int from) {
        if (text.indexOf('.', from) >= 0) {
            return parseDotted(text, from, text.length());
        }
        int colon = text.indexOf(':', from);
        if (colon < 0) {
            return INVALID;
        }
        long high = parseHexGroup(text, from, colon);
        long low = parseHexGroup(text, colon + 1, text.length());
        return high < 0 || low < 0 ? INVALID : (high << 16 | low);
    }

    private static long parseHexGroup(String text, int from, int to) {
        if (to <= from || to - from > 4) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static long parseDotted(String text, int from, int to) {
        long address = 0;
        int octets = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int v = 0;
            while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return INVALID;
                }
            }
            int digits = i - start;
            if (digits == 0 || v > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return INVALID;
            }
            address = address << 8 | v;
            octets++;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                return INVALID;
            }
            i++;
        }
        return octets == 4 ? address : INVALID;
    }

    /**
     * Whether the address is public: outside 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
     * 192.168/16, multicast 224/4 and reserved 240/4 (which includes 255.255.255.255).
     */
    public static boolean isPublic(int address) {
        int a = address >>> 24;
        int b = (address >>> 16) & 0xFF;
        return a != 0 && a != 10 && a != 127 && a < 224
                && !(a == 100 && b >= 64 && b < 128)
                && !(a == 169 && b == 254)
                && !(a == 172 && b >= 16 && b < 32)
                && !(a == 192 && b == 168);
    }

    /** Dotted-quad text. */
    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** 127.0.0.1, written for users with TrackerHide. */
    public static final int LOOPBACK = 0x7F000001;
}
