package io.chihaya.tracker.cache;

/**
 * Told how far a long read or write has got, in entries (users, torrents and peers together). Called
 * from the reading or writing thread, every few tens of thousands of entries and once at the end.
 */
@FunctionalInterface
public interface CacheProgress {
    /** Ignores every report. */
    CacheProgress NONE = (done, total) -> {
    };

    /**
     * @param done  entries processed so far
     * @param total entries in the file
     */
    void update(long done, long total);
}
