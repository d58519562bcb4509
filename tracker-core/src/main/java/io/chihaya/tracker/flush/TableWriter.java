package io.chihaya.tracker.flush;

import io.chihaya.tracker.stats.TrackerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
    final PendingRows<K, D> rows;
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

    /** Work that must run after every row pending at the time of the request has been written. */
    interface Barrier {
        /** Runs on the writer's thread; {@code drained} says whether every such row was written. */
        void run(boolean drained);
    }

    TableWriter(String table, PendingRows<K, D> rows, int capacity, FlushStatements.Writer<D> statements,
                Jdbi jdbi, Flusher.Settings settings, TrackerMetrics metrics, Lock gate) {
        this.table = table;
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
                    if (rows.size() == 0 && barriers.isEmpty() && idle()) {
                        return;
                    }
                    if (System.nanoTime() - stopDeadlineNanos > 0) {
                        LOG.warn("flush of {} gave up at shutdown: {} rows still pending", table, rows.size());
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
        if (gate != null) {
            gate.lock();
        }
        try {
            if (write(batch)) {
                return true;
            }
            rows.putBack(batch);
            return false;
        } finally {
            if (gate != null) {
                gate.unlock();
            }
        }
    }

    /** One transaction with deadlock retries; false (batch not written) on any other failure. */
    boolean write(List<D> batch) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(handle -> {
                    statements.write(handle.getConnection(), batch);
                    afterBatch(handle.getConnection(), batch);
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                metrics.flushed(table, batch.size(), seconds);
                if (settings.logFlushes()) {
                    LOG.info("flushed table={} rows={} ms={}", table, batch.size(), Math.round(seconds * 1000));
                }
                return true;
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
                } else {
                    metrics.sqlError(table);
                    LOG.error("writing {} failed ({} rows kept for retry): {}", table, batch.size(), oneLine(e));
                }
                return false;
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
        Iterator<Map.Entry<K, D>> pass = rows.pass();
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
