package io.chihaya.server.http;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An answer that another thread gives later (see {@link Exchange#defer()}). Thread-safe; only the
 * first {@link #respond} counts.
 */
public final class Deferred {
    static final byte[] EMPTY = new byte[0];

    private final EventLoop loop;
    private final Connection connection;
    private final AtomicBoolean done = new AtomicBoolean();

    Deferred(EventLoop loop, Connection connection) {
        this.loop = loop;
        this.connection = connection;
    }

    /** Answers with {@code body}, which must not change afterwards; the I/O thread writes it. */
    public void respond(int status, ContentType type, byte[] body) {
        if (done.compareAndSet(false, true)) {
            loop.execute(() -> loop.deliver(connection, status, type, body));
        }
    }
}
