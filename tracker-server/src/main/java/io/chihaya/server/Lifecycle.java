package io.chihaya.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link TrackerServer} until SIGTERM or SIGINT (SPEC 10): the first signal stops it cleanly,
 * a second one exits at once, saying what was not done.
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
        AtomicInteger signals = new AtomicInteger();
        Signals.install(() -> {
            if (signals.incrementAndGet() > 1) {
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
}
