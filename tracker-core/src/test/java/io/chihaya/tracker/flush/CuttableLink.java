package io.chihaya.tracker.flush;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to the test database that a test can cut (open connections dropped, new ones
 * refused), or arm to cut right after a COMMIT has reached the server, to make a batch in doubt.
 */
final class CuttableLink implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean cutAfterCommit;

    CuttableLink(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    void cut() {
        cut = true;
        open.forEach(CuttableLink::close);
        open.clear();
    }

    /** The next COMMIT is passed on, then the link is cut for good: the client never hears the answer. */
    void cutAfterNextCommit() {
        cutAfterCommit = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    close(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(host, port), 2_000);
                open.add(client);
                open.add(upstream);
                daemon(() -> relay(client, upstream, true));
                daemon(() -> relay(upstream, client, false));
            } catch (IOException e) {
                // closed: the client sees a dropped connection
            }
        }
    }

    private void relay(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                if (fromClient && cutAfterCommit
                        && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("COMMIT")) {
                    cutAfterCommit = false;
                    Thread.sleep(300); // the server commits before the link dies
                    cut();
                    return;
                }
            }
        } catch (IOException e) {
            // cut
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(from);
            close(to);
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "cuttable-link");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
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
