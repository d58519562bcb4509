package io.chihaya.tracker.stats;

/**
 * Sees every successful announce (the announce recorder). Called on announce threads; must not block.
 */
public interface AnnounceObserver {
    /** Observes nothing. */
    AnnounceObserver NONE = (torrentId, userId, ip, port, event, seeding, rawUpDelta, rawDownDelta, uploaded,
                             downloaded, left) -> {
    };

    /**
     * One successful announce.
     *
     * @param event the event as the client gave it ({@code ""} for a regular announce)
     */
    void announced(int torrentId, int userId, int ip, int port, String event, boolean seeding, long rawUpDelta,
                   long rawDownDelta, long uploaded, long downloaded, long left);
}
