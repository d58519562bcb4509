package io.chihaya.server.http;

/**
 * Finds and parses HTTP/1.x request heads in a byte buffer, without copying or decoding anything.
 *
 * <p>Lenient where trackers need it and strict where ambiguity is a risk: the request target may hold
 * any byte but CR and LF (old clients send raw binary info hashes; percent escapes are left for the
 * handler to judge, so a broken one gets a bencoded answer instead of a bare 400); lines may end in
 * LF alone; empty lines before a request are skipped. Folded header lines, a bare CR, a
 * Transfer-Encoding other than chunked, both Transfer-Encoding and Content-Length, or Content-Length
 * values that disagree are refused, since an intermediary might read them differently.
 *
 * <p>Stateless; thread-safe.
 */
final class HeadParser {
    /** What {@link #parse} found. */
    enum Result { OK, BAD }

    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] EXPECT = ascii("expect");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CONTINUE = ascii("100-continue");
    private static final int MAX_METHOD_LENGTH = 32;
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private HeadParser() {
    }

    /**
     * Looks for the blank line that ends a head starting at {@code from}.
     *
     * @param scanFrom where an earlier call on the same head stopped (at least {@code from}), so that a
     *                 head arriving in many small pieces is not scanned again from its start
     * @return the offset just past the blank line, or -1 when {@code buffer[from, to)} holds no whole head
     */
    static int findEnd(byte[] buffer, int from, int to, int scanFrom) {
        for (int i = Math.max(from, scanFrom); i < to; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            if (i + 1 < to && buffer[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < to && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** Where {@link #findEnd} should resume once more bytes follow {@code to}. */
    static int resumeAt(int from, int to) {
        return Math.max(from, to - 2);
    }

    /** Parses the head {@code buffer[from, end)} found by {@link #findEnd} into {@code head}. */
    static Result parse(byte[] buffer, int from, int end, RequestHead head) {
        head.clear(buffer);
        head.end = end;
        int lineEnd = lineEnd(buffer, from, end);
        if (lineEnd < 0 || !requestLine(buffer, from, lineEnd, head)) {
            return Result.BAD;
        }
        boolean close = false;
        boolean keepAlive = false;
        boolean hasTransferEncoding = false;
        int pos = next(buffer, lineEnd);
        while (pos < end) {
            int stop = lineEnd(buffer, pos, end);
            if (stop < 0) {
                return Result.BAD;
            }
            if (stop == pos) {
                break; // the blank line
            }
            if (head.headerCount == RequestHead.MAX_HEADERS) {
                return Result.BAD;
            }
            int colon = pos;
            while (colon < stop && buffer[colon] != ':') {
                if (!TOKEN[buffer[colon] & 0xFF]) {
                    return Result.BAD; // includes a folded line's leading whitespace
                }
                colon++;
            }
            if (colon == pos || colon == stop) {
                return Result.BAD;
            }
            int valueStart = colon + 1;
            int valueEnd = stop;
            while (valueStart < valueEnd && isBlank(buffer[valueStart])) {
                valueStart++;
            }
            while (valueEnd > valueStart && isBlank(buffer[valueEnd - 1])) {
                valueEnd--;
            }
            int n = head.headerCount++;
            head.nameStart[n] = pos;
            head.nameEnd[n] = colon;
            head.valueStart[n] = valueStart;
            head.valueEnd[n] = valueEnd;
            if (equalsIgnoreCase(buffer, pos, colon, CONNECTION)) {
                close |= containsToken(buffer, valueStart, valueEnd, CLOSE);
                keepAlive |= containsToken(buffer, valueStart, valueEnd, KEEP_ALIVE);
            } else if (equalsIgnoreCase(buffer, pos, colon, CONTENT_LENGTH)) {
                long length = digits(buffer, valueStart, valueEnd);
                if (length < 0 || (head.contentLength >= 0 && head.contentLength != length)) {
                    return Result.BAD;
                }
                head.contentLength = length;
            } else if (equalsIgnoreCase(buffer, pos, colon, TRANSFER_ENCODING)) {
                hasTransferEncoding = true;
                head.chunked = endsWithToken(buffer, valueStart, valueEnd, CHUNKED);
                if (!head.chunked) {
                    return Result.BAD; // a coding we cannot take apart: we would not find the next request
                }
            } else if (equalsIgnoreCase(buffer, pos, colon, EXPECT)) {
                head.expectContinue = equalsIgnoreCase(buffer, valueStart, valueEnd, CONTINUE);
            }
            pos = next(buffer, stop);
        }
        if (hasTransferEncoding && (head.contentLength >= 0 || head.http10)) {
            return Result.BAD;
        }
        head.keepAlive = head.http10 ? keepAlive && !close : !close;
        return Result.OK;
    }

    /** method SP target SP HTTP/1.x; the target is everything between the first and the last space. */
    private static boolean requestLine(byte[] b, int from, int to, RequestHead head) {
        int firstSpace = from;
        while (firstSpace < to && b[firstSpace] != ' ') {
            if (!TOKEN[b[firstSpace] & 0xFF]) {
                return false;
            }
            firstSpace++;
        }
        int lastSpace = to - 1;
        while (lastSpace > firstSpace && b[lastSpace] != ' ') {
            lastSpace--;
        }
        if (firstSpace == from || firstSpace - from > MAX_METHOD_LENGTH || lastSpace <= firstSpace + 1) {
            return false;
        }
        if (to - lastSpace - 1 != 8 || b[lastSpace + 1] != 'H' || b[lastSpace + 2] != 'T' || b[lastSpace + 3] != 'T'
                || b[lastSpace + 4] != 'P' || b[lastSpace + 5] != '/' || b[lastSpace + 6] != '1'
                || b[lastSpace + 7] != '.' || (b[lastSpace + 8] != '0' && b[lastSpace + 8] != '1')) {
            return false;
        }
        head.http10 = b[lastSpace + 8] == '0';
        head.methodStart = from;
        head.methodEnd = firstSpace;
        int target = firstSpace + 1;
        int targetEnd = lastSpace;
        int path;
        if (b[target] == '/' || (targetEnd - target == 1 && b[target] == '*')) {
            path = target;
        } else {
            int afterScheme = afterScheme(b, target, targetEnd);
            if (afterScheme < 0) {
                return false;
            }
            path = afterScheme;
            while (path < targetEnd && b[path] != '/' && b[path] != '?') {
                path++; // the authority of an absolute-form target
            }
        }
        int question = path;
        while (question < targetEnd && b[question] != '?') {
            question++;
        }
        head.pathStart = path;
        head.pathEnd = question;
        if (question < targetEnd) {
            head.queryStart = question + 1;
            head.queryEnd = targetEnd;
        }
        return true;
    }

    /** The offset after "http://" or "https://" (any case) at {@code from}, or -1. */
    private static int afterScheme(byte[] b, int from, int to) {
        int i = from;
        for (char c : "http".toCharArray()) {
            if (i >= to || (b[i] | 0x20) != c) {
                return -1;
            }
            i++;
        }
        if (i < to && (b[i] | 0x20) == 's') {
            i++;
        }
        if (to - i < 3 || b[i] != ':' || b[i + 1] != '/' || b[i + 2] != '/') {
            return -1;
        }
        return i + 3;
    }

    /** The end of the line starting at {@code from} (before CR LF or LF), or -1 on a bare CR or no LF. */
    private static int lineEnd(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? i - 1 : i;
            }
            if (b[i] == '\r' && (i + 1 >= end || b[i + 1] != '\n')) {
                return -1;
            }
        }
        return -1;
    }

    /** The start of the line after the one ending at {@code lineEnd}. */
    private static int next(byte[] b, int lineEnd) {
        return b[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** A decimal of at most 18 digits, or -1. */
    private static long digits(byte[] b, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Whether the comma-separated list {@code b[from, to)} contains {@code token} (ignoring case). */
    private static boolean containsToken(byte[] b, int from, int to, byte[] token) {
        int start = from;
        while (start < to) {
            int comma = start;
            while (comma < to && b[comma] != ',') {
                comma++;
            }
            if (equalsIgnoreCase(b, trimStart(b, start, comma), trimEnd(b, start, comma), token)) {
                return true;
            }
            start = comma + 1;
        }
        return false;
    }

    /** Whether the last element of the comma-separated list {@code b[from, to)} is {@code token}. */
    private static boolean endsWithToken(byte[] b, int from, int to, byte[] token) {
        int comma = to;
        while (comma > from && b[comma - 1] != ',') {
            comma--;
        }
        return equalsIgnoreCase(b, trimStart(b, comma, to), trimEnd(b, comma, to), token);
    }

    private static int trimStart(byte[] b, int from, int to) {
        while (from < to && isBlank(b[from])) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && isBlank(b[to - 1])) {
            to--;
        }
        return to;
    }

    /** Whether {@code b[from, to)} equals {@code lowerCase} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lowerCase) {
        if (to - from != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
