package io.chihaya.tracker.announce;

/**
 * Parses a raw (still percent-encoded) query string into an {@link AnnounceRequest}.
 *
 * <p>Rules (SPEC 4.1): pairs are split on {@code &} then on the first {@code =}; key and value are
 * percent-decoded with {@code +} meaning space; {@code info_hash} must be spelled in lower case and
 * may repeat (only 20-byte values are kept), other keys are case-insensitive and the last value wins;
 * semicolons are ordinary characters. Numbers that are negative, fractional, non-numeric or out of
 * range count as missing. The query is read as one byte per char (chars above 255 are malformed).
 *
 * <p>Never throws on any input. Reusable and not thread-safe: use one per thread.
 */
public final class QueryParser {
    /** Longest query accepted, in chars. A scrape of ~100 percent-encoded hashes fits. */
    public static final int MAX_QUERY_LENGTH = 8192;

    /** What parsing found wrong with the query as a whole. */
    public enum Result {
        OK("ok"),
        TOO_LONG("Malformed request - query string too long"),
        BAD_ESCAPE("Malformed request - invalid percent-encoding");

        private final String failure;

        Result(String failure) {
            this.failure = failure;
        }

        /** The failure reason sent to the client. */
        public String failure() {
            return failure;
        }
    }

    private final byte[] key = new byte[64];
    private final byte[] value = new byte[MAX_QUERY_LENGTH];
    /** A CharSequence query copied to bytes, so that one parser serves both entry points. */
    private final byte[] chars = new byte[MAX_QUERY_LENGTH];

    /** Parses {@code query} (null or empty means no parameters) into {@code out}, which is cleared first. */
    public Result parse(CharSequence query, AnnounceRequest out) {
        if (query == null) {
            out.clear();
            return Result.OK;
        }
        int length = query.length();
        if (length > MAX_QUERY_LENGTH) {
            out.clear();
            return Result.TOO_LONG;
        }
        for (int i = 0; i < length; i++) {
            char c = query.charAt(i);
            if (c > 0xFF) {
                // Such a char can only stand where an escape or a byte should: the same failure as a broken escape.
                out.clear();
                return Result.BAD_ESCAPE;
            }
            chars[i] = (byte) c;
        }
        return parse(chars, 0, length, out);
    }

    /**
     * Parses the raw query bytes {@code src[from, to)} (one byte per char, as they came off the wire)
     * into {@code out}, which is cleared first. An empty range means no parameters.
     */
    public Result parse(byte[] src, int from, int to, AnnounceRequest out) {
        out.clear();
        if (to - from > MAX_QUERY_LENGTH) {
            return Result.TOO_LONG;
        }
        int start = from;
        while (start <= to) {
            int end = indexOf(src, (byte) '&', start, to);
            if (end > start) {
                int eq = indexOf(src, (byte) '=', start, end);
                int keyLength = decode(src, start, eq, key);
                int valueFrom = Math.min(eq + 1, end);
                int valueLength = decode(src, valueFrom, end, value);
                if (keyLength == BAD || valueLength == BAD) {
                    return Result.BAD_ESCAPE;
                }
                if (keyLength != TOO_LONG_FOR_BUFFER) {
                    accept(keyLength, valueLength, out);
                }
            }
            start = end + 1;
        }
        return Result.OK;
    }

    private static final int BAD = -1;
    private static final int TOO_LONG_FOR_BUFFER = -2;

    private void accept(int keyLength, int valueLength, AnnounceRequest out) {
        if (is(key, keyLength, "info_hash", false)) {
            if (valueLength == 20) {
                out.infoHashValues++;
            }
            if (valueLength == 20 && (out.infoHashCount + 1) * 20 <= out.infoHashes.length) {
                System.arraycopy(value, 0, out.infoHashes, out.infoHashCount * 20, 20);
                out.infoHashCount++;
            }
            return;
        }
        switch (keyLength) {
            case 2:
                if (is(key, keyLength, "ip", true)) {
                    out.ip = text(valueLength);
                }
                break;
            case 4:
                if (is(key, keyLength, "port", true)) {
                    long port = unsigned(valueLength);
                    out.port = port >= 0 && port <= 0xFFFF ? (int) port : -1;
                } else if (is(key, keyLength, "left", true)) {
                    out.hasLeft = parseUnsigned(valueLength);
                    out.left = out.hasLeft ? parsed : AnnounceRequest.MISSING;
                } else if (is(key, keyLength, "ipv4", true)) {
                    out.ipv4 = text(valueLength);
                }
                break;
            case 5:
                if (is(key, keyLength, "event", true)) {
                    readEvent(valueLength, out);
                }
                break;
            case 7:
                if (is(key, keyLength, "peer_id", true)) {
                    out.peerIdLength = valueLength;
                    System.arraycopy(value, 0, out.peerId, 0, Math.min(valueLength, AnnounceRequest.PEER_ID_LENGTH));
                } else if (is(key, keyLength, "numwant", true)) {
                    out.hasNumwant = parseUnsigned(valueLength);
                    out.numwant = out.hasNumwant ? parsed : AnnounceRequest.MISSING;
                } else if (is(key, keyLength, "compact", true)) {
                    out.compact = !(valueLength == 1 && value[0] == '0');
                }
                break;
            case 8:
                if (is(key, keyLength, "uploaded", true)) {
                    out.hasUploaded = parseUnsigned(valueLength);
                    out.uploaded = out.hasUploaded ? parsed : AnnounceRequest.MISSING;
                }
                break;
            case 10:
                if (is(key, keyLength, "downloaded", true)) {
                    out.hasDownloaded = parseUnsigned(valueLength);
                    out.downloaded = out.hasDownloaded ? parsed : AnnounceRequest.MISSING;
                } else if (is(key, keyLength, "no_peer_id", true)) {
                    out.noPeerId = valueLength == 1 && value[0] == '1';
                }
                break;
            default:
                break;
        }
    }

    private void readEvent(int valueLength, AnnounceRequest out) {
        if (is(value, valueLength, "started", false)) {
            out.event = Event.STARTED;
            out.eventText = "started";
        } else if (is(value, valueLength, "completed", false)) {
            out.event = Event.COMPLETED;
            out.eventText = "completed";
        } else if (is(value, valueLength, "stopped", false)) {
            out.event = Event.STOPPED;
            out.eventText = "stopped";
        } else {
            out.event = Event.NONE;
            out.eventText = valueLength == 0 ? "" : text(Math.min(valueLength, 64));
        }
    }

    /** The number parsed by the last successful {@link #parseUnsigned} call. */
    private long parsed;

    private long unsigned(int valueLength) {
        return parseUnsigned(valueLength) ? parsed : AnnounceRequest.MISSING;
    }

    /** Parses the value as an unsigned decimal below 2^64 into {@link #parsed}. */
    private boolean parseUnsigned(int valueLength) {
        if (valueLength == 0) {
            return false;
        }
        int start = 0;
        while (start < valueLength - 1 && value[start] == '0') {
            start++; // leading zeros are allowed in any number, as Go's ParseUint allows them
        }
        if (valueLength - start > 20) {
            return false;
        }
        long result = 0;
        for (int i = start; i < valueLength; i++) {
            int digit = value[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            // result * 10 + digit must stay below 2^64 (unsigned arithmetic)
            if (Long.compareUnsigned(result, 0x1999999999999999L) > 0) {
                return false;
            }
            long times10 = result * 10;
            long next = times10 + digit;
            if (Long.compareUnsigned(next, times10) < 0) {
                return false;
            }
            result = next;
        }
        parsed = result;
        return true;
    }

    private String text(int valueLength) {
        char[] chars = new char[valueLength];
        for (int i = 0; i < valueLength; i++) {
            chars[i] = (char) (value[i] & 0xFF);
        }
        return new String(chars);
    }

    private static boolean is(byte[] bytes, int length, String name, boolean ignoreCase) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = bytes[i] & 0xFF;
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] s, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return to;
    }

    /** Percent-decodes {@code src[from, to)} into {@code dst}; BAD on a broken escape. */
    private static int decode(byte[] src, int from, int to, byte[] dst) {
        int n = 0;
        boolean overflow = false;
        for (int i = from; i < to; i++) {
            int b = src[i] & 0xFF;
            if (b == '%') {
                int hi = i + 1 < to ? Percent.hex(src[i + 1]) : -1;
                int lo = i + 2 < to ? Percent.hex(src[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    return BAD;
                }
                b = hi << 4 | lo;
                i += 2;
            } else if (b == '+') {
                b = ' ';
            }
            if (n < dst.length) {
                dst[n] = (byte) b;
            } else {
                overflow = true;
            }
            n++;
        }
        return overflow ? TOO_LONG_FOR_BUFFER : n;
    }
}
