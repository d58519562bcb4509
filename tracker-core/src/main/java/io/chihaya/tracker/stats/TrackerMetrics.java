package io.chihaya.tracker.stats;

/**
 * What the database layer reports for monitoring; the server implements it with Prometheus.
 * Every method has a no-op default. Implementations must be thread-safe and cheap.
 */
public interface TrackerMetrics {
    /** Reports nothing. */
    TrackerMetrics NONE = new TrackerMetrics() {
    };

    /** One batch of {@code rows} rows written to {@code table} in {@code seconds}. */
    default void flushed(String table, int rows, double seconds) {
    }

    /** Distinct rows waiting in a queue when its writer took a batch. */
    default void queueLength(String table, int rows) {
    }

    /** A deadlock or lock wait timeout (MariaDB 1213/1205), about to be retried after {@code pauseSeconds}. */
    default void deadlock(String table, double pauseSeconds) {
    }

    /** A batch that still deadlocked after every retry (kept, and retried later). */
    default void deadlockAborted(String table) {
    }

    /** Any other SQL error (connection loss included). */
    default void sqlError(String table) {
    }

    /** One load of {@code type} (users, torrents, ...) took {@code seconds}. */
    default void reloaded(String type, double seconds) {
    }

    /** One load of {@code type} failed; the previous data stays. */
    default void reloadFailed(String type) {
    }
}
