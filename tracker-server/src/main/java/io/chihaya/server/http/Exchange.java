package io.chihaya.server.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The request being handled and the means to answer it. The request is read in place: path and
 * query are offsets into {@link #buffer()}, raw bytes as they came off the wire (nothing is
 * percent-decoded). Everything here is valid only until {@link Handler#handle} returns; a handler
 * that defers copies what it needs first.
 *
 * <p>One instance per I/O thread, reused for every request; not thread-safe.
 */
public final class Exchange {
    private final EventLoop loop;
    private Connection connection;
    private RequestHead head;
    private boolean answered;

    Exchange(EventLoop loop) {
        this.loop = loop;
    }

    void begin(Connection connection, RequestHead head) {
        this.connection = connection;
        this.head = head;
        this.answered = false;
    }

    boolean answered() {
        return answered;
    }

    /** The buffer holding the request. */
    public byte[] buffer() {
        return head.buffer;
    }

    /** Start of the path (before the '?') in {@link #buffer()}. */
    public int pathStart() {
        return head.pathStart;
    }

    /** End of the path (exclusive). */
    public int pathEnd() {
        return head.pathEnd;
    }

    /** Start of the raw query string after the '?'; equal to {@link #queryEnd()} when there is none. */
    public int queryStart() {
        return head.queryStart < 0 ? head.pathEnd : head.queryStart;
    }

    /** End of the raw query string (exclusive). */
    public int queryEnd() {
        return head.queryStart < 0 ? head.pathEnd : head.queryEnd;
    }

    /** The raw query string as ISO-8859-1 text (one char per byte); allocates, for logs. */
    public String queryString() {
        return new String(head.buffer, queryStart(), queryEnd() - queryStart(), StandardCharsets.ISO_8859_1);
    }

    /**
     * The first value of the header whose name is {@code lowerCaseName} (ASCII, matched ignoring
     * case), without surrounding blanks, as ISO-8859-1 text; null when absent.
     */
    public String header(byte[] lowerCaseName) {
        int i = head.find(lowerCaseName);
        return i < 0 ? null : head.value(i);
    }

    /** The address of the client socket. */
    public InetAddress remoteAddress() {
        return connection.remote;
    }

    /**
     * Answers with {@code body[offset, offset + length)}, which is copied before this returns, so
     * the caller may reuse its buffer at once.
     */
    public void respond(int status, ContentType type, byte[] body, int offset, int length) {
        if (answered) {
            throw new IllegalStateException("the request was already answered");
        }
        answered = true;
        loop.writeResponse(connection, status, type, body, offset, length);
    }

    /** Answers with an empty body. */
    public void respond(int status, ContentType type) {
        respond(status, type, Deferred.EMPTY, 0, 0);
    }

    /**
     * Takes the answer off this thread: the connection reads nothing more until {@link Deferred#respond}
     * is called, from any thread.
     */
    public Deferred defer() {
        if (answered) {
            throw new IllegalStateException("the request was already answered");
        }
        answered = true;
        return loop.defer(connection);
    }
}
