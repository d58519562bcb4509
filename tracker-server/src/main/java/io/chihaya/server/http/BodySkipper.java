package io.chihaya.server.http;

/**
 * Reads past a request body the tracker does not use, so that the next request on the connection is
 * found where it starts: a Content-Length count, or a chunked body taken apart chunk by chunk
 * (extensions and trailers ignored). Bodies above a limit fail, and the connection is then closed.
 * Not thread-safe: one per connection, reused.
 */
final class BodySkipper {
    private enum State { NONE, COUNTED, SIZE, EXTENSION, DATA, DATA_END, TRAILER_START, TRAILER, FAILED }

    private final long limit;
    private State state = State.NONE;
    private long remaining;
    private long size;
    private int sizeDigits;
    private long total;

    BodySkipper(long limit) {
        this.limit = limit;
    }

    /** Starts skipping the body the head announces; false when it is larger than the limit. */
    boolean start(RequestHead head) {
        total = 0;
        if (head.chunked) {
            state = State.SIZE;
            size = 0;
            sizeDigits = 0;
            return true;
        }
        if (head.contentLength > limit) {
            state = State.FAILED;
            return false;
        }
        remaining = Math.max(0, head.contentLength);
        state = remaining > 0 ? State.COUNTED : State.NONE;
        return true;
    }

    /** Whether a body is still being skipped. */
    boolean active() {
        return state != State.NONE && state != State.FAILED;
    }

    /** Whether the body broke the chunked syntax or the limit. */
    boolean failed() {
        return state == State.FAILED;
    }

    /** Skips what belongs to the body in {@code b[from, to)}; returns where the next request starts. */
    int skip(byte[] b, int from, int to) {
        int i = from;
        while (i < to && active()) {
            switch (state) {
                case COUNTED -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.NONE;
                    }
                }
                case SIZE -> {
                    int digit = Character.digit(b[i] & 0xFF, 16);
                    if (digit >= 0 && sizeDigits < 15) {
                        size = size * 16 + digit;
                        sizeDigits++;
                    } else if (sizeDigits > 0 && (b[i] == ';' || b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
                        state = State.EXTENSION;
                    } else if (sizeDigits > 0 && b[i] == '\n') {
                        endOfSizeLine();
                    } else {
                        state = State.FAILED;
                    }
                    i++;
                }
                case EXTENSION -> {
                    if (b[i] == '\n') {
                        endOfSizeLine();
                    }
                    i++;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (b[i] == '\n') {
                        state = State.SIZE;
                        size = 0;
                        sizeDigits = 0;
                    } else if (b[i] != '\r') {
                        state = State.FAILED;
                    }
                    i++;
                }
                case TRAILER_START -> {
                    if (b[i] == '\n') {
                        state = State.NONE; // the empty line: end of the body
                    } else if (b[i] != '\r') {
                        state = State.TRAILER;
                    }
                    i++;
                }
                case TRAILER -> {
                    if (b[i] == '\n') {
                        state = State.TRAILER_START;
                    }
                    i++;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return i;
    }

    private void endOfSizeLine() {
        total += size;
        if (total > limit) {
            state = State.FAILED;
        } else if (size == 0) {
            state = State.TRAILER_START;
        } else {
            remaining = size;
            state = State.DATA;
        }
    }
}
