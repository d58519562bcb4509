package io.chihaya.server;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.chihaya.server.ServerFixture.ALICE;
import static io.chihaya.server.ServerFixture.HASH3;
import static io.chihaya.server.ServerFixture.announce;
import static io.chihaya.server.ServerFixture.failure;
import static io.chihaya.server.ServerFixture.get;
import static io.chihaya.server.ServerFixture.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients the internet really has (issue 8): odd methods, absurd numbers, wrong-sized hashes,
 * passkeys of every wrong shape, oversized request lines and headers, pipelining, idle connections.
 * Each gets a clean answer or a closed connection, and the server keeps serving everyone else.
 */
@MariaDbTest
class HostileInputTest {
    private static TrackerServer server;
    private static int port;

    @BeforeAll
    static void start(TestDatabase db, @TempDir Path directory) {
        port = ServerFixture.freePort();
        server = new TrackerServer(ServerFixture.config(db, port), directory);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static void stillServing() {
        assertThat(get(port, "/check").status()).isEqualTo(200);
    }

    /** Sends raw bytes, returns everything the server answers until it closes or goes quiet. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // the server kept the connection open (keep-alive) or reset it: we have what it sent
            }
            return answer.toString();
        }
    }

    @Test
    void theMethodIsNotChecked() throws IOException {
        for (String method : new String[]{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            String answer = exchange(method + " " + announce(ALICE, HASH3, "-TR2940-hostile00000", 0, 0, 0, "")
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(method).startsWith("HTTP/1.1 200").contains("d8:completei");
        }
        stillServing();
    }

    @Test
    void absurdNumbersAndWrongSizedHashes() {
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-hostile00001", 0, 0, 0, "&numwant=99999999999")).body())
                .startsWith("d8:completei");
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-hostile00002", 0, 0, 0, "")
                .replace("left=0", "left=-1")).body()).isEqualTo(failure("Malformed request - missing left", 3600));
        assertThat(get(port, announce(ALICE, HASH3 + "%00", "-TR2940-hostile00003", 0, 0, 0, "")).body())
                .isEqualTo(failure("Malformed request - missing info_hash", 3600));
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-hostile00004", 0, 0, 0, "")
                .replace("uploaded=0", "uploaded=18446744073709551616")).body())
                .isEqualTo(failure("Malformed request - missing uploaded", 3600));
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-hostile00005", 0, 0, 0, "")
                .replace("port=6881", "port=1e3")).body()).isEqualTo(failure("Malformed request - missing port", 3600));
        stillServing();
    }

    @Test
    void passkeysOfEveryWrongShapeLearnNothing() {
        String invalid = failure("Your passkey is invalid", 3600);
        String[] shapes = {ALICE.substring(1), ALICE + "x", ALICE.toLowerCase(java.util.Locale.ROOT),
            "%00" + ALICE.substring(1), "..%2F" + ALICE, "%C3%A9" + ALICE.substring(2), "a".repeat(4000),
            "' OR '1'='1", "x/" + ALICE};
        for (String passkey : shapes) {
            String path = "/" + passkey.replace("'", "%27").replace(" ", "%20").replace("=", "%3D") + "/announce?info_hash="
                    + HASH3 + "&peer_id=-TR2940-hostile00006&port=1&uploaded=0&downloaded=0&left=0";
            ServerFixture.Reply reply = raw(port, path);
            assertThat(reply.status()).as(passkey).isEqualTo(200);
            // The same answer whether or not the torrent exists: nothing leaks.
            assertThat(reply.body()).as(passkey).isEqualTo(invalid);
        }
        assertThat(raw(port, "/" + "a".repeat(4000) + "/scrape?info_hash=" + HASH3).body()).isEqualTo(invalid);
        stillServing();
    }

    @Test
    void oversizedRequestLinesAndHeadersAreRefusedCleanly() throws IOException {
        String refused = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        assertThat(exchange("GET /check?" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .isEqualTo(refused);
        assertThat(exchange("GET /check HTTP/1.1\r\nHost: x\r\nX-Junk: " + "b".repeat(64 * 1024) + "\r\n\r\n"))
                .isEqualTo(refused);
        StringBuilder manyHeaders = new StringBuilder("GET /check HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 500; i++) {
            manyHeaders.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(exchange(manyHeaders + "\r\n")).isEqualTo(refused);
        assertThat(exchange("NOT HTTP AT ALL\r\n\r\n")).isEqualTo(refused);
        stillServing();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        String one = "GET /check HTTP/1.1\r\nHost: x\r\n\r\n";
        String two = "GET " + announce(ALICE, HASH3, "-TR2940-hostile00007", 0, 0, 0, "") + " HTTP/1.1\r\nHost: x\r\n\r\n";
        String three = "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String answer = exchange(one + two + three);
        int first = answer.indexOf("HTTP/1.1 200");
        int second = answer.indexOf("HTTP/1.1 200", first + 1);
        int third = answer.indexOf("HTTP/1.1 404", second + 1);
        assertThat(first).isGreaterThanOrEqualTo(0);
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        assertThat(answer.substring(second, third)).contains("d8:completei");
    }

    @Test
    void manyIdleConnectionsDoNotStopOthers() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            // Half-sent requests too: a request line without its end.
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.getOutputStream().write("GET /check HTTP/1.1\r\nHost:".getBytes(StandardCharsets.US_ASCII));
                idle.add(socket);
            }
            for (int i = 0; i < 20; i++) {
                stillServing();
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }
}
