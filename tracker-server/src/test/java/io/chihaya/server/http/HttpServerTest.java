package io.chihaya.server.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTTP server on its own, with a handler that echoes what it was given: framing, keep-alive,
 * pipelining, bodies, deferred answers, limits, timeouts and the graceful stop, over real sockets.
 */
class HttpServerTest {
    private static final ContentType TEXT = ContentType.of("text/plain");
    private static final byte[] X_TEST = "x-test".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern DATE = Pattern.compile("Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Deferred> waiting = new ArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch hold = new CountDownLatch(1);

    /** Body: "path|query|x-test header", raw bytes as ISO-8859-1; /defer answers from another thread. */
    private void handle(Exchange exchange) {
        String path = new String(exchange.buffer(), exchange.pathStart(), exchange.pathEnd() - exchange.pathStart(),
                StandardCharsets.ISO_8859_1);
        String body = path + "|" + exchange.queryString() + "|" + exchange.header(X_TEST);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        if (path.equals("/big")) {
            byte[] big = new byte[4 * 1024 * 1024];
            exchange.respond(200, TEXT, big, 0, big.length);
        } else if (path.equals("/defer")) {
            Deferred answer = exchange.defer();
            Thread worker = new Thread(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer.respond(200, TEXT, bytes);
            });
            worker.start();
        } else if (path.equals("/hold")) {
            holding.countDown(); // keeps the loop's thread busy, as a burst of work would
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.respond(200, TEXT, bytes, 0, bytes.length);
        } else if (path.equals("/nothing")) {
            return; // a handler bug: the server must still answer
        } else if (path.equals("/throw")) {
            throw new IllegalStateException("handler failure (expected by the test)");
        } else {
            exchange.respond(path.equals("/missing") ? 404 : 200, TEXT, bytes, 0, bytes.length);
        }
    }

    private int start(HttpServer.Settings settings) throws IOException {
        server = HttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), this::handle, settings);
        return server.port();
    }

    private int start() throws IOException {
        return start(HttpServer.Settings.defaults());
    }

    @AfterEach
    void stop() {
        release.countDown();
        hold.countDown();
        if (server != null) {
            server.stop(2_000);
        }
    }

    /** What came back, with Date headers removed (checked separately) so answers compare exactly. */
    private static String withoutDates(String answer) {
        Matcher m = DATE.matcher(answer);
        return m.replaceAll("");
    }

    private static String ok(String body, boolean keepAlive) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: "
                + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n" + body;
    }

    private static final String BAD = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    /** Sends {@code request} in one write and reads until the server closes or is quiet for {@code quietMillis}. */
    private static String exchange(int port, String request, int quietMillis) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readAll(socket, quietMillis);
        }
    }

    private static String readAll(Socket socket, int quietMillis) throws IOException {
        socket.setSoTimeout(quietMillis);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | SocketException e) {
            // quiet (kept alive) or reset: we have what was sent
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean closedByServer(Socket socket, int withinMillis) throws IOException {
        socket.setSoTimeout(withinMillis);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Test
    void answersKeepAliveAndCloseAsTheVersionAndHeaderSay() throws IOException {
        int port = start();
        String one = exchange(port, "GET /a?b=c HTTP/1.1\r\nHost: x\r\nX-Test:  v  \r\n\r\n", 300);
        assertThat(DATE.matcher(one).find()).isTrue();
        assertThat(withoutDates(one)).isEqualTo(ok("/a|b=c|v", true));
        assertThat(withoutDates(exchange(port, "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n", 2000)))
                .isEqualTo(ok("/a||null", false));
        assertThat(withoutDates(exchange(port, "GET /a HTTP/1.0\r\n\r\n", 2000))).isEqualTo(ok("/a||null", false));
        assertThat(withoutDates(exchange(port, "GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 300)))
                .isEqualTo(ok("/a||null", true));
        // Bare LF line ends, an absolute-form target, and empty lines before the request.
        assertThat(withoutDates(exchange(port, "\r\n\nGET http://tracker.example:8080/p?q HTTP/1.1\nHost: x\n\n", 300)))
                .isEqualTo(ok("/p|q|null", true));
        assertThat(withoutDates(exchange(port, "GET /missing HTTP/1.1\r\n\r\n", 300)))
                .isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n"
                        + "Connection: keep-alive\r\n\r\n/missing||null");
    }

    @Test
    void theTargetReachesTheHandlerAsRawBytes() throws IOException {
        int port = start();
        // Broken escapes, raw high bytes and even spaces inside the target are the handler's to judge.
        String target = "/a%zz/b?info_hash=%4\u00ff\u0001x y&%";
        assertThat(withoutDates(exchange(port, "GET " + target + " HTTP/1.1\r\n\r\n", 300)))
                .isEqualTo(ok("/a%zz/b|info_hash=%4\u00ff\u0001x y&%|null", true));
    }

    @Test
    void pipelinedRequestsWithBodiesAreAnsweredInOrder() throws IOException {
        int port = start();
        String request = "POST /one HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "PUT /two HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n"
                + "GET /three HTTP/1.1\r\nConnection: close\r\n\r\n";
        assertThat(withoutDates(exchange(port, request, 2000)))
                .isEqualTo(ok("/one||null", true) + ok("/two||null", true) + ok("/three||null", false));
    }

    @Test
    void aRequestArrivingInPiecesIsAnsweredOnce() throws IOException, InterruptedException {
        int port = start();
        String request = "GET /slow?x=1 HTTP/1.1\r\nX-Test: pieces\r\n\r\n";
        for (int split = 1; split < request.length(); split += 7) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(request.substring(0, split).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(5);
                out.write(request.substring(split).getBytes(StandardCharsets.US_ASCII));
                assertThat(withoutDates(readAll(socket, 300))).as("split at %d", split)
                        .isEqualTo(ok("/slow|x=1|pieces", true));
            }
        }
    }

    @Test
    void malformedHeadsGetA400AndTheConnectionIsClosed() throws IOException {
        int port = start();
        String[] bad = {
            "NOT HTTP AT ALL\r\n\r\n",
            "GET /a HTTP/2.0\r\n\r\n",
            "GET /a\r\n\r\n",
            "GET relative HTTP/1.1\r\n\r\n",
            "G(T /a HTTP/1.1\r\n\r\n",
            "GET /a HTTP/1.1\r\nNo-Colon\r\n\r\n",
            "GET /a HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
            "GET /a HTTP/1.1\r\nBad Name: v\r\n\r\n",
            "GET /a HTTP/1.1\r\nX: a\rb\r\n\r\n",
            "GET /a HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
            "GET /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "GET /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            "GET /a HTTP/1.1\r\nContent-Length: 70000\r\n\r\n",
            "GET /a?" + "q".repeat(20_000) + " HTTP/1.1\r\n\r\n",
        };
        for (String request : bad) {
            assertThat(exchange(port, request, 2000)).as(request.length() > 60 ? request.substring(0, 60) : request)
                    .isEqualTo(BAD);
        }
        StringBuilder many = new StringBuilder("GET /a HTTP/1.1\r\n");
        for (int i = 0; i < 65; i++) {
            many.append("H").append(i).append(": v\r\n");
        }
        assertThat(exchange(port, many + "\r\n", 2000)).isEqualTo(BAD);
        // A head that never ends is refused once it passes the limit, without waiting for the rest.
        assertThat(exchange(port, "GET /a HTTP/1.1\r\nX: " + "v".repeat(40_000), 2000)).isEqualTo(BAD);
        assertThat(withoutDates(exchange(port, "GET /still HTTP/1.1\r\n\r\n", 300))).isEqualTo(ok("/still||null", true));
    }

    @Test
    void aBrokenChunkedBodyClosesTheConnectionAfterTheAnswer() throws IOException {
        int port = start();
        String answer = exchange(port, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                + "GET /never HTTP/1.1\r\n\r\n", 2000);
        assertThat(withoutDates(answer)).isEqualTo(ok("/c||null", true));
    }

    @Test
    void expectContinueWithABodyIsAnsweredAndClosed() throws IOException {
        int port = start();
        assertThat(withoutDates(exchange(port, "POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n",
                2000))).isEqualTo(ok("/e||null", false));
    }

    @Test
    void aHandlerThatFailsOrForgetsToAnswerGivesA500() throws IOException {
        int port = start();
        String error = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n";
        assertThat(withoutDates(exchange(port, "GET /nothing HTTP/1.1\r\n\r\nGET /throw HTTP/1.1\r\n\r\n", 300)))
                .isEqualTo(error + error);
    }

    @Test
    void deferredAnswersKeepTheOrderOfPipelinedRequests() throws IOException {
        int port = start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET /defer?1 HTTP/1.1\r\n\r\nGET /after?2 HTTP/1.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket, 300)).as("nothing before the deferred answer").isEmpty();
            release.countDown();
            assertThat(withoutDates(readAll(socket, 500))).isEqualTo(ok("/defer|1|null", true) + ok("/after|2|null", true));
        }
    }

    @Test
    void requestsAlreadyThereWhenTheirConnectionIsAcceptedAreAnsweredAndTheConnectionsWorkOn() throws Exception {
        HttpServer.Settings d = HttpServer.Settings.defaults();
        int port = start(d.withThreadsAndLimit(1, d.maxConnections()));
        try (Socket busy = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket closing = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket kept = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket big = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket deferred = new Socket(InetAddress.getLoopbackAddress(), port)) {
            busy.getOutputStream().write("GET /hold HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            // The only loop is busy: these connections wait to be accepted with their requests in hand.
            closing.getOutputStream().write("GET /c HTTP/1.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            kept.getOutputStream().write("GET /k?1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            big.getOutputStream().write("GET /big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            deferred.getOutputStream().write("GET /defer?1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            hold.countDown();
            assertThat(withoutDates(readAll(busy, 500))).isEqualTo(ok("/hold||null", true));
            assertThat(withoutDates(readAll(closing, 2000))).isEqualTo(ok("/c||null", false));
            assertThat(closedByServer(closing, 1000)).isTrue();
            // A connection answered at once must still be watched for its next request...
            assertThat(withoutDates(readAll(kept, 500))).isEqualTo(ok("/k|1|null", true));
            kept.getOutputStream().write("GET /k?2 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(withoutDates(readAll(kept, 500))).isEqualTo(ok("/k|2|null", true));
            // ...and for the rest of an answer the socket could not take at once...
            String header = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4194304\r\n"
                    + "Connection: keep-alive\r\n\r\n";
            assertThat(withoutDates(readAll(big, 500))).hasSize(header.length() + 4 * 1024 * 1024).startsWith(header);
            big.getOutputStream().write("GET /after-big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(withoutDates(readAll(big, 500))).isEqualTo(ok("/after-big||null", true));
            // ...and after an answer given later by another thread.
            release.countDown();
            assertThat(withoutDates(readAll(deferred, 500))).isEqualTo(ok("/defer|1|null", true));
            deferred.getOutputStream().write("GET /d?2 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(withoutDates(readAll(deferred, 500))).isEqualTo(ok("/d|2|null", true));
        }
    }

    @Test
    void onLinuxTheKernelHoldsAConnectionUntilItSendsSomething() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "TCP_DEFER_ACCEPT is Linux's");
        int port = start(HttpServer.Settings.defaults().withThreadsAndLimit(1, 10));
        assertThat(server.deferAccept()).as("TCP_DEFER_ACCEPT set (surefire opens sun.nio.ch, as the manifest does)")
                .isTrue();
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Thread.sleep(300);
            assertThat(server.openConnections()).as("connected, nothing sent: not accepted yet").isZero();
            silent.getOutputStream().write("GET /spoke HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(withoutDates(readAll(silent, 500))).isEqualTo(ok("/spoke||null", true));
            assertThat(server.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void slowIdleAndStalledConnectionsAreClosedAtTheirTimeouts() throws IOException, InterruptedException {
        // The idle connection never sends a byte: with TCP_DEFER_ACCEPT the kernel would hold it.
        int port = start(HttpServer.Settings.defaults().withTimeouts(600, 800, 700).withDeferAccept(0));
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
            stalled.setReceiveBufferSize(4096);
            stalled.getOutputStream().write("GET /big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            OutputStream out = slow.getOutputStream();
            long started = System.nanoTime();
            for (char c : "GET /a HTTP/1.1\r\n".toCharArray()) {
                out.write(c); // a byte every 50 ms: never a whole head within 600 ms
                Thread.sleep(50);
            }
            assertThat(closedByServer(slow, 3000)).as("slow sender closed").isTrue();
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(600L, 3000L);
            assertThat(closedByServer(idle, 3000)).as("idle connection closed").isTrue();
            // The stalled client never reads its 4 MB answer: dropped once writing made no progress for 700 ms.
            Thread.sleep(1500);
            assertThat(server.openConnections()).isZero();
        }
        assertThat(withoutDates(exchange(port, "GET /still HTTP/1.1\r\n\r\n", 300))).isEqualTo(ok("/still||null", true));
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws IOException, InterruptedException {
        // Silent connections count only once accepted: without TCP_DEFER_ACCEPT, at once.
        int port = start(HttpServer.Settings.defaults().withThreadsAndLimit(1, 3).withDeferAccept(0));
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            while (server.openConnections() < 3) {
                Thread.sleep(10);
            }
            try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(closedByServer(extra, 2000)).isTrue();
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        while (server.openConnections() > 0) {
            Thread.sleep(10);
        }
        assertThat(withoutDates(exchange(port, "GET /again HTTP/1.1\r\n\r\n", 300))).isEqualTo(ok("/again||null", true));
    }

    @Test
    void stopClosesIdleConnectionsAndFinishesTheRequestInFlight() throws Exception {
        int port = start(HttpServer.Settings.defaults().withDeferAccept(0)); // the idle one never sends
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket busy = new Socket(InetAddress.getLoopbackAddress(), port)) {
            busy.getOutputStream().write("GET /defer?inflight HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            while (server.openConnections() < 2) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            Thread stopper = new Thread(() -> server.stop(5_000));
            stopper.start();
            assertThat(closedByServer(idle, 2000)).as("idle closed at once").isTrue();
            release.countDown();
            assertThat(withoutDates(readAll(busy, 2000))).isEqualTo(ok("/defer|inflight|null", false));
            stopper.join(5_000);
            assertThat(stopper.isAlive()).isFalse();
        }
        try (Socket late = new Socket()) {
            late.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            assertThat(closedByServer(late, 1000)).isTrue();
        } catch (IOException refused) {
            // refused outright: the listening socket is closed
        }
    }
}
