package io.chihaya.tracker.recorder;

/**
 * One recorded announce, queued by the announce thread and encoded by the writer thread.
 * Immutable: it crosses threads through the recorder's queue.
 */
final class EventLine {
    final long epochMillis;
    final int torrentId;
    final int userId;
    final int ip;
    final int port;
    final String event;
    final boolean seeding;
    final long rawUpDelta;
    final long rawDownDelta;
    final long uploaded;
    final long downloaded;
    final long left;

    EventLine(long epochMillis, int torrentId, int userId, int ip, int port, String event, boolean seeding,
              long rawUpDelta, long rawDownDelta, long uploaded, long downloaded, long left) {
        this.epochMillis = epochMillis;
        this.torrentId = torrentId;
        this.userId = userId;
        this.ip = ip;
        this.port = port;
        this.event = event == null ? "" : event;
        this.seeding = seeding;
        this.rawUpDelta = rawUpDelta;
        this.rawDownDelta = rawDownDelta;
        this.uploaded = uploaded;
        this.downloaded = downloaded;
        this.left = left;
    }
}
