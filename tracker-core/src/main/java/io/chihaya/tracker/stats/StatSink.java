package io.chihaya.tracker.stats;

import io.chihaya.tracker.model.TorrentType;

/**
 * Receives the statistic changes an announce produces, one call per affected row, shaped so that a
 * writer can merge calls for the same row before writing (adds summed, overwrites kept latest).
 *
 * <p>Contract: called from announce threads, possibly concurrently, so implementations are
 * thread-safe; they must never block (an announce is answered from memory whatever the database
 * does). Byte counts are non-negative; times are seconds since the epoch.
 */
public interface StatSink {
    /** A sink that drops everything (tests and tools). */
    StatSink NONE = new StatSink() {
    };

    /** {@code users_main}: add to Uploaded, Downloaded, rawup, rawdl. */
    default void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
    }

    /**
     * {@code torrents}: current Seeders/Leechers (overwrite), Snatched += snatches, last_action = max;
     * the group is given so that {@code flush_groups} can touch its timestamp.
     */
    default void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatches,
                         long lastAction) {
    }

    /**
     * {@code transfer_history} (uid, fid): uploaded/downloaded/activetime/seedtime/snatched add,
     * seeding/last_announce/active/remaining overwrite, starttime only on insert.
     */
    default void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta, boolean seeding,
                                 long startTime, long lastAnnounce, long activeTimeDelta, long seedTimeDelta,
                                 boolean active, int snatches, long remaining) {
    }

    /**
     * {@code transfer_ips} (uid, fid, ip, client_id): bytes add, port and last_announce overwrite,
     * starttime only on insert. {@code ip} is an IPv4 address as an int.
     */
    default void transferIp(int userId, int torrentId, int ip, int clientId, int port, long rawUpDelta,
                            long rawDownDelta, long startTime, long lastAnnounce) {
    }

    /** {@code transfer_history.snatched_time} = time for (uid, fid). */
    default void snatch(int userId, int torrentId, long time) {
    }

    /** {@code torrents.Status} = 0 for a torrent an announce un-pruned; to be written at once. */
    default void unprune(int torrentId) {
    }
}
