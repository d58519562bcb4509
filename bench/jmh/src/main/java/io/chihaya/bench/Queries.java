package io.chihaya.bench;

import java.util.SplittableRandom;

/** Synthetic identifiers and query-string encoding for the benchmarks. */
final class Queries {
    /** The approved client prefix and the peer_id prefix every simulated client uses. */
    static final String CLIENT_PREFIX = "-TR2";
    private static final String PEER_ID_PREFIX = "-TR2940-";
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Queries() {
    }

    /** Percent-encodes every byte outside RFC 3986's unreserved set, as BitTorrent clients do. */
    static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /** 20 random bytes. */
    static byte[] infoHash(SplittableRandom random) {
        byte[] hash = new byte[20];
        random.nextBytes(hash);
        return hash;
    }

    /** A Transmission-style peer_id: {@code -TR2940-} and 12 random alphanumerics. */
    static byte[] peerId(SplittableRandom random) {
        return (PEER_ID_PREFIX + text(random, 12)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A 32-character passkey. */
    static String passkey(SplittableRandom random) {
        return text(random, 32);
    }

    /** Random lower-case alphanumerics. */
    static String text(SplittableRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
        }
        return new String(chars);
    }

    /** A public IPv4 address (in 81.0.0.0/8) distinct for each {@code n} below 2^24. */
    static byte[] address(int n) {
        return new byte[] {81, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
