package io.chihaya.server.http;

import java.nio.charset.StandardCharsets;

/** A Content-Type header line, encoded once. Immutable. */
public final class ContentType {
    final byte[] line;

    private ContentType(String value) {
        this.line = ("Content-Type: " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The header for {@code value}, e.g. {@code text/plain}. */
    public static ContentType of(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in a content type: " + value);
        }
        return new ContentType(value);
    }
}
