package io.chihaya.server;

import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.announce.ScrapeService;
import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.config.DatabaseUrl;
import io.chihaya.tracker.config.HostPort;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.db.Database;
import io.chihaya.tracker.db.DatabaseLoader;
import io.chihaya.tracker.db.Purger;
import io.chihaya.tracker.db.Reloader;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.flush.PendingStats;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.recorder.AnnounceRecorder;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.server.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running tracker: cache, database sync, HTTP front and timers, started and stopped as one
 * (SPEC 7, 10). Not thread-safe: {@link #start()} and {@link #stop()} are called by one thread.
 */
public final class TrackerServer {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerServer.class);
    /** MariaDB errors that retrying cannot fix: access denied, unknown database, no such user. */
    private static final int[] FATAL_SQL_ERRORS = {1044, 1045, 1049, 1698};
    /** Statistic changes a stop could not write to MariaDB, for the next start (in the working directory). */
    static final String PENDING_STATS = "pending-stats.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final TrackerConfig config;
    private final Registry registry = new Registry();
    private final FlushQueues queues = new FlushQueues();
    private final Metrics metrics;
    private final CacheStore cache;
    private final Path workingDirectory;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chihaya-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean databaseReady = new AtomicBoolean();
    /** Whether MariaDB answered at least once since start (a stop then waits longer for it). */
    private final AtomicBoolean databaseReached = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** The flusher's pending changes are in a file: never a second copy of them. */
    private boolean pendingSaved;
    private AnnounceRecorder recorder;
    private Database database;
    private Flusher flusher;
    private Reloader reloader;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chihaya-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer.Settings httpSettings;
    private HttpServer http;
    private int port;

    public TrackerServer(TrackerConfig config, Path workingDirectory) {
        this(config, workingDirectory, HttpServer.Settings.defaults());
    }

    /** A tracker whose HTTP limits and timeouts are {@code httpSettings} (tests shorten them). */
    public TrackerServer(TrackerConfig config, Path workingDirectory, HttpServer.Settings httpSettings) {
        this.config = config;
        this.httpSettings = httpSettings;
        this.metrics = new Metrics(registry, queues::backlog);
        this.cache = CacheStore.inDirectory(workingDirectory);
        this.workingDirectory = workingDirectory;
    }

    /** The port the HTTP server listens on (useful with port 0). */
    public int port() {
        return port;
    }

    /** The tracker's in-memory data. */
    public Registry registry() {
        return registry;
    }

    /**
     * Starts everything: restores the cache, connects to MariaDB and loads from it, opens the HTTP port
     * (at once, on the cache alone, when MariaDB is unreachable; it is then retried in the background)
     * and starts the timers.
     *
     * @throws StartupException when the database refuses the configuration (access denied, unknown database)
     */
    public void start() {
        long started = System.nanoTime();
        cache.readOrQuarantine().ifPresent(contents -> contents.installInto(registry));

        AnnounceObserver observer = AnnounceObserver.NONE;
        if (config.record()) {
            recorder = AnnounceRecorder.start(workingDirectory.resolve(AnnounceRecorder.DEFAULT_DIRECTORY),
                    java.time.Clock.systemUTC(), AnnounceRecorder.DEFAULT_CAPACITY);
            observer = recorder;
        }
        AnnounceService announces = new AnnounceService(config, registry, queues, observer,
                () -> System.currentTimeMillis() / 1000, ThreadLocalRandom::current);
        ScrapeService scrapes = new ScrapeService(config, registry);

        DatabaseUrl url = config.database().url();
        database = new Database(url.url(), url.username(), url.password());
        flusher = new Flusher(queues, database.jdbi(), config.channels(), Flusher.Settings.of(config), metrics);
        reloader = new Reloader(new DatabaseLoader(database.jdbi()), registry, flusher, queues, metrics);
        restorePendingStats();

        TrackerHandler handler = new TrackerHandler(registry, announces, scrapes, metrics, config.scrape(),
                config.proxy(), config.adminToken(), workers);
        // The port opens after the first load when MariaDB answers, so that no announce is judged on
        // what the cache holds (a cache written before approved clients were kept has none, and an
        // announce refused as "not approved" waits an hour). Only when MariaDB is unreachable does
        // the port open on the cache alone.
        boolean reachable = connectDatabase(url);
        startHttp(handler);
        if (!reachable) {
            timers.schedule(() -> retryConnect(url), 5, TimeUnit.SECONDS);
        }
        flusher.start();
        scheduleTimers();
        LOG.info("started: users={} torrents={} peers={} clients={} port={} ms={}", registry.users().size(),
                registry.torrents().size(), peerCount(), registry.approvedClients().size(), port,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void startHttp(TrackerHandler handler) {
        HostPort listen = config.listenAddress();
        try {
            http = HttpServer.start(new InetSocketAddress(listen.bindHost(), listen.port()), handler, httpSettings);
        } catch (IOException e) {
            throw new StartupException("cannot listen on " + listen.bindHost() + ":" + listen.port() + ": "
                    + oneLine(e));
        }
        port = http.port();
        LOG.info("listening on {}:{} ({} I/O threads, TCP_DEFER_ACCEPT {})", listen.bindHost(), port,
                httpSettings.ioThreads(), http.deferAccept() ? httpSettings.deferAcceptSeconds() + " s" : "off");
    }

    /**
     * First load: fatal configuration errors stop start-up; false when the server is unreachable (the
     * caller schedules the retries).
     */
    private boolean connectDatabase(DatabaseUrl url) {
        try {
            database.jdbi().useHandle(handle -> handle.execute("SELECT 1"));
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql != null && isFatal(sql.getErrorCode())) {
                savePendingStats(); // what restorePendingStats handed over, since stop() will not run
                throw new StartupException("MariaDB at " + url.describe() + " refused the configuration: "
                        + oneLine(sql));
            }
            LOG.warn("MariaDB at {} unreachable ({}); serving from the cache, retrying every 5 s", url.describe(),
                    oneLine(e));
            return false;
        }
        databaseReached.set(true);
        firstLoad();
        return true;
    }

    private void retryConnect(DatabaseUrl url) {
        if (stopped.get()) {
            return;
        }
        try {
            database.jdbi().useHandle(handle -> handle.execute("SELECT 1"));
        } catch (RuntimeException e) {
            LOG.warn("MariaDB at {} still unreachable ({}); retrying in 5 s", url.describe(), oneLine(e));
            timers.schedule(() -> retryConnect(url), 5, TimeUnit.SECONDS);
            return;
        }
        LOG.info("MariaDB at {} reachable again", url.describe());
        databaseReached.set(true);
        firstLoad();
    }

    private void firstLoad() {
        Reloader.Summary summary = reloader.reload(true);
        databaseReady.set(summary.failures() == 0);
    }

    private void scheduleTimers() {
        TrackerConfig.Intervals intervals = config.intervals();
        timers.scheduleWithFixedDelay(guard("reload", () -> reloader.reload(false)), intervals.databaseReload(),
                intervals.databaseReload(), TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(guard("cache write", this::writeCache), intervals.databaseSerialize(),
                intervals.databaseSerialize(), TimeUnit.SECONDS);
        Purger purger = new Purger(registry, queues, flusher, intervals.peerInactivity());
        timers.scheduleWithFixedDelay(guard("purge", () -> purger.purge(System.currentTimeMillis() / 1000)),
                intervals.purgeInactivePeers(), intervals.purgeInactivePeers(), TimeUnit.SECONDS);
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", what, oneLine(e));
            }
        };
    }

    /** Writes the cache now; returns false (logged) when it failed. */
    public boolean writeCache() {
        long started = System.nanoTime();
        try {
            cache.write(registry); // logs its own summary line
            metrics.serialized((System.nanoTime() - started) / 1e9);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("cache write to {} failed: {}", cache.file(), oneLine(e));
            return false;
        }
    }

    /**
     * Stops accepting, finishes in-flight requests, writes every queued change to MariaDB, writes the
     * cache and the recorder (SPEC 10). Idempotent.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        LOG.info("stopping: no new requests, finishing in-flight ones");
        stopHttp();
        timers.shutdownNow();
        FlushQueues.Backlog backlog = queues.backlog();
        LOG.info("writing queued changes to MariaDB: {}", backlog);
        // Up to 60 s for MariaDB to take the changes; 5 s when it has not answered once since the
        // start, as then it is unlikely to now. What is not written goes to pending-stats.json.
        long flushTimeout = databaseReached.get() ? 60_000 : 5_000;
        if (!databaseReached.get() && backlog.total() > 0) {
            LOG.warn("MariaDB has not answered since the start: waiting at most 5 s before keeping the changes"
                    + " in {} for the next start", PENDING_STATS);
        }
        boolean flushed = flusher == null || flusher.stop(flushTimeout);
        if (!flushed) {
            savePendingStats();
        }
        boolean cached = writeCache();
        if (recorder != null) {
            recorder.close();
        }
        if (database != null) {
            database.close();
        }
        LOG.info("stopped: flushed={} cache={} ms={}", flushed, cached, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Hands the changes a previous stop could not write to the flusher, before any announce. The
     * file is renamed first, so that a change is never replayed by two starts; a file that cannot
     * be read is moved aside and start-up goes on.
     */
    private void restorePendingStats() {
        Path file = workingDirectory.resolve(PENDING_STATS);
        if (!Files.exists(file)) {
            return;
        }
        PendingStats stats;
        try {
            stats = PendingStats.read(file);
        } catch (IOException e) {
            Path aside = stamped(".corrupt-");
            LOG.error("cannot read pending statistics ({}); moving the file to {}, its changes are not replayed",
                    oneLine(e), aside);
            moveQuietly(file, aside);
            return;
        }
        Path replayed = stamped(".replayed-");
        if (!moveQuietly(file, replayed)) {
            LOG.error("pending statistics in {} not replayed now (the file could not be renamed); the next start"
                    + " tries again", file);
            return;
        }
        flusher.restore(stats);
        LOG.info("replaying pending statistics from the last stop: {} (file kept as {})", stats.summary(), replayed);
    }

    /** After an incomplete flush (or a failed start): keeps what was not written for the next start. */
    private void savePendingStats() {
        if (pendingSaved) {
            return;
        }
        pendingSaved = true;
        PendingStats stats = flusher.pending();
        if (stats.isEmpty()) {
            return;
        }
        Path file = workingDirectory.resolve(PENDING_STATS);
        if (Files.exists(file)) {
            // A file the start could not rename: never overwrite it; the operator merges by hand.
            file = stamped(".");
        }
        try {
            stats.write(file);
            LOG.error("changes not written to MariaDB kept in {} for the next start: {}", file.toAbsolutePath(),
                    stats.summary());
        } catch (IOException | RuntimeException e) {
            LOG.error("changes not written to MariaDB, and {} could not be written ({}): changes lost: {}",
                    file.toAbsolutePath(), oneLine(e), stats.summary());
        }
    }

    /** A free name beside the pending-stats file: a rename onto an existing file would replace it. */
    private Path stamped(String infix) {
        Path base = workingDirectory.resolve(PENDING_STATS + infix + STAMP.format(Instant.now()));
        Path candidate = base;
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = base.resolveSibling(base.getFileName() + "-" + n);
        }
        return candidate;
    }

    private static boolean moveQuietly(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            LOG.error("cannot rename {} to {}: {}", from, to, oneLine(e));
            return false;
        }
    }

    private void stopHttp() {
        if (http == null) {
            return;
        }
        http.stop(10_000);
        http = null;
        workers.shutdownNow();
    }

    private long peerCount() {
        long[] peers = {0};
        registry.torrents().forEach((hash, torrent) -> peers[0] += torrent.seeders() + torrent.leechers());
        return peers[0];
    }

    private static boolean isFatal(int errorCode) {
        for (int fatal : FATAL_SQL_ERRORS) {
            if (fatal == errorCode) {
                return true;
            }
        }
        return false;
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }

    /** Start-up cannot go on; the message is one line for the operator. */
    public static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StartupException(String message) {
            super(message);
        }
    }
}
