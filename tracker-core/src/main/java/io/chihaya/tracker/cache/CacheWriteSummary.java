package io.chihaya.tracker.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What one cache write did, for the log line and the serialization metric.
 *
 * @param file      the cache file now in place
 * @param writtenAt the time recorded in its header
 * @param users     users written
 * @param torrents  torrents written
 * @param peers     peers written
 * @param bytes     size of the file
 * @param elapsed   time from start to the file being renamed into place and synced
 */
public record CacheWriteSummary(Path file, Instant writtenAt, int users, int torrents, long peers, long bytes,
                                Duration elapsed) {
}
