package io.chihaya.tracker.cache;

import java.time.Instant;

/**
 * What a cache file says about itself, read and checked before any entry.
 *
 * @param version   format version
 * @param writtenAt when the tracker (or {@code cc load}) wrote it, millisecond precision
 * @param users     number of users
 * @param torrents  number of torrents
 * @param peers     number of peers over all torrents
 * @param fileSize  size of the file in bytes
 * @param checksum  the CRC32C of the sections, as stored and verified
 */
public record CacheHeader(int version, Instant writtenAt, int users, int torrents, long peers, long fileSize,
                          int checksum) {
    /** Users, torrents and peers together: the unit of {@link CacheProgress}. */
    public long entries() {
        return (long) users + torrents + peers;
    }
}
