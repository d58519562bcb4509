package io.chihaya.tracker.db;

import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.stats.StatSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Removes peers idle longer than {@code peer_inactivity} from memory, re-queues their torrents'
 * counts, then has {@code transfer_history.active} cleared for idle rows once every change queued
 * before that moment is written (SPEC 6.3). Thread-safe.
 */
public final class Purger {
    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

    private final Registry registry;
    private final StatSink sink;
    private final Flusher flusher;
    private final long peerInactivity;

    /** @param flusher may be null: then only memory is purged */
    public Purger(Registry registry, StatSink sink, Flusher flusher, long peerInactivitySeconds) {
        this.registry = registry;
        this.sink = sink;
        this.flusher = flusher;
        this.peerInactivity = peerInactivitySeconds;
    }

    /**
     * One purge at time {@code now} (seconds). The future completes with the number of
     * transfer_history rows deactivated (-1 when skipped or without a flusher).
     */
    public CompletableFuture<Integer> purge(long now) {
        long cutoff = now - peerInactivity;
        long started = System.nanoTime();
        int[] removed = {0};
        registry.torrents().forEach((hash, torrent) -> removed[0] += torrent.purgeOlderThan(cutoff, sink));
        LOG.info("purge removed peers={} cutoff={} ms={}", removed[0], cutoff, (System.nanoTime() - started) / 1_000_000);
        return flusher == null ? CompletableFuture.completedFuture(-1) : flusher.deactivateIdleHistory(cutoff);
    }
}
