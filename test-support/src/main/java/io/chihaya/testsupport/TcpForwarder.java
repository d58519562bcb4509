package io.chihaya.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that a test can cut (every connection dropped, new ones refused at
 * once) and restore, to simulate a database outage. Closed with the test.
 */
public final class TcpForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean cutAfterNextCommit;

    /** Listens on a free loopback port and forwards to {@code targetHost:targetPort}. */
    public TcpForwarder(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "forwarder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The loopback port to connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        synchronized (open) {
            cut = true;
            for (Socket socket : open) {
                closeQuietly(socket);
            }
            open.clear();
        }
    }

    /** Accepts connections again. */
    public void restore() {
        cut = false;
    }

    /**
     * Arms a cut right after the next COMMIT the client sends has been passed to the server: the
     * server commits, but the client never hears so (the case of a commit lost in transit). The
     * forwarder then stays cut, refusing connections, until {@link #restore()}.
     */
    public void cutAfterNextCommit() {
        cutAfterNextCommit = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                // A cut while this connection was being made must drop it too: checked and registered
                // under the same lock as cut(), or a pooled connection opened meanwhile would survive it.
                synchronized (open) {
                    if (cut) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed, or the target refused: the client sees a dropped connection
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (fromClient && cutAfterNextCommit
                            && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).contains("COMMIT")) {
                        cutAfterNextCommit = false;
                        Thread.sleep(300); // let the server commit before the connection dies
                        cut();
                        closeQuietly(from);
                        closeQuietly(to);
                        return;
                    }
                }
            } catch (IOException e) {
                // connection cut
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "forwarder-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
