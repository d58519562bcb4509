package io.chihaya.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One I/O thread: a selector over its own connections and the shared listening socket. It reads,
 * parses, calls the handler and writes, all on this thread; a request is answered from the bytes of
 * one read into a buffer of the loop's, and the answer goes out with one write, so a keep-alive
 * announce costs a read, a write and no allocation here. Sweeps its connections twice a second for
 * the timeouts.
 *
 * <p>Everything but {@link #execute} and {@link #wakeup} runs on the loop's own thread.
 */
final class EventLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final long SWEEP_MILLIS = 500;
    /** Answers of pipelined requests are written out once this much has gathered. */
    private static final int FLUSH_AT = 32 * 1024;
    private static final byte[] BAD_REQUEST =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    /** IMF-fixdate (RFC 9110 5.6.7): two-digit day, English names. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);

    private final HttpServer.Settings settings;
    private final Handler handler;
    private final ServerSocketChannel server;
    private final AtomicInteger openConnections;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayList<Connection> connections = new ArrayList<>();
    private final byte[] in;
    private final ByteBuffer inBuffer;
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    private final RequestHead head = new RequestHead();
    private final Exchange exchange = new Exchange(this);
    private final SelectionKey acceptKey;

    private volatile boolean running = true;
    private boolean draining;
    private long now = millis();
    private long lastSweep = now;
    private long acceptPausedUntil;
    private long dateSecond = -1;
    private byte[] dateLine;
    private long refused;

    EventLoop(HttpServer.Settings settings, Handler handler, ServerSocketChannel server,
              AtomicInteger openConnections) throws IOException {
        this.settings = settings;
        this.handler = handler;
        this.server = server;
        this.openConnections = openConnections;
        this.selector = Selector.open();
        this.in = new byte[settings.maxHeadBytes() * 2];
        this.inBuffer = ByteBuffer.wrap(in);
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(this::ready, SWEEP_MILLIS);
                now = millis();
                runTasks();
                if (now - lastSweep >= SWEEP_MILLIS) {
                    lastSweep = now;
                    sweep();
                }
            } catch (IOException | RuntimeException | Error e) {
                LOG.error("I/O loop error (the loop goes on)", e);
            }
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            close(connections.get(i));
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector", e);
        }
    }

    /** Runs {@code task} on the loop's thread, soon. Thread-safe. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Stops taking new connections, closes idle ones, and closes the others after their answer. */
    void startDraining() {
        execute(() -> {
            draining = true;
            acceptKey.cancel();
            for (int i = connections.size() - 1; i >= 0; i--) {
                Connection c = connections.get(i);
                if (c.idle()) {
                    close(c);
                }
            }
        });
    }

    /** Ends the loop; connections still open are closed. Thread-safe. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void ready(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                writePending(c);
            } else if (key.isReadable()) {
                read(c);
            }
        } catch (IOException | CancelledKeyException e) {
            close(c);
        } catch (RuntimeException e) {
            LOG.error("closing a connection after an unexpected error", e);
            close(c);
        }
    }

    private void accept() {
        for (int i = 0; i < 64; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return; // the server is stopping
                }
                // Typically out of file descriptors: pause accepting instead of spinning on the error.
                LOG.warn("cannot accept connections ({}); pausing accepts for 1 s, {} open", e.getMessage(),
                        openConnections.get());
                acceptKey.interestOps(0);
                acceptPausedUntil = now + 1000;
                return;
            }
            if (channel == null) {
                return;
            }
            if (openConnections.incrementAndGet() > settings.maxConnections()) {
                openConnections.decrementAndGet();
                if (refused++ % 1000 == 0) {
                    LOG.warn("{} connections open, the limit: refusing new ones ({} refused so far)",
                            settings.maxConnections(), refused);
                }
                closeQuietly(channel);
                continue;
            }
            Connection c;
            try {
                channel.configureBlocking(false);
                InetAddress remote = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
                c = new Connection(channel, remote, now, settings.maxBodyBytes());
            } catch (IOException | RuntimeException e) {
                openConnections.decrementAndGet();
                closeQuietly(channel);
                continue;
            }
            c.slot = connections.size();
            connections.add(c);
            // The client usually sends its request right after connecting, so it is often here
            // already: reading now answers it without waiting for the selector, and a connection
            // that closes after one answer never registers with it at all.
            try {
                read(c);
                if (!c.closed && c.key == null && c.pending == null && !c.deferred) {
                    interest(c, SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                close(c);
            } catch (RuntimeException e) {
                LOG.error("closing a connection after an unexpected error", e);
                close(c);
            }
        }
    }

    /** Sets what {@code c} waits for, registering it with the selector the first time it waits. */
    private void interest(Connection c, int ops) throws IOException {
        if (c.key != null) {
            c.key.interestOps(ops);
        } else if (ops != 0) {
            c.key = c.channel.register(selector, ops, c);
        }
    }

    private void read(Connection c) throws IOException {
        int length = c.stashLength > 0 ? c.unstash(in) : 0;
        inBuffer.clear().position(length);
        int n = c.channel.read(inBuffer);
        if (n < 0) {
            close(c);
            return;
        }
        if (n > 0) {
            c.lastActivity = now;
        }
        process(c, inBuffer.position());
    }

    /** Answers every whole request in {@code in[0, limit)}; keeps the rest for later. */
    private void process(Connection c, int limit) {
        int pos = 0;
        while (pos < limit && !c.closing && !c.deferred && c.pending == null) {
            if (c.body.active()) {
                pos = c.body.skip(in, pos, limit);
                if (c.body.failed()) {
                    c.closing = true; // the response went out already; the stream cannot be followed
                } else if (!c.body.active()) {
                    c.busySince = 0;
                }
                continue;
            }
            if (c.busySince == 0) {
                while (pos < limit && (in[pos] == '\r' || in[pos] == '\n')) {
                    pos++; // empty lines before a request are allowed
                }
                if (pos == limit) {
                    break;
                }
                c.busySince = now;
                c.scanned = 0;
            }
            int end = HeadParser.findEnd(in, pos, limit, pos + c.scanned);
            if (end < 0) {
                if (limit - pos > settings.maxHeadBytes()) {
                    badRequest(c);
                } else {
                    c.scanned = HeadParser.resumeAt(pos, limit) - pos;
                }
                break;
            }
            if (end - pos > settings.maxHeadBytes() || HeadParser.parse(in, pos, end, head) != HeadParser.Result.OK
                    || !c.body.start(head)) {
                badRequest(c);
                break;
            }
            pos = end;
            boolean hasBody = c.body.active();
            if (!hasBody) {
                c.busySince = 0;
            }
            // A client waiting for "100 Continue" would not send its body: answer and close instead.
            c.keepAlive = head.keepAlive && !draining && !(head.expectContinue && hasBody);
            handle(c);
            if (out.position() >= FLUSH_AT) {
                flush(c);
            }
        }
        if (!c.closed && !c.closing && pos < limit) {
            c.stash(in, pos, limit);
        }
        flush(c);
    }

    private void handle(Connection c) {
        exchange.begin(c, head);
        try {
            handler.handle(exchange);
        } catch (RuntimeException e) {
            LOG.error("the handler failed", e);
        }
        if (!exchange.answered()) {
            writeResponse(c, 500, null, Deferred.EMPTY, 0, 0);
        }
    }

    private void badRequest(Connection c) {
        append(BAD_REQUEST, 0, BAD_REQUEST.length);
        c.closing = true;
    }

    /** Appends an answer to the loop's output for {@code c}. */
    void writeResponse(Connection c, int status, ContentType type, byte[] body, int offset, int length) {
        ensureRoom(256 + length);
        out.put(Status.line(status));
        if (type != null) {
            out.put(type.line);
        }
        out.put(CONTENT_LENGTH);
        putDecimal(length);
        out.put(CRLF);
        out.put(c.keepAlive ? KEEP_ALIVE : CLOSE);
        out.put(dateLine());
        out.put(CRLF);
        out.put(body, offset, length);
        if (!c.keepAlive) {
            c.closing = true;
        }
    }

    Deferred defer(Connection c) {
        c.deferred = true;
        if (c.key != null) {
            c.key.interestOps(0);
        }
        return new Deferred(this, c);
    }

    /** A deferred answer is ready (on the loop's thread). */
    void deliver(Connection c, int status, ContentType type, byte[] body) {
        if (c.closed) {
            return;
        }
        c.deferred = false;
        if (draining) {
            c.keepAlive = false;
        }
        writeResponse(c, status, type, body, 0, body.length);
        flush(c);
        resume(c);
    }

    /** Writes the loop's output for {@code c}; what the socket does not take waits in the connection. */
    private void flush(Connection c) {
        if (c.closed) {
            out.clear();
            return;
        }
        if (out.position() > 0) {
            out.flip();
            try {
                if (!c.noDelay && !c.closing) {
                    // Not needed for a last answer: closing the socket sends it at once.
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.noDelay = true;
                }
                if (c.pending == null) {
                    c.channel.write(out);
                }
                if (out.hasRemaining()) {
                    c.appendPending(out.array(), out.position(), out.remaining());
                    c.writeProgress = now;
                    interest(c, SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                out.clear();
                close(c);
                return;
            }
            out.clear();
            c.lastActivity = now;
        }
        if (c.closing && c.pending == null && !c.deferred) {
            close(c);
        }
    }

    private void writePending(Connection c) throws IOException {
        int written = c.channel.write(ByteBuffer.wrap(c.pending, c.pendingOffset, c.pendingLength));
        if (written > 0) {
            c.pendingOffset += written;
            c.pendingLength -= written;
            c.writeProgress = now;
            c.lastActivity = now;
        }
        if (c.pendingLength > 0) {
            return;
        }
        c.pending = null;
        if (c.closing) {
            close(c);
        } else if (c.deferred) {
            c.key.interestOps(0); // the answer it waits for comes through deliver()
        } else {
            resume(c);
        }
    }

    /** After a wait (write or deferred answer): reads again, and answers requests that came meanwhile. */
    private void resume(Connection c) {
        if (c.closed || c.pending != null || c.deferred) {
            return;
        }
        try {
            interest(c, SelectionKey.OP_READ);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (c.stashLength > 0) {
            process(c, c.unstash(in));
        }
    }

    private void sweep() {
        if (!draining && acceptPausedUntil != 0 && now >= acceptPausedUntil) {
            acceptPausedUntil = 0;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.pending != null) {
                if (now - c.writeProgress > settings.writeTimeoutMillis()) {
                    close(c); // the client stopped reading
                }
            } else if (c.deferred) {
                continue;
            } else if (c.busySince != 0) {
                if (now - c.busySince > settings.requestTimeoutMillis()) {
                    close(c); // too slow to send its request
                }
            } else if (draining || now - c.lastActivity > settings.idleTimeoutMillis()) {
                close(c);
            }
        }
    }

    private void close(Connection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        if (c.key != null) {
            c.key.cancel();
        }
        closeQuietly(c.channel);
        openConnections.decrementAndGet();
        Connection last = connections.remove(connections.size() - 1);
        if (last != c) {
            connections.set(c.slot, last);
            last.slot = c.slot;
        }
    }

    private byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000; // wall time; `now` is monotonic
        if (second != dateSecond) {
            dateSecond = second;
            dateLine = ascii("Date: " + DATE.format(Instant.ofEpochSecond(second)) + "\r\n");
        }
        return dateLine;
    }

    private void append(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        out.put(bytes, offset, length);
    }

    private void ensureRoom(int bytes) {
        if (out.remaining() < bytes) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes));
            out.flip();
            grown.put(out);
            out = grown;
        }
    }

    private void putDecimal(int value) {
        if (value == 0) {
            out.put((byte) '0');
            return;
        }
        int digits = 0;
        for (int v = value; v > 0; v /= 10) {
            digits++;
        }
        int at = out.position() + digits;
        out.position(at);
        for (int v = value; v > 0; v /= 10) {
            out.put(--at, (byte) ('0' + v % 10));
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the connection is gone either way
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
