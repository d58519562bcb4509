package io.chihaya.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracker's HTTP/1.1 server: a few I/O threads, each a selector loop that reads, parses, answers
 * and writes without leaving its thread (see {@link EventLoop}). Built for the tracker's traffic —
 * small GET requests, small answers, many keep-alive or one-shot connections — and for hostile
 * clients: heads, bodies, slow senders, idle and stalled connections are all bounded
 * ({@link Settings}).
 *
 * <p>The request target reaches the {@link Handler} as raw bytes: percent escapes, even broken ones,
 * are the handler's to judge. A general-purpose server (Undertow's parser, for one) refuses a broken
 * escape with a bare 400 before any handler runs, where a tracker owes the client a bencoded
 * failure.
 *
 * <p>Thread-safe: {@link #stop} may be called from any thread.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /**
     * Limits and sizes.
     *
     * @param ioThreads            selector threads
     * @param maxHeadBytes         longest request line plus headers; longer gets 400 and a close
     * @param maxBodyBytes         longest request body (read and dropped); longer closes the connection
     * @param requestTimeoutMillis time a client has to send a whole request once it began
     * @param idleTimeoutMillis    time an idle keep-alive connection is kept
     * @param writeTimeoutMillis   time an answer may wait for a client that does not read
     * @param maxConnections       connections open at once; more are closed as soon as accepted
     * @param backlog              listen backlog
     * @param deferAcceptSeconds   on Linux, how long the kernel holds a new connection that has not
     *                             sent anything yet before passing it on (TCP_DEFER_ACCEPT); 0: off
     */
    public record Settings(int ioThreads, int maxHeadBytes, long maxBodyBytes, long requestTimeoutMillis,
                           long idleTimeoutMillis, long writeTimeoutMillis, int maxConnections, int backlog,
                           int deferAcceptSeconds) {
        public Settings {
            if (ioThreads < 1 || maxHeadBytes < 256 || maxBodyBytes < 0 || requestTimeoutMillis < 1
                    || idleTimeoutMillis < 1 || writeTimeoutMillis < 1 || maxConnections < 1 || backlog < 1
                    || deferAcceptSeconds < 0) {
                throw new IllegalArgumentException("impossible HTTP settings: " + this);
            }
        }

        /**
         * One I/O thread per CPU, 16 KB heads, 64 KB bodies, 10 s to send a request, 60 s idle
         * keep-alive, 60 s for a stalled write, 50,000 connections, backlog 4096, connections held
         * by the kernel for up to 10 s until they send their request.
         */
        public static Settings defaults() {
            return new Settings(Runtime.getRuntime().availableProcessors(), 16 * 1024, 64 * 1024, 10_000, 60_000,
                    60_000, 50_000, 4096, 10);
        }

        /** The same with other timeouts (tests). */
        public Settings withTimeouts(long request, long idle, long write) {
            return new Settings(ioThreads, maxHeadBytes, maxBodyBytes, request, idle, write, maxConnections, backlog,
                    deferAcceptSeconds);
        }

        /** The same with another number of I/O threads and connection limit (tests). */
        public Settings withThreadsAndLimit(int threads, int connections) {
            return new Settings(threads, maxHeadBytes, maxBodyBytes, requestTimeoutMillis, idleTimeoutMillis,
                    writeTimeoutMillis, connections, backlog, deferAcceptSeconds);
        }

        /** The same with another TCP_DEFER_ACCEPT time, 0 for none. */
        public Settings withDeferAccept(int seconds) {
            return new Settings(ioThreads, maxHeadBytes, maxBodyBytes, requestTimeoutMillis, idleTimeoutMillis,
                    writeTimeoutMillis, maxConnections, backlog, seconds);
        }
    }

    private final ServerSocketChannel channel;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final int port;
    private final boolean deferAccept;
    private boolean stopped;

    private HttpServer(InetSocketAddress address, Handler handler, Settings settings) throws IOException {
        channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, settings.backlog());
            channel.configureBlocking(false);
            deferAccept = settings.deferAcceptSeconds() > 0 && DeferAccept.enable(channel, settings.deferAcceptSeconds());
            port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            for (int i = 0; i < settings.ioThreads(); i++) {
                loops.add(new EventLoop(settings, handler, channel, openConnections));
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        for (int i = 0; i < loops.size(); i++) {
            Thread thread = new Thread(loops.get(i), "chihaya-http-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Binds {@code address} (port 0: any free port) and starts serving. */
    public static HttpServer start(InetSocketAddress address, Handler handler, Settings settings) throws IOException {
        return new HttpServer(address, handler, settings);
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    /**
     * Whether TCP_DEFER_ACCEPT took effect: the kernel passes a connection on only once it has sent
     * something, so most requests are already there when their connection is accepted.
     */
    public boolean deferAccept() {
        return deferAccept;
    }

    /** Connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops accepting, closes idle connections, lets the others finish the request they are on (up to
     * {@code timeoutMillis}), then closes everything. Idempotent.
     *
     * @return whether every connection ended on its own within the time
     */
    public synchronized boolean stop(long timeoutMillis) {
        if (stopped) {
            return true;
        }
        stopped = true;
        for (EventLoop loop : loops) {
            loop.startDraining();
        }
        try {
            channel.close(); // new connections are refused from now on, not left waiting in the backlog
        } catch (IOException e) {
            LOG.debug("closing the listening socket", e);
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        boolean drained;
        while (!(drained = openConnections.get() == 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!drained) {
            LOG.warn("{} connections still busy after {} ms; closing them", openConnections.get(), timeoutMillis);
        }
        for (EventLoop loop : loops) {
            loop.stop();
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return drained;
    }
}
