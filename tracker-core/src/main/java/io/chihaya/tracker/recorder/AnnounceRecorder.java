package io.chihaya.tracker.recorder;

import io.chihaya.tracker.stats.AnnounceObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The announce recorder (config {@code record}): appends one JSON array line per successful announce
 * that reports a non-zero uploaded or downloaded to {@code <directory>/events_YYYY-MM-DDTHH.json},
 * the file of the announce's UTC hour. Line format: see {@link EventLineEncoder}.
 *
 * <p>{@link #announced} runs on announce threads and only enqueues: it never blocks, never does I/O
 * and never throws. One writer thread encodes and writes every line, so lines are whole and never
 * interleaved. The queue is bounded at {@code capacity} lines (default {@value #DEFAULT_CAPACITY},
 * about 150 bytes each, so ~40 MB at worst); it fills only if the disk stalls, since the writer
 * writes well over a million lines a second into a 64 KiB buffer. Lines that find it full are
 * dropped, counted in {@link #dropped()} and reported in a warning at most once a minute.
 *
 * <p>{@link #close()} (at shutdown, after the HTTP front stopped) writes every line already queued,
 * flushes and closes the file; announces arriving after it are dropped and counted. Thread-safe.
 */
public final class AnnounceRecorder implements AnnounceObserver, AutoCloseable {
    /** Lines the queue holds before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 1 << 18;
    /** {@code events/} under the working directory, as the reference. */
    public static final Path DEFAULT_DIRECTORY = Path.of("events");

    private static final Logger LOG = LoggerFactory.getLogger(AnnounceRecorder.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long WARNING_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Path directory;
    private final Clock clock;
    private final int capacity;
    private final ConcurrentLinkedQueue<EventLine> queue = new ConcurrentLinkedQueue<>();
    /** Lines reserved by announce threads and not yet taken by the writer: the bound, and the close handshake. */
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;
    /** Set by the writer just before it parks, so announce threads wake it only when needed. */
    private volatile boolean writerIdle;

    private AnnounceRecorder(Path directory, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.directory = directory;
        this.clock = clock;
        this.capacity = capacity;
        this.writer = new Thread(this::writeLoop, "announce-recorder");
        // Daemon so a forgotten close() cannot hold the JVM open; close() is what guarantees the lines.
        this.writer.setDaemon(true);
    }

    /** A recorder writing to {@code events/} by the system clock, with the default capacity. */
    public static AnnounceRecorder start() {
        return start(DEFAULT_DIRECTORY, Clock.systemUTC(), DEFAULT_CAPACITY);
    }

    /**
     * A running recorder. The directory is created when the first line is written.
     *
     * @param clock    gives each announce its time, hence its hourly file
     * @param capacity lines queued at most before new ones are dropped
     */
    public static AnnounceRecorder start(Path directory, Clock clock, int capacity) {
        AnnounceRecorder recorder = new AnnounceRecorder(directory, clock, capacity);
        recorder.writer.start();
        LOG.info("announce recorder writing to {} (queue capacity {} lines)", directory.toAbsolutePath(), capacity);
        return recorder;
    }

    @Override
    public void announced(int torrentId, int userId, int ip, int port, String event, boolean seeding,
                          long rawUpDelta, long rawDownDelta, long uploaded, long downloaded, long left) {
        if ((uploaded | downloaded) == 0) {
            return;
        }
        if (pending.incrementAndGet() > capacity || closed) {
            pending.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.offer(new EventLine(clock.millis(), torrentId, userId, ip, port, event, seeding, rawUpDelta,
                rawDownDelta, uploaded, downloaded, left));
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    /** Lines written to files so far. */
    public long written() {
        return written.sum();
    }

    /** Lines dropped because the queue was full or the recorder closed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines lost to I/O errors (each error is logged). */
    public long failed() {
        return failed.sum();
    }

    /** Lines queued and not yet written. */
    public int pending() {
        return Math.max(0, pending.get());
    }

    /** The directory the files go to. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes every queued line, flushes and closes the file, and stops the writer thread. Idempotent.
     * Waits as long as the writing takes; an interrupt stops the wait (not the writing) and is kept.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        EventLineEncoder encoder = new EventLineEncoder();
        HourlyFiles files = new HourlyFiles(directory);
        DropWarning warning = new DropWarning();
        IoErrors errors = new IoErrors();
        while (true) {
            EventLine line = queue.poll();
            if (line != null) {
                pending.decrementAndGet();
                write(files, encoder, line, errors);
                continue;
            }
            if (closed && pending.get() == 0) {
                break; // closed is set and no announce thread holds a reservation: nothing more can come
            }
            flush(files, errors);
            warning.maybeLog(false);
            if (closed) {
                Thread.onSpinWait(); // an announce thread is between its reservation and its offer
                continue;
            }
            writerIdle = true;
            if (queue.isEmpty() && !closed) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            writerIdle = false;
        }
        try {
            files.close();
        } catch (IOException e) {
            errors.log(e);
        }
        warning.maybeLog(true);
        LOG.info("announce recorder closed: {} lines written, {} dropped, {} lost to I/O errors",
                written(), dropped(), failed());
    }

    private void write(HourlyFiles files, EventLineEncoder encoder, EventLine line, IoErrors errors) {
        try {
            byte[] bytes = encoder.encode(line);
            files.write(line.epochMillis, bytes, encoder.length());
            written.increment();
        } catch (IOException | RuntimeException e) {
            failed.increment();
            errors.log(e);
            try {
                files.close(); // reopen on the next line; the disk may have recovered
            } catch (IOException ignored) {
                // already reported
            }
        }
    }

    private void flush(HourlyFiles files, IoErrors errors) {
        try {
            files.flush();
        } catch (IOException e) {
            errors.log(e);
        }
    }

    /** Logs dropped lines at most once a minute, with the count since the last warning. */
    private final class DropWarning {
        private long reported;
        private long lastNanos = System.nanoTime() - WARNING_EVERY_NANOS;

        void maybeLog(boolean now) {
            long total = dropped.sum();
            long nanos = System.nanoTime();
            if (total > reported && (now || nanos - lastNanos >= WARNING_EVERY_NANOS)) {
                LOG.warn("announce recorder dropped {} lines (queue full at {} lines, or closed); {} in all",
                        total - reported, capacity, total);
                reported = total;
                lastNanos = nanos;
            }
        }
    }

    /** Logs I/O errors at most once a minute, so a full disk does not flood the log. */
    private final class IoErrors {
        private long lastNanos = System.nanoTime() - WARNING_EVERY_NANOS;

        void log(Exception e) {
            long now = System.nanoTime();
            if (now - lastNanos >= WARNING_EVERY_NANOS) {
                LOG.error("announce recorder cannot write to {}: {} ({} lines lost so far)",
                        directory, e.toString(), failed());
                lastNanos = now;
            }
        }
    }
}
