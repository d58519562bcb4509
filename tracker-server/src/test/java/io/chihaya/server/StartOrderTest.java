package io.chihaya.server;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.chihaya.server.ServerFixture.ALICE;
import static io.chihaya.server.ServerFixture.BOB;
import static io.chihaya.server.ServerFixture.HASH3;
import static io.chihaya.server.ServerFixture.announce;
import static io.chihaya.server.ServerFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the port opens at start-up: after the first load when MariaDB answers (the approved clients
 * come from MariaDB, and an earlier announce would be refused as "not approved" for an hour), and
 * at once, on the cache alone (approved clients included), when MariaDB is unreachable.
 */
@MariaDbTest
class StartOrderTest {

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePortOpensOnlyAfterTheFirstLoad(TestDatabase db, @TempDir Path directory) throws Exception {
        int port = ServerFixture.freePort();
        TrackerServer server = new TrackerServer(ServerFixture.config(db, port), directory);
        try (Connection lock = db.dataSource().getConnection(); Statement statement = lock.createStatement()) {
            // Holds the first load at approved_clients for as long as this lock is held.
            statement.execute("LOCK TABLES approved_clients WRITE");
            CompletableFuture<Void> starting = CompletableFuture.runAsync(server::start);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < until) {
                assertThat(accepts(port)).as("port open while the first load waits").isFalse();
                assertThat(starting).isNotDone();
                Thread.sleep(50);
            }
            statement.execute("UNLOCK TABLES");
            starting.get(30, TimeUnit.SECONDS);
        }
        try {
            ServerFixture.Reply reply = get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 100,
                    "&event=started"));
            assertThat(reply.body()).startsWith("d8:complete").doesNotContain("failure reason");
        } finally {
            server.stop();
        }
    }

    @Test
    void anUnreachableDatabaseLeavesTheCacheServed(TestDatabase db, @TempDir Path directory) {
        int port = ServerFixture.freePort();
        TrackerServer first = new TrackerServer(ServerFixture.config(db, port), directory);
        first.start();
        try {
            assertThat(get(port, announce(BOB, HASH3, "-TR2940-bbbbbbbbbbbb", 0, 0, 0, "&event=started")).body())
                    .doesNotContain("failure reason");
        } finally {
            first.stop(); // writes the cache
        }

        TrackerConfig unreachable = ServerFixture.config(db, port, "127.0.0.1:" + ServerFixture.freePort());
        TrackerServer second = new TrackerServer(unreachable, directory);
        second.start();
        try {
            // The seeder is there, from the cache.
            ServerFixture.Reply scrape = get(port, "/" + ALICE + "/scrape?info_hash=" + HASH3);
            assertThat(scrape.body()).contains("8:completei1e");
            // And so are the approved clients: a leecher is served, and gets the cached seeder.
            ServerFixture.Reply leecher = get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 100,
                    "&event=started"));
            assertThat(leecher.body()).startsWith("d8:completei1e10:downloadedi0e10:incompletei1e")
                    .doesNotContain("failure reason");
        } finally {
            long stopping = System.nanoTime();
            second.stop(); // 5 s for MariaDB, as it never answered; then the changes go to a file
            // A stop that waited the full 60 s of a MariaDB that had answered once would fail this.
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
        }
        assertThat(directory.resolve(TrackerServer.PENDING_STATS)).as("the leecher's changes, kept").exists();

        TrackerServer third = new TrackerServer(ServerFixture.config(db, port), directory);
        third.start();
        third.stop();
        assertThat(directory.resolve(TrackerServer.PENDING_STATS)).as("replayed at the next start").doesNotExist();
        assertThat(db.rows("SELECT COUNT(*) FROM transfer_history WHERE uid = 1 AND fid = 3")).containsExactly("1");
    }
}
