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
 * <p>Thread-safe; no call waits for anything but the monitor of one pending row.
 */
public final class FlushQueues implements StatSink {
    final PendingRows<Integer, Deltas.User> users = new PendingRows<>(Deltas.User::new);
    final PendingRows<Integer, Deltas.Torrent> torrents = new PendingRows<>(Deltas.Torrent::new);
    final PendingRows<Long, Deltas.History> history = new PendingRows<>(Deltas.History::new);
    final PendingRows<Deltas.IpKey, Deltas.Ip> ips = new PendingRows<>(Deltas.Ip::new);
    final PendingRows<Long, Deltas.Snatch> snatches = new PendingRows<>(Deltas.Snatch::new);
    final Set<Integer> unprunes = ConcurrentHashMap.newKeySet();
    private volatile Runnable unpruneListener = () -> { };

    @Override
    public void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
        while (true) {
            Deltas.User row = users.open(userId);
            synchronized (row) {
                if (row.sealed) {
                    continue;
                }
                row.up = Delta.add(row.up, upDelta);
                row.down = Delta.add(row.down, downDelta);
                row.rawUp = Delta.add(row.rawUp, rawUpDelta);
                row.rawDown = Delta.add(row.rawDown, rawDownDelta);
                return;
            }
        }
    }

    @Override
    public void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatchCount,
                        long lastAction) {
        while (true) {
            Deltas.Torrent row = torrents.open(torrentId);
            synchronized (row) {
                if (row.sealed) {
                    continue;
                }
                row.groupId = groupId;
                row.type = type;
                row.seeders = seeders;
                row.leechers = leechers;
                row.snatches = Delta.add(row.snatches, snatchCount);
                row.lastAction = Math.max(row.lastAction, lastAction);
                return;
            }
        }
    }

    @Override
    public void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta, boolean seeding,
                                long startTime, long lastAnnounce, long activeTimeDelta, long seedTimeDelta,
                                boolean active, int snatchCount, long remaining) {
        Long key = LongSet.pair(userId, torrentId);
        while (true) {
            Deltas.History row = history.open(key);
            synchronized (row) {
                if (row.sealed) {
                    continue;
                }
                if (row.lastAnnounce == 0) {
                    row.startTime = startTime;
                }
                row.up = Delta.add(row.up, rawUpDelta);
                row.down = Delta.add(row.down, rawDownDelta);
                row.seeding = seeding;
                row.lastAnnounce = lastAnnounce;
                row.activeTime = Delta.add(row.activeTime, activeTimeDelta);
                row.seedTime = Delta.add(row.seedTime, seedTimeDelta);
                row.active = active;
                row.snatches = Delta.add(row.snatches, snatchCount);
                row.remaining = remaining;
                return;
            }
        }
    }

    @Override
    public void transferIp(int userId, int torrentId, int ip, int clientId, int port, long rawUpDelta,
                           long rawDownDelta, long startTime, long lastAnnounce) {
        Deltas.IpKey key = new Deltas.IpKey(userId, torrentId, ip, clientId);
        while (true) {
            Deltas.Ip row = ips.open(key);
            synchronized (row) {
                if (row.sealed) {
                    continue;
                }
                if (row.lastAnnounce == 0) {
                    row.startTime = startTime;
                }
                row.port = port;
                row.up = Delta.add(row.up, rawUpDelta);
                row.down = Delta.add(row.down, rawDownDelta);
                row.lastAnnounce = lastAnnounce;
                return;
            }
        }
    }

    @Override
    public void snatch(int userId, int torrentId, long time) {
        Long key = LongSet.pair(userId, torrentId);
        while (true) {
            Deltas.Snatch row = snatches.open(key);
            synchronized (row) {
                if (row.sealed) {
                    continue;
                }
                row.time = time;
                return;
            }
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
        Deltas.Torrent row = torrents.peek(torrentId);
        if (row == null) {
            return 0;
        }
        synchronized (row) {
            return row.sealed ? 0 : row.snatches;
        }
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
