package io.chihaya.tracker.flush;

import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.stats.TrackerMetrics;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Runs the five table writers of a {@link FlushQueues} (SPEC 6.2), the immediate un-prune writes,
 * and the deactivation of idle {@code transfer_history} rows after a purge (SPEC 6.3).
 *
 * <p>Thread-safe. {@link #start()} once; {@link #stop(long)} at shutdown writes everything pending.
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    /**
     * Writer settings.
     *
     * @param flushMillis          pause between batches while a queue is less than half full
     * @param deadlockRetries      retries of a deadlocked batch
     * @param deadlockPauseSeconds pause before retry n is n times this
     * @param logFlushes           one log line per batch
     * @param flushGroups          touch group timestamps with torrent flushes
     */
    public record Settings(long flushMillis, int deadlockRetries, double deadlockPauseSeconds, boolean logFlushes,
                           boolean flushGroups) {
        /** From the configuration. */
        public static Settings of(TrackerConfig config) {
            return new Settings(config.intervals().flush() * 1000L, config.database().deadlockRetries(),
                    config.database().deadlockPause(), config.logFlushes(), config.flushGroups());
        }
    }

    private final FlushQueues queues;
    private final ReentrantReadWriteLock torrentGate = new ReentrantReadWriteLock();
    private final TableWriter<Integer, Deltas.User> users;
    private final TorrentWriter torrents;
    private final TableWriter<Long, Deltas.History> history;
    private final TableWriter<Deltas.IpKey, Deltas.Ip> ips;
    private final TableWriter<Long, Deltas.Snatch> snatches;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopRequested;
    private final Jdbi jdbi;
    /** Tells this tracker's writers apart from other instances' in chihaya_flush_log. */
    private final String instance = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);

    public Flusher(FlushQueues queues, Jdbi jdbi, TrackerConfig.Channels channels, Settings settings,
                   TrackerMetrics metrics) {
        this.queues = queues;
        this.jdbi = jdbi;
        users = new TableWriter<>("users_main", queues.users, channels.user(), FlushStatements.USERS, jdbi, settings,
                metrics, null, instance);
        torrents = new TorrentWriter(queues, channels.torrent(), jdbi, settings, metrics,
                torrentGate.readLock(), instance);
        history = new TableWriter<>("transfer_history", queues.history, channels.transferHistory(),
                FlushStatements.HISTORY, jdbi, settings, metrics, null, instance);
        ips = new TableWriter<>("transfer_ips", queues.ips, channels.transferIps(), FlushStatements.IPS, jdbi,
                settings, metrics, null, instance);
        snatches = new TableWriter<>("snatches", queues.snatches, channels.snatch(), FlushStatements.SNATCHES, jdbi,
                settings, metrics, null, instance);
        queues.onUnprune(torrents::wake);
    }

    /**
     * Starts one daemon thread per table, after making sure {@code chihaya_flush_log} exists (a
     * failure is logged; the writers then keep every change until the table can be written).
     */
    public synchronized void start() {
        try {
            jdbi.useHandle(handle -> handle.execute(FlushStatements.CREATE_FLUSH_LOG));
        } catch (RuntimeException e) {
            LOG.error("cannot create table chihaya_flush_log (apply database/schema.sql or grant CREATE): {}",
                    TableWriter.oneLine(e));
        }
        for (TableWriter<?, ?> writer : writers()) {
            Thread thread = new Thread(writer, "flush-" + writer.table);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private List<TableWriter<?, ?>> writers() {
        return List.of(users, torrents, history, ips, snatches);
    }

    /**
     * Runs {@code action} while no torrents batch is being written, so that the database's Snatched
     * plus {@link FlushQueues#pendingSnatches} is exact during it (used by the torrent reload).
     */
    public <T> T withTorrentWritesPaused(Supplier<T> action) {
        torrentGate.writeLock().lock();
        try {
            return action.get();
        } finally {
            torrentGate.writeLock().unlock();
        }
    }

    /**
     * After every {@code transfer_history} change pending now is written, clears {@code active} on rows
     * idle since before {@code cutoff} (SPEC 6.3). Completes with the number of rows changed, or -1
     * when the pending changes could not be written (the update is then skipped, to be done by the
     * next purge).
     */
    public CompletableFuture<Integer> deactivateIdleHistory(long cutoff) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        history.afterPendingWritten(drained -> {
            if (!drained) {
                LOG.warn("transfer_history deactivation skipped: pending rows could not be written");
                done.complete(-1);
                return;
            }
            try {
                int changed = history.jdbi.withHandle(handle -> FlushStatements.deactivate(handle.getConnection(), cutoff));
                done.complete(changed);
            } catch (Exception e) {
                history.metrics.sqlError("transfer_history");
                LOG.error("transfer_history deactivation failed: {}", TableWriter.oneLine(e));
                done.complete(-1);
            }
        });
        return done;
    }

    /**
     * Writes everything pending and stops the writers, waiting at most {@code timeoutMillis}.
     *
     * @return true when every queue was written out
     */
    public boolean stop(long timeoutMillis) {
        stopRequested = true;
        for (TableWriter<?, ?> writer : writers()) {
            writer.stop(timeoutMillis);
        }
        long deadline = System.currentTimeMillis() + timeoutMillis + 2_000;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        FlushQueues.Backlog left = queues.backlog();
        int inDoubt = 0;
        for (TableWriter<?, ?> writer : writers()) {
            inDoubt += writer.inDoubt();
        }
        if (left.total() > 0 || inDoubt > 0) {
            LOG.error("flush at shutdown incomplete, rows not written: {}, rows in doubt: {}", left, inDoubt);
            return false;
        }
        return true;
    }

    /**
     * What is still not written: the pending rows and every batch in doubt. Call after {@link #stop}
     * returned false (or before {@link #start()}), once nothing adds changes any more, to keep them in
     * a file for the next start. Waits for any writer still finishing a write, so that no batch is
     * in flight while the snapshot is taken.
     *
     * @throws IllegalStateException if the writers run and {@link #stop} was not called
     */
    public synchronized PendingStats pending() {
        if (!threads.isEmpty() && !stopRequested) {
            throw new IllegalStateException("pending() needs stop() first");
        }
        awaitWriters();
        List<PendingStats.InDoubt> inDoubt = new ArrayList<>();
        for (TableWriter<?, ?> writer : writers()) {
            PendingStats.InDoubt batch = writer.inDoubtBatch();
            if (batch != null) {
                inDoubt.add(batch);
            }
        }
        return new PendingStats(PendingStats.FORMAT, PendingStats.snapshot(queues), inDoubt);
    }

    /**
     * Waits for every writer to end: {@link #stop} gives up waiting after its timeout, but a writer in
     * the middle of a write must finish it (a connection or socket timeout), else its batch would be
     * in neither the queues nor the batch in doubt, and lost.
     */
    private void awaitWriters() {
        boolean interrupted = false;
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                LOG.warn("waiting for {} to end its current write before keeping what is pending", thread.getName());
            }
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // waiting is the only way not to lose or double a batch
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands what a previous run could not write to this one; call before {@link #start()}. The
     * certain rows join the queues (merged under any change already there); each batch in doubt
     * goes to its table's writer, which asks {@code chihaya_flush_log} whether it was committed
     * before writing anything else (retrying while MariaDB is unreachable) and writes it only if not.
     * Afterwards every change of {@code stats} is owned by this flusher, and {@link #pending()}
     * includes it until written.
     *
     * @throws IllegalStateException if the writers have started
     */
    public synchronized void restore(PendingStats stats) {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("restore must come before start");
        }
        PendingStats.replayInto(stats.rows(), queues);
        for (PendingStats.InDoubt batch : stats.inDoubt()) {
            PendingStats.Rows rows = batch.rows();
            switch (batch.table()) {
                case "users_main" -> users.adoptInDoubt(batch.writer(), batch.batch(), PendingStats.users(rows));
                case "torrents" -> torrents.adoptInDoubt(batch.writer(), batch.batch(), PendingStats.torrents(rows));
                case "transfer_history" ->
                        history.adoptInDoubt(batch.writer(), batch.batch(), PendingStats.history(rows));
                case "transfer_ips" -> ips.adoptInDoubt(batch.writer(), batch.batch(), PendingStats.ips(rows));
                case "snatches" -> snatches.adoptInDoubt(batch.writer(), batch.batch(), PendingStats.snatches(rows));
                default -> throw new IllegalArgumentException("unknown table " + batch.table());
            }
        }
    }

    @Override
    public void close() {
        stop(30_000);
    }

    /** The torrents writer: also writes un-prunes at once, and group timestamps with flush_groups. */
    private static final class TorrentWriter extends TableWriter<Integer, Deltas.Torrent> {
        private final FlushQueues queues;

        TorrentWriter(FlushQueues queues, int capacity, Jdbi jdbi, Settings settings, TrackerMetrics metrics,
                      java.util.concurrent.locks.Lock gate, String instance) {
            super("torrents", queues.torrents, capacity, FlushStatements.TORRENTS, jdbi, settings, metrics, gate,
                    instance);
            this.queues = queues;
        }

        @Override
        boolean idle() {
            return queues.unprunes.isEmpty();
        }

        @Override
        boolean step() {
            if (!queues.unprunes.isEmpty()) {
                List<Integer> ids = new ArrayList<>(queues.unprunes);
                try {
                    jdbi.useHandle(handle -> FlushStatements.unprune(handle.getConnection(), ids));
                    ids.forEach(queues.unprunes::remove);
                    LOG.info("un-pruned torrents {}", ids);
                } catch (Exception e) {
                    metrics.sqlError("torrents");
                    LOG.error("un-prune of torrents {} failed, will retry: {}", ids, oneLine(e));
                    return false;
                }
            }
            return super.step();
        }

        @Override
        void afterBatch(Connection connection, List<Deltas.Torrent> batch) throws SQLException {
            if (settings.flushGroups()) {
                FlushStatements.touchGroups(connection, batch);
            }
        }
    }
}
