package io.chihaya.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link TrackerServer} until SIGTERM or SIGINT (SPEC 10): the first signal stops it cleanly,
 * a second one exits at once, saying what was not done. A repeat within {@link Repeats#WINDOW_NANOS}
 * of the first is the same signal delivered twice (GNU {@code timeout} and supervisors that signal
 * both the process and its group do that) and is ignored, so it cannot lose the final flush.
 */
public final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private Lifecycle() {
    }

    /**
     * Starts {@code server} and blocks until a signal has stopped it.
     *
     * @param program name for messages on stderr
     * @return the exit code: 0 after a clean stop, 1 when start-up failed
     */
    public static int runUntilSignalled(TrackerServer server, String program) {
        CountDownLatch done = new CountDownLatch(1);
        Repeats repeats = new Repeats();
        Signals.install(() -> {
            int verdict = repeats.signal(System.nanoTime());
            if (verdict == Repeats.DUPLICATE) {
                System.err.println(program + ": signal repeated within a second of the first, ignored;"
                        + " still stopping cleanly (signal again to exit at once)");
                return;
            }
            if (verdict == Repeats.EXIT) {
                System.err.println(program + ": second signal, exiting at once; the cache was not written"
                        + " and queued changes were not flushed");
                Runtime.getRuntime().halt(1);
            }
            Thread stopper = new Thread(() -> {
                server.stop();
                done.countDown();
            }, "chihaya-shutdown");
            stopper.start();
        });
        try {
            server.start();
        } catch (TrackerServer.StartupException e) {
            System.err.println(program + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            LOG.error("start-up failed", e);
            System.err.println(program + ": start-up failed: " + TrackerServer.oneLine(e));
            server.stop();
            return 1;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** What a signal means, given when the earlier ones came. */
    static final class Repeats {
        static final long WINDOW_NANOS = 1_000_000_000L;
        static final int STOP = 0;
        static final int DUPLICATE = 1;
        static final int EXIT = 2;
        private boolean stopping;
        private long first;

        /**
         * Synchronized: each signal's handler runs on a thread of its own, so a signal delivered
         * twice can be handled by two threads at once, and the repeat must see the first's time.
         */
        synchronized int signal(long now) {
            if (!stopping) {
                stopping = true;
                first = now;
                return STOP;
            }
            return now - first < WINDOW_NANOS ? DUPLICATE : EXIT;
        }
    }
}
