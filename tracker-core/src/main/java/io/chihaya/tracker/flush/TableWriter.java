package io.chihaya.tracker.flush;

import io.chihaya.tracker.stats.TrackerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The writer of one table: takes batches of merged rows out of its {@link PendingRows} and writes
 * each in one transaction, on its own thread.
 *
 * <p>Cadence (SPEC 6.2): while fewer rows than half the capacity wait, it sleeps {@code flush}
 * seconds between batches; otherwise it writes back to back. Deadlocks and lock wait timeouts are
 * retried with a growing pause; any failure puts the batch back, merged under newer changes, so
 * nothing is lost or counted twice. Thread-safe control methods; the loop itself is single-threaded.
 */
class TableWriter<K, D extends Delta<K, D>> implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    final String table;
    final PendingRows<D> rows;
    private final int capacity;
    private final FlushStatements.Writer<D> statements;
    final Jdbi jdbi;
    final Flusher.Settings settings;
    final TrackerMetrics metrics;
    private final Lock gate;
    private final ConcurrentLinkedQueue<Barrier> barriers = new ConcurrentLinkedQueue<>();
    private final Object wakeUp = new Object();
    private volatile boolean stopping;
    private volatile long stopDeadlineNanos;
    private volatile boolean finished;
    /** Identifies this writer's row in {@code chihaya_flush_log}: table and tracker instance. */
    private final String writerKey;
    private long nextBatchId = 1;
    /**
     * A batch whose commit may or may not have happened (connection lost), its id, and the
     * {@code chihaya_flush_log} writer its transaction marked (this writer's, or a previous run's).
     */
    private volatile List<D> unresolved;
    private long unresolvedId;
    private String unresolvedWriter;
    private long lastResolveWarningNanos;

    /** Work that must run after every row pending at the time of the request has been written. */
    interface Barrier {
        /** Runs on the writer's thread; {@code drained} says whether every such row was written. */
        void run(boolean drained);
    }

    TableWriter(String table, PendingRows<D> rows, int capacity, FlushStatements.Writer<D> statements,
                Jdbi jdbi, Flusher.Settings settings, TrackerMetrics metrics, Lock gate, String instance) {
        this.table = table;
        this.writerKey = table + "@" + instance;
        this.rows = rows;
        this.capacity = Math.max(1, capacity);
        this.statements = statements;
        this.jdbi = jdbi;
        this.settings = settings;
        this.metrics = metrics;
        this.gate = gate;
    }

    @Override
    public void run() {
        try {
            while (true) {
                runBarriers();
                boolean wroteAll = step();
                if (stopping) {
                    if (rows.size() == 0 && unresolved == null && barriers.isEmpty() && idle()) {
                        return;
                    }
                    if (System.nanoTime() - stopDeadlineNanos > 0) {
                        LOG.warn("flush of {} gave up at shutdown: {} rows still pending, {} in doubt", table,
                                rows.size(), unresolved == null ? 0 : unresolved.size());
                        return;
                    }
                    if (!wroteAll) {
                        pause(1_000);
                    }
                    continue;
                }
                if (!wroteAll) {
                    pause(Math.max(1_000, settings.flushMillis()));
                } else if (rows.size() < capacity / 2.0 && barriers.isEmpty() && idle()) {
                    pause(settings.flushMillis());
                }
            }
        } finally {
            finished = true;
        }
    }

    /** Extra pending work of subclasses (un-prunes). */
    boolean idle() {
        return true;
    }

    /** Writes one batch if any row waits; false when a write failed. */
    boolean step() {
        if (unresolved != null && !resolve()) {
            return false;
        }
        int waiting = rows.size();
        if (waiting == 0) {
            return true;
        }
        metrics.queueLength(table, waiting);
        return writeTaken(rows.take(capacity));
    }

    private boolean writeTaken(List<D> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        long batchId = nextBatchId++;
        if (gate != null) {
            gate.lock();
        }
        try {
            Written result = write(batch, batchId);
            if (result == Written.YES) {
                return true;
            }
            if (result == Written.NO) {
                rows.putBack(batch);
            } else {
                unresolvedId = batchId;
                unresolvedWriter = writerKey;
                unresolved = batch;
            }
            return false;
        } finally {
            if (gate != null) {
                gate.unlock();
            }
        }
    }

    /** Whether a batch reached the database. */
    enum Written {
        YES, NO, IN_DOUBT
    }

    /**
     * Finds out whether the batch in doubt was committed, by the batch id its transaction wrote to
     * {@code chihaya_flush_log}: if so it is done, else it is put back. False while that cannot be
     * known (the database is still unreachable).
     */
    private boolean resolve() {
        try {
            Long last = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT batch FROM chihaya_flush_log WHERE writer = :writer")
                    .bind("writer", unresolvedWriter).mapTo(Long.class).findOne().orElse(null));
            if (last != null && last == unresolvedId) {
                LOG.info("batch {} of {} ({} rows) had been committed before the connection was lost", unresolvedId,
                        table, unresolved.size());
                metrics.flushed(table, unresolved.size(), 0);
            } else {
                rows.putBack(unresolved);
            }
            unresolved = null;
            return true;
        } catch (RuntimeException e) {
            if (System.nanoTime() - lastResolveWarningNanos > TimeUnit.SECONDS.toNanos(30)) {
                lastResolveWarningNanos = System.nanoTime();
                LOG.warn("{}: cannot yet tell whether batch {} ({} rows) was committed, keeping it: {}", table,
                        unresolvedId, unresolved.size(), oneLine(e));
            }
            return false;
        }
    }

    /** Rows kept because it is not known yet whether they were written. */
    int inDoubt() {
        List<D> batch = unresolved;
        return batch == null ? 0 : batch.size();
    }

    /**
     * Takes over a batch a previous run left in doubt, before {@link #run} starts: it is resolved
     * like this writer's own, before any other row is written, so that its changes (older than
     * every pending one) land first or are merged under the newer ones.
     */
    void adoptInDoubt(String writer, long batchId, List<D> batch) {
        if (unresolved != null) {
            throw new IllegalStateException(table + " already holds a batch in doubt");
        }
        unresolvedId = batchId;
        unresolvedWriter = writer;
        unresolved = batch;
    }

    /** The batch in doubt, or null; call only after {@link #run} ended or before it started. */
    PendingStats.InDoubt inDoubtBatch() {
        List<D> batch = unresolved;
        if (batch == null) {
            return null;
        }
        return new PendingStats.InDoubt(table, unresolvedWriter, unresolvedId, PendingStats.batch(table, batch));
    }

    /**
     * One transaction with deadlock retries. A deadlock or lock wait timeout rolls the transaction
     * back, so after the last retry the batch is certainly not written; any other failure (a lost
     * connection, possibly during the commit) leaves it in doubt.
     */
    Written write(List<D> batch, long batchId) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(handle -> {
                    statements.write(handle.getConnection(), batch);
                    afterBatch(handle.getConnection(), batch);
                    FlushStatements.markBatch(handle.getConnection(), writerKey, batchId);
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                metrics.flushed(table, batch.size(), seconds);
                if (settings.logFlushes()) {
                    LOG.info("flushed table={} rows={} ms={}", table, batch.size(), Math.round(seconds * 1000));
                }
                return Written.YES;
            } catch (SQLException | JdbiException e) {
                if (isLockConflict(e) && attempt <= settings.deadlockRetries()) {
                    double pause = settings.deadlockPauseSeconds() * attempt;
                    metrics.deadlock(table, pause);
                    LOG.warn("deadlock writing {} ({} rows, attempt {} of {}): retrying in {} s", table,
                            batch.size(), attempt, settings.deadlockRetries() + 1, pause);
                    pause((long) (pause * 1000));
                    continue;
                }
                if (isLockConflict(e)) {
                    metrics.deadlockAborted(table);
                    LOG.error("deadlock writing {} persisted after {} retries; {} rows kept for the next batch",
                            table, settings.deadlockRetries(), batch.size());
                    return Written.NO;
                }
                metrics.sqlError(table);
                LOG.error("writing {} failed ({} rows kept for retry): {}", table, batch.size(), oneLine(e));
                return Written.IN_DOUBT;
            }
        }
    }

    /** Hook for work in the same transaction (flush_groups). */
    void afterBatch(Connection connection, List<D> batch) throws SQLException {
    }

    private void runBarriers() {
        Barrier barrier;
        while ((barrier = barriers.poll()) != null) {
            boolean drained = drainPass();
            try {
                barrier.run(drained);
            } catch (RuntimeException e) {
                LOG.error("after-flush task on {} failed: {}", table, oneLine(e));
            }
        }
    }

    /** Writes every row present now (one full pass); false if a batch failed. */
    private boolean drainPass() {
        PendingRows.Pass pass = rows.pass();
        while (true) {
            List<D> batch = rows.take(pass, capacity);
            if (batch.isEmpty()) {
                return true;
            }
            if (!writeTaken(batch)) {
                return false;
            }
        }
    }

    /** Queues a barrier and wakes the writer. */
    void afterPendingWritten(Barrier barrier) {
        barriers.add(barrier);
        wake();
    }

    /** Asks the loop to write everything left and end, giving up after {@code timeoutMillis}. */
    void stop(long timeoutMillis) {
        stopDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        stopping = true;
        wake();
    }

    boolean finished() {
        return finished;
    }

    void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        synchronized (wakeUp) {
            try {
                wakeUp.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getErrorCode() == ER_LOCK_DEADLOCK || s.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The message of {@code e} and of its root cause, on one line. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = message(e);
        if (root != e && !message.contains(message(root))) {
            message += " (" + message(root) + ")";
        }
        return message.replace('\n', ' ');
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

}
