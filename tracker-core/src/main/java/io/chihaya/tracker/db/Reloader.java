package io.chihaya.tracker.db;

import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.stats.TrackerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * Loads users, hit-and-runs, torrents, group and global freeleech, and (at start and every 10th
 * time) approved clients into the {@link Registry} (SPEC 6.1). Each part is read in full before it
 * replaces the old one, so announces never wait on a query and a failed part keeps its old data
 * (logged, counted). Not meant to run concurrently with itself; the server schedules it on one thread.
 */
public final class Reloader {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final DatabaseLoader loader;
    private final Registry registry;
    private final Flusher flusher;
    private final FlushQueues queues;
    private final TrackerMetrics metrics;
    private int reloads;

    /**
     * @param flusher may be null (no writers running: tools and tests); otherwise torrent writes pause
     *                during the torrent load so that pending snatches are counted exactly once
     * @param queues  may be null; its pending snatches are added to the loaded Snatched
     */
    public Reloader(DatabaseLoader loader, Registry registry, Flusher flusher, FlushQueues queues,
                    TrackerMetrics metrics) {
        this.loader = loader;
        this.registry = registry;
        this.flusher = flusher;
        this.queues = queues;
        this.metrics = metrics;
    }

    /** What one reload achieved. */
    public record Summary(int users, int hitAndRuns, int torrents, int groups, boolean globalFreeleech, int clients,
                          int failures, long millis) {
    }

    /** Loads everything once; clients when {@code withClients} or on every 10th call. */
    public synchronized Summary reload(boolean withClients) {
        long started = System.nanoTime();
        int failures = 0;
        boolean clients = withClients || reloads % 10 == 0;
        reloads++;
        failures += load("users", () -> {
            registry.loadUsers(loader.users());
            return registry.users().size();
        });
        failures += load("hnrs", () -> {
            registry.setHitAndRuns(loader.hitAndRuns());
            return registry.hitAndRuns().size();
        });
        failures += load("torrents", this::loadTorrents);
        failures += load("group_freeleech", () -> {
            registry.setGroupFreeleech(loader.groupFreeleech());
            return registry.groupFreeleech().size();
        });
        failures += load("global_freeleech", () -> {
            registry.setGlobalFreeleech(loader.globalFreeleech());
            return registry.globalFreeleech() ? 1 : 0;
        });
        if (clients) {
            failures += load("clients", () -> {
                registry.setApprovedClients(loader.approvedClients());
                return registry.approvedClients().size();
            });
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Summary summary = new Summary(registry.users().size(), registry.hitAndRuns().size(),
                registry.torrents().size(), registry.groupFreeleech().size(), registry.globalFreeleech(),
                registry.approvedClients().size(), failures, millis);
        LOG.info("reload users={} hnrs={} torrents={} groups={} global_freeleech={} clients={} failures={} ms={}",
                summary.users(), summary.hitAndRuns(), summary.torrents(), summary.groups(),
                summary.globalFreeleech(), summary.clients(), failures, millis);
        return summary;
    }

    private int loadTorrents() {
        IntToLongFunction pending = queues == null ? id -> 0 : queues::pendingSnatches;
        Supplier<Integer> load = () -> {
            // Streamed: a reload of a million torrents never holds a million rows (see Registry.TorrentLoad).
            Registry.TorrentLoad torrents = registry.torrentLoad(pending);
            int rows = loader.torrents(torrents);
            torrents.finish();
            return rows;
        };
        return flusher == null ? load.get() : flusher.withTorrentWritesPaused(load);
    }

    private int load(String type, Supplier<Integer> part) {
        long started = System.nanoTime();
        try {
            part.get();
            metrics.reloaded(type, (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (RuntimeException e) {
            metrics.reloadFailed(type);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("reload of {} failed, keeping the previous data: {}", type, message.replace('\n', ' '));
            return 1;
        }
    }
}
