package io.chihaya.server;

import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.stats.TrackerMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The tracker's Prometheus metrics (SPEC 9), in two registries: public ones any valid passkey may
 * read, and operator ones behind the admin token. Names match the reference tracker's, so existing
 * dashboards keep working. Thread-safe.
 */
public final class Metrics implements TrackerMetrics {
    private static final double[] QUEUE_BUCKETS = {0, 1, 10, 100, 500, 1000, 2500, 5000, 10_000, 50_000, 100_000};

    private final PrometheusRegistry publicRegistry = new PrometheusRegistry();
    private final PrometheusRegistry operatorRegistry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final long startNanos = System.nanoTime();
    /** Whether {@link #registerJvmMetrics} has run; written under the operator registry's monitor. */
    private volatile boolean jvmRegistered;

    final LongAdder requests = new LongAdder();
    final LongAdder requestsFailed = new LongAdder();
    final LongAdder internalErrors = new LongAdder();
    private final LongAdder deadlocks = new LongAdder();
    private final LongAdder deadlocksAborted = new LongAdder();
    private final LongAdder sqlErrors = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();
    private final Counter deadlockSeconds;
    private final Histogram serialization;
    private final Histogram reload;
    private final Histogram flush;
    private final Counter flushRows;
    private final Histogram queueLength;

    /**
     * @param registry the tracker's data, counted when metrics are read
     * @param backlog  the flush queues' backlog, or null when there is no database writer
     */
    public Metrics(Registry registry, Supplier<FlushQueues.Backlog> backlog) {
        gauge(publicRegistry, "chihaya_uptime", "Seconds since the tracker started",
                () -> (System.nanoTime() - startNanos) / 1e9);
        gauge(publicRegistry, "chihaya_users", "Enabled users loaded", () -> registry.users().size());
        gauge(publicRegistry, "chihaya_torrents", "Torrents loaded", () -> registry.torrents().size());
        gauge(publicRegistry, "chihaya_clients", "Approved client prefixes", () -> registry.approvedClients().size());
        gauge(publicRegistry, "chihaya_hnrs", "Hit-and-runs loaded", () -> registry.hitAndRuns().size());
        gauge(publicRegistry, "chihaya_peers", "Peers in memory", () -> countPeers(registry));
        gauge(publicRegistry, "chihaya_requests", "Requests answered, failures and 404s included", requests::sum);

        gauge(operatorRegistry, "chihaya_requests_fail", "Requests answered with a failure or an error",
                requestsFailed::sum);
        gauge(operatorRegistry, "chihaya_requests_internal_error", "Requests answered 500 after an internal error",
                internalErrors::sum);
        gauge(operatorRegistry, "chihaya_deadlock_count", "Deadlocks and lock wait timeouts met while flushing",
                deadlocks::sum);
        gauge(operatorRegistry, "chihaya_deadlock_aborted_count", "Batches still deadlocked after every retry",
                deadlocksAborted::sum);
        gauge(operatorRegistry, "chihaya_sql_errors_count", "Other SQL errors (connection loss included)",
                sqlErrors::sum);
        gauge(operatorRegistry, "chihaya_reload_failures_count", "Database loads that failed", reloadFailures::sum);
        deadlockSeconds = Counter.builder().name("chihaya_deadlock_seconds")
                .help("Seconds spent pausing before deadlock retries").register(operatorRegistry);
        serialization = Histogram.builder().name("chihaya_serialization_seconds").help("Cache write time")
                .classicOnly().register(operatorRegistry);
        reload = Histogram.builder().name("chihaya_reload_seconds").help("Database load time per type")
                .labelNames("type").classicOnly().register(operatorRegistry);
        flush = Histogram.builder().name("chihaya_flush_seconds").help("Flush batch time per table")
                .labelNames("type").classicOnly().register(operatorRegistry);
        flushRows = Counter.builder().name("chihaya_flush_rows")
                .help("Merged rows written to MariaDB, per table").labelNames("type").register(operatorRegistry);
        queueLength = Histogram.builder().name("chihaya_flush_queue_rows")
                .help("Distinct rows waiting in a flush queue when its writer took a batch")
                .labelNames("type").classicUpperBounds(QUEUE_BUCKETS).register(operatorRegistry);
        if (backlog != null) {
            GaugeWithCallback.builder().name("chihaya_flush_backlog_rows")
                    .help("Distinct rows waiting to be written, per table").labelNames("type")
                    .callback(callback -> {
                        FlushQueues.Backlog b = backlog.get();
                        callback.call(b.users(), "users_main");
                        callback.call(b.torrents(), "torrents");
                        callback.call(b.transferHistory(), "transfer_history");
                        callback.call(b.transferIps(), "transfer_ips");
                        callback.call(b.snatches(), "snatches");
                        callback.call(b.unprunes(), "unprunes");
                    }).register(operatorRegistry);
        }
    }

    /**
     * The JVM's own metrics (memory pools, GC, threads...) join the operator registry at the first
     * operator scrape, not at start: registering them sets up the platform MBeans, about 0.4 s of a
     * one-CPU start (bench/load/startup). They are read from the JVM at each scrape, so nothing that
     * happened before is lost by registering late.
     */
    private void registerJvmMetrics() {
        synchronized (operatorRegistry) {
            if (!jvmRegistered) {
                JvmMetrics.builder().register(operatorRegistry);
                jvmRegistered = true;
            }
        }
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, Supplier<Number> value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.get().doubleValue())).register(registry);
    }

    private long countPeers(Registry registry) {
        long[] peers = {0};
        registry.torrents().forEach((hash, torrent) -> peers[0] += torrent.seeders() + torrent.leechers());
        return peers[0];
    }

    /** The Prometheus text exposition: public metrics, plus operator ones when {@code operator}. */
    public byte[] scrape(boolean operator) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(operator ? 16_384 : 1_024);
        try {
            writer.write(out, publicRegistry.scrape());
            if (operator) {
                if (!jvmRegistered) {
                    registerJvmMetrics();
                }
                writer.write(out, operatorRegistry.scrape());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metrics", e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** A cache write took {@code seconds}. */
    public void serialized(double seconds) {
        serialization.observe(seconds);
    }

    @Override
    public void flushed(String table, int rows, double seconds) {
        flush.labelValues(table).observe(seconds);
        flushRows.labelValues(table).inc(rows);
    }

    @Override
    public void queueLength(String table, int rows) {
        queueLength.labelValues(table).observe(rows);
    }

    @Override
    public void deadlock(String table, double pauseSeconds) {
        deadlocks.increment();
        deadlockSeconds.inc(pauseSeconds);
    }

    @Override
    public void deadlockAborted(String table) {
        deadlocksAborted.increment();
    }

    @Override
    public void sqlError(String table) {
        sqlErrors.increment();
    }

    @Override
    public void reloaded(String type, double seconds) {
        reload.labelValues(type).observe(seconds);
    }

    @Override
    public void reloadFailed(String type) {
        reloadFailures.increment();
    }
}
