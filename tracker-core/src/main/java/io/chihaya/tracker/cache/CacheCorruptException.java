package io.chihaya.tracker.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cache file that cannot be trusted: truncated, bit-flipped, of an unknown format or version, or
 * holding a value out of range. The message says what is wrong and where (a byte offset, and the
 * entry when there is one), so one log line is enough to understand it.
 */
public final class CacheCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param file   the cache file
     * @param offset the byte offset of the problem, or -1 when it concerns the whole file
     * @param detail what is wrong
     */
    public CacheCorruptException(Path file, long offset, String detail) {
        super(file + ": " + (offset >= 0 ? "at byte " + offset + ": " : "") + detail);
        this.offset = offset;
    }

    /** The byte offset of the problem, or -1 when it concerns the whole file. */
    public long offset() {
        return offset;
    }
}
