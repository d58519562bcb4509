package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.StatSink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link StatSink} of a tracker backed by MariaDB: merges every change into the pending row of
 * its table (adds summed, overwrites latest, last_action max), never blocking the announce. The
 * {@link Flusher}'s writers take the rows out and write them.
 *
 * <p>Thread-safe; no call waits for anything but the monitor of one segment of a table's pending
 * rows ({@link PendingRows}), held while a few fields change.
 */
public final class FlushQueues implements StatSink {
    final PendingRows<Deltas.User> users = new PendingRows<>(Deltas.User.LAYOUT);
    final PendingRows<Deltas.Torrent> torrents = new PendingRows<>(Deltas.Torrent.LAYOUT);
    final PendingRows<Deltas.History> history = new PendingRows<>(Deltas.History.LAYOUT);
    final PendingRows<Deltas.Ip> ips = new PendingRows<>(Deltas.Ip.LAYOUT);
    final PendingRows<Deltas.Snatch> snatches = new PendingRows<>(Deltas.Snatch.LAYOUT);
    final Set<Integer> unprunes = ConcurrentHashMap.newKeySet();
    private volatile Runnable unpruneListener = () -> { };

    @Override
    public void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
        long hash = PendingRows.hash(userId, 0);
        PendingRows.Segment segment = users.segment(hash);
        synchronized (segment) {
            int b = segment.open(userId, 0, hash);
            long[] v = segment.values;
            v[b + Deltas.User.UP] = Delta.add(v[b + Deltas.User.UP], upDelta);
            v[b + Deltas.User.DOWN] = Delta.add(v[b + Deltas.User.DOWN], downDelta);
            v[b + Deltas.User.RAW_UP] = Delta.add(v[b + Deltas.User.RAW_UP], rawUpDelta);
            v[b + Deltas.User.RAW_DOWN] = Delta.add(v[b + Deltas.User.RAW_DOWN], rawDownDelta);
        }
    }

    @Override
    public void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatchCount,
                        long lastAction) {
        long hash = PendingRows.hash(torrentId, 0);
        PendingRows.Segment segment = torrents.segment(hash);
        synchronized (segment) {
            int b = segment.open(torrentId, 0, hash);
            long[] v = segment.values;
            v[b + Deltas.Torrent.GROUP_ID] = groupId;
            v[b + Deltas.Torrent.TYPE] = Deltas.Torrent.type(type);
            v[b + Deltas.Torrent.SEEDERS] = seeders;
            v[b + Deltas.Torrent.LEECHERS] = leechers;
            v[b + Deltas.Torrent.SNATCHES] = Delta.add(v[b + Deltas.Torrent.SNATCHES], snatchCount);
            v[b + Deltas.Torrent.LAST_ACTION] = Math.max(v[b + Deltas.Torrent.LAST_ACTION], lastAction);
        }
    }

    @Override
    public void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta, boolean seeding,
                                long startTime, long lastAnnounce, long activeTimeDelta, long seedTimeDelta,
                                boolean active, int snatchCount, long remaining) {
        long key = LongSet.pair(userId, torrentId);
        long hash = PendingRows.hash(key, 0);
        PendingRows.Segment segment = history.segment(hash);
        synchronized (segment) {
            int b = segment.open(key, 0, hash);
            long[] v = segment.values;
            if (v[b + Deltas.History.LAST_ANNOUNCE] == 0) {
                v[b + Deltas.History.START_TIME] = startTime;
            }
            v[b + Deltas.History.UP] = Delta.add(v[b + Deltas.History.UP], rawUpDelta);
            v[b + Deltas.History.DOWN] = Delta.add(v[b + Deltas.History.DOWN], rawDownDelta);
            v[b + Deltas.History.SEEDING] = seeding ? 1 : 0;
            v[b + Deltas.History.LAST_ANNOUNCE] = lastAnnounce;
            v[b + Deltas.History.ACTIVE_TIME] = Delta.add(v[b + Deltas.History.ACTIVE_TIME], activeTimeDelta);
            v[b + Deltas.History.SEED_TIME] = Delta.add(v[b + Deltas.History.SEED_TIME], seedTimeDelta);
            v[b + Deltas.History.ACTIVE] = active ? 1 : 0;
            v[b + Deltas.History.SNATCHES] = Delta.add(v[b + Deltas.History.SNATCHES], snatchCount);
            v[b + Deltas.History.REMAINING] = remaining;
        }
    }

    @Override
    public void transferIp(int userId, int torrentId, int ip, int clientId, int port, long rawUpDelta,
                           long rawDownDelta, long startTime, long lastAnnounce) {
        long key1 = LongSet.pair(userId, torrentId);
        long key2 = LongSet.pair(ip, clientId);
        long hash = PendingRows.hash(key1, key2);
        PendingRows.Segment segment = ips.segment(hash);
        synchronized (segment) {
            int b = segment.open(key1, key2, hash);
            long[] v = segment.values;
            if (v[b + Deltas.Ip.LAST_ANNOUNCE] == 0) {
                v[b + Deltas.Ip.START_TIME] = startTime;
            }
            v[b + Deltas.Ip.PORT] = port;
            v[b + Deltas.Ip.UP] = Delta.add(v[b + Deltas.Ip.UP], rawUpDelta);
            v[b + Deltas.Ip.DOWN] = Delta.add(v[b + Deltas.Ip.DOWN], rawDownDelta);
            v[b + Deltas.Ip.LAST_ANNOUNCE] = lastAnnounce;
        }
    }

    @Override
    public void snatch(int userId, int torrentId, long time) {
        long key = LongSet.pair(userId, torrentId);
        long hash = PendingRows.hash(key, 0);
        PendingRows.Segment segment = snatches.segment(hash);
        synchronized (segment) {
            int b = segment.open(key, 0, hash);
            segment.values[b + Deltas.Snatch.TIME] = time;
        }
    }

    @Override
    public void unprune(int torrentId) {
        unprunes.add(torrentId);
        unpruneListener.run();
    }

    void onUnprune(Runnable listener) {
        this.unpruneListener = listener;
    }

    /**
     * Snatches of {@code torrentId} counted in memory but not yet taken by a writer. Exact only while
     * the torrents writer is held off (see {@link Flusher#withTorrentWritesPaused}).
     */
    public long pendingSnatches(int torrentId) {
        return torrents.field(torrentId, 0, Deltas.Torrent.SNATCHES, 0);
    }

    /** Distinct rows waiting per table, for metrics and logs. */
    public Backlog backlog() {
        return new Backlog(users.size(), torrents.size(), history.size(), ips.size(), snatches.size(),
                unprunes.size());
    }

    /**
     * Rows waiting per table.
     */
    public record Backlog(int users, int torrents, int transferHistory, int transferIps, int snatches,
                          int unprunes) {
        /** Sum of all. */
        public int total() {
            return users + torrents + transferHistory + transferIps + snatches + unprunes;
        }
    }
}
