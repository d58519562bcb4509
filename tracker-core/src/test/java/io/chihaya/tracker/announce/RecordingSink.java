package io.chihaya.tracker.announce;

import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.StatSink;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps every call, in order, as a value (thread-safe). */
final class RecordingSink implements StatSink {
    record UserChange(int userId, long up, long down, long rawUp, long rawDown) {
    }

    record TorrentChange(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatches,
                         long lastAction) {
    }

    record HistoryChange(int userId, int torrentId, long rawUp, long rawDown, boolean seeding, long startTime,
                         long lastAnnounce, long activeTime, long seedTime, boolean active, int snatches,
                         long remaining) {
    }

    record IpChange(int userId, int torrentId, int ip, int clientId, int port, long rawUp, long rawDown,
                    long startTime, long lastAnnounce) {
    }

    record Snatch(int userId, int torrentId, long time) {
    }

    record Unprune(int torrentId) {
    }

    final List<Object> calls = new ArrayList<>();

    synchronized <T> List<T> of(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (Object call : calls) {
            if (type.isInstance(call)) {
                result.add(type.cast(call));
            }
        }
        return result;
    }

    synchronized void clear() {
        calls.clear();
    }

    @Override
    public synchronized void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
        calls.add(new UserChange(userId, upDelta, downDelta, rawUpDelta, rawDownDelta));
    }

    @Override
    public synchronized void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers,
                                     int snatches, long lastAction) {
        calls.add(new TorrentChange(torrentId, groupId, type, seeders, leechers, snatches, lastAction));
    }

    @Override
    public synchronized void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta,
                                             boolean seeding, long startTime, long lastAnnounce,
                                             long activeTimeDelta, long seedTimeDelta, boolean active,
                                             int snatches, long remaining) {
        calls.add(new HistoryChange(userId, torrentId, rawUpDelta, rawDownDelta, seeding, startTime, lastAnnounce,
                activeTimeDelta, seedTimeDelta, active, snatches, remaining));
    }

    @Override
    public synchronized void transferIp(int userId, int torrentId, int ip, int clientId, int port, long rawUpDelta,
                                        long rawDownDelta, long startTime, long lastAnnounce) {
        calls.add(new IpChange(userId, torrentId, ip, clientId, port, rawUpDelta, rawDownDelta, startTime,
                lastAnnounce));
    }

    @Override
    public synchronized void snatch(int userId, int torrentId, long time) {
        calls.add(new Snatch(userId, torrentId, time));
    }

    @Override
    public synchronized void unprune(int torrentId) {
        calls.add(new Unprune(torrentId));
    }
}
