package io.chihaya.server;

import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Builds configs for a test database and talks HTTP to a tracker. */
final class ServerFixture {
    static final String ALICE = "mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ";
    static final String BOB = "tbHfQDQ9xDaQdsNv5CZBtHPfk7KGzaCw";
    /** Torrent 3 of the fixtures: active, group 2 anime. */
    static final String HASH3 = "%59%FC%54%31%B1%1C%76%1C%94%CD%3E%B9%08%25%EA%6E%6D%C8%A5%F1";
    static final String HASH2 = "%16%A8%2D%DD%57%E1%8C%B1%5E%22%F2%E1%C4%EA%DE%2E%BB%83%B1%9B";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixture() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config for the test database: no drift, fast flushes, admin token "token", proxy X-Real-IP. */
    static TrackerConfig config(TestDatabase db, int port) {
        return config(db, port, db.host() + ":" + db.port());
    }

    /** {@link #config(TestDatabase, int)} with another database address (e.g. one where nothing answers). */
    static TrackerConfig config(TestDatabase db, int port, String databaseAddress) {
        TrackerConfig.Intervals i = TrackerConfig.Intervals.defaults();
        return new TrackerConfig(
                new TrackerConfig.Database(db.user(), db.password(), db.name(), "tcp", databaseAddress, 1, 5),
                TrackerConfig.Channels.defaults(),
                new TrackerConfig.Intervals(i.announce(), i.minAnnounce(), i.peerInactivity(), 0, i.scrape(),
                        i.databaseReload(), i.databaseSerialize(), i.purgeInactivePeers(), 1),
                "127.0.0.1:" + port, "token", "X-Real-IP", false, true, false, false, false, 25, 50);
    }

    /** Config file text equivalent to {@link #config}. */
    static String configJson(TestDatabase db, int port) {
        return "{\"database\": {\"username\": \"" + db.user() + "\", \"password\": \"" + db.password()
                + "\", \"database\": \"" + db.name() + "\", \"proto\": \"tcp\", \"addr\": \"" + db.host() + ":"
                + db.port() + "\"},\n \"intervals\": {\"announce_drift\": 0, \"flush\": 1},\n \"addr\": \"127.0.0.1:"
                + port + "\", \"admin_token\": \"token\", \"proxy\": \"X-Real-IP\", \"log_flushes\": false}\n";
    }

    record Reply(int status, String body, String contentType) {
    }

    static Reply get(int port, String pathAndQuery, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), new String(response.body(), StandardCharsets.ISO_8859_1),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends one request with a raw request target (which java.net.URI would refuse, e.g. a broken
     * percent escape) over a plain socket; the response must carry Content-Length.
     */
    static Reply raw(int port, String target) {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headerEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            String type = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    type = line.substring(13).trim();
                }
            }
            return new Reply(status, response.substring(headerEnd + 4), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String announce(String passkey, String hash, String peerId, long up, long down, long left, String extra) {
        return "/" + passkey + "/announce?info_hash=" + hash + "&peer_id=" + peerId + "&port=6881&uploaded=" + up
                + "&downloaded=" + down + "&left=" + left + extra;
    }

    static String failure(String reason, int interval) {
        return "d14:failure reason" + reason.length() + ":" + reason + "8:intervali" + interval
                + "e12:min intervali" + interval + "ee";
    }
}
