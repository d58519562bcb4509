package io.chihaya.bench;

import java.util.Objects;

/**
 * The raw, percent-encoded query string of one simulated client, shaped like Transmission's
 * ({@code info_hash, peer_id, port, uploaded, downloaded, left, key, compact, supportcrypto}), whose
 * {@code uploaded} and {@code downloaded} counters can be rewritten in place.
 *
 * <p>Rewriting a char buffer instead of building a new String per announce keeps string building out
 * of the measurement; the tracker reads it through {@link CharSequence#charAt} as it reads a String.
 * Not thread-safe.
 */
final class AnnounceQuery implements CharSequence {
    private static final char[] DOWNLOADED = "&downloaded=".toCharArray();

    private final char[] chars;
    /** Where the uploaded counter starts; everything before it never changes. */
    private final int countersAt;
    private final char[] tail;
    private int length;

    AnnounceQuery(byte[] infoHash, byte[] peerId, int port, long left, String key) {
        String head = "info_hash=" + Queries.percentEncode(infoHash) + "&peer_id=" + Queries.percentEncode(peerId)
                + "&port=" + port + "&uploaded=";
        tail = ("&left=" + left + "&key=" + key + "&compact=1&supportcrypto=1").toCharArray();
        chars = new char[head.length() + 20 + DOWNLOADED.length + 20 + tail.length];
        head.getChars(0, head.length(), chars, 0);
        countersAt = head.length();
        counters(0, 0);
    }

    /** Rewrites the two counters (non-negative). */
    void counters(long uploaded, long downloaded) {
        int at = writeDigits(uploaded, countersAt);
        System.arraycopy(DOWNLOADED, 0, chars, at, DOWNLOADED.length);
        at = writeDigits(downloaded, at + DOWNLOADED.length);
        System.arraycopy(tail, 0, chars, at, tail.length);
        length = at + tail.length;
    }

    private int writeDigits(long value, int at) {
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        long v = value;
        for (int i = at + digits - 1; i >= at; i--) {
            chars[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return chars[Objects.checkIndex(index, length)];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, length);
        return new String(chars, start, end - start);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
