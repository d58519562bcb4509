package io.chihaya.server.http;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.x request head parsed in place: offsets into the buffer it was read into, never copies.
 * Filled by {@link HeadParser}; valid until that buffer is reused. Not thread-safe.
 */
final class RequestHead {
    /** Most header fields a request may carry. */
    static final int MAX_HEADERS = 64;

    byte[] buffer;
    int methodStart;
    int methodEnd;
    int pathStart;
    int pathEnd;
    /** Start of the query string (after '?'), or -1 when the target has no '?'. */
    int queryStart;
    int queryEnd;
    boolean http10;
    /** Whether the connection stays open after the response (version default and Connection header). */
    boolean keepAlive;
    /** Content-Length, or -1 when absent. */
    long contentLength;
    boolean chunked;
    boolean expectContinue;
    /** Offset just past the blank line that ends the head. */
    int end;

    int headerCount;
    final int[] nameStart = new int[MAX_HEADERS];
    final int[] nameEnd = new int[MAX_HEADERS];
    final int[] valueStart = new int[MAX_HEADERS];
    final int[] valueEnd = new int[MAX_HEADERS];

    void clear(byte[] buffer) {
        this.buffer = buffer;
        methodStart = methodEnd = pathStart = pathEnd = 0;
        queryStart = queryEnd = -1;
        http10 = false;
        keepAlive = true;
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        end = 0;
        headerCount = 0;
    }

    /** The index of the first header named {@code lowerCaseName} (ASCII, compared ignoring case), or -1. */
    int find(byte[] lowerCaseName) {
        for (int i = 0; i < headerCount; i++) {
            if (HeadParser.equalsIgnoreCase(buffer, nameStart[i], nameEnd[i], lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of header {@code i} as ISO-8859-1 text. */
    String value(int i) {
        return new String(buffer, valueStart[i], valueEnd[i] - valueStart[i], StandardCharsets.ISO_8859_1);
    }
}
