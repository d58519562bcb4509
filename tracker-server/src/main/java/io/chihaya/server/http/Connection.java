package io.chihaya.server.http;

import java.net.InetAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The state of one client connection, owned by its {@link EventLoop}'s thread (not thread-safe). An
 * idle keep-alive connection holds no buffer: only bytes of an unfinished request, or of an answer
 * the socket could not take yet, are kept here.
 */
final class Connection {
    final SocketChannel channel;
    /**
     * The connection's registration with its loop's selector; null until it first has to wait for
     * the socket. A request that is already there when the connection is accepted, and that closes
     * it, is answered without ever registering.
     */
    SelectionKey key;
    /** Whether TCP_NODELAY is set; it is, before any write on a connection that stays open. */
    boolean noDelay;
    final InetAddress remote;
    final BodySkipper body;

    /** Bytes received but not processed yet: a partial head, or requests pipelined behind a wait. */
    byte[] stash;
    int stashLength;
    /** How much of the partial head at the start of the stash was already searched for its end. */
    int scanned;
    /** When the request being received began (ms), 0 when none is. */
    long busySince;
    /** Last time bytes moved either way (ms). */
    long lastActivity;

    /** Answer bytes the socket has not taken yet, or null. */
    byte[] pending;
    int pendingOffset;
    int pendingLength;
    /** When the pending bytes last made progress (ms). */
    long writeProgress;

    /** Whether the request being answered keeps the connection open. */
    boolean keepAlive;
    /** Close once the pending bytes are written. */
    boolean closing;
    /** An answer is being prepared on another thread. */
    boolean deferred;
    boolean closed;
    /** Position in the loop's list of connections. */
    int slot;

    Connection(SocketChannel channel, InetAddress remote, long now, long maxBody) {
        this.channel = channel;
        this.remote = remote;
        this.lastActivity = now;
        this.body = new BodySkipper(maxBody);
    }

    /** Keeps {@code bytes[from, to)} for the next turn. */
    void stash(byte[] bytes, int from, int to) {
        int length = to - from;
        if (stash == null || stash.length < length) {
            stash = new byte[Math.max(length, 256)];
        }
        System.arraycopy(bytes, from, stash, 0, length);
        stashLength = length;
    }

    /** Moves the stash to {@code into} at 0, returning its length; the stash is freed. */
    int unstash(byte[] into) {
        int length = stashLength;
        System.arraycopy(stash, 0, into, 0, length);
        stashLength = 0;
        stash = null;
        return length;
    }

    /** Adds answer bytes behind any already pending. */
    void appendPending(byte[] bytes, int from, int length) {
        if (pending == null) {
            pending = new byte[Math.max(length, 1024)];
            pendingOffset = 0;
            pendingLength = 0;
        } else if (pending.length - pendingOffset - pendingLength < length) {
            byte[] grown = new byte[Math.max(pendingLength + length, pending.length * 2)];
            System.arraycopy(pending, pendingOffset, grown, 0, pendingLength);
            pending = grown;
            pendingOffset = 0;
        }
        System.arraycopy(bytes, from, pending, pendingOffset + pendingLength, length);
        pendingLength += length;
    }

    /** Nothing received, owed or awaited: the connection may be closed without losing a request. */
    boolean idle() {
        return busySince == 0 && stashLength == 0 && pending == null && !deferred && !body.active();
    }
}
