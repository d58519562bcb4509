package io.chihaya.server.http;

import java.nio.charset.StandardCharsets;

/** Status lines, encoded once. Stateless. */
final class Status {
    private static final byte[] OK = line(200, "OK");
    private static final byte[] BAD_REQUEST = line(400, "Bad Request");
    private static final byte[] NOT_FOUND = line(404, "Not Found");
    private static final byte[] INTERNAL_ERROR = line(500, "Internal Server Error");
    private static final byte[] UNAVAILABLE = line(503, "Service Unavailable");

    private Status() {
    }

    static byte[] line(int status) {
        return switch (status) {
            case 200 -> OK;
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 500 -> INTERNAL_ERROR;
            case 503 -> UNAVAILABLE;
            default -> {
                if (status < 100 || status > 999) {
                    throw new IllegalArgumentException("not an HTTP status: " + status);
                }
                yield line(status, "Status " + status);
            }
        };
    }

    private static byte[] line(int status, String reason) {
        return ("HTTP/1.1 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
