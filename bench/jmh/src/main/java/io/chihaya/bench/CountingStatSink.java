package io.chihaya.bench;

import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.StatSink;

import java.util.concurrent.atomic.LongAdder;

/**
 * A stat sink that only folds its arguments into one {@link LongAdder}: cheap and free of shared
 * hot spots (LongAdder stripes under contention), yet it uses every value, so the JIT cannot drop the
 * work that computes them. Thread-safe.
 */
final class CountingStatSink implements StatSink {
    private final LongAdder sum = new LongAdder();

    @Override
    public void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
        sum.add(userId + upDelta + downDelta + rawUpDelta + rawDownDelta);
    }

    @Override
    public void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatches,
                        long lastAction) {
        sum.add(torrentId + groupId + type.ordinal() + seeders + leechers + snatches + lastAction);
    }

    @Override
    public void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta, boolean seeding,
                                long startTime, long lastAnnounce, long activeTimeDelta, long seedTimeDelta,
                                boolean active, int snatches, long remaining) {
        sum.add(userId + torrentId + rawUpDelta + rawDownDelta + (seeding ? 1 : 0) + startTime + lastAnnounce
                + activeTimeDelta + seedTimeDelta + (active ? 1 : 0) + snatches + remaining);
    }

    @Override
    public void transferIp(int userId, int torrentId, int ip, int clientId, int port, long rawUpDelta,
                           long rawDownDelta, long startTime, long lastAnnounce) {
        sum.add(userId + torrentId + ip + clientId + port + rawUpDelta + rawDownDelta + startTime + lastAnnounce);
    }

    @Override
    public void snatch(int userId, int torrentId, long time) {
        sum.add(userId + torrentId + time);
    }

    @Override
    public void unprune(int torrentId) {
        sum.add(torrentId);
    }

    /** The folded sum, so that a caller can print it and nothing is dead. */
    long sum() {
        return sum.sum();
    }
}
