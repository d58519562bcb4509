package io.chihaya.server;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.chihaya.server.ServerFixture.ALICE;
import static io.chihaya.server.ServerFixture.BOB;
import static io.chihaya.server.ServerFixture.HASH2;
import static io.chihaya.server.ServerFixture.HASH3;
import static io.chihaya.server.ServerFixture.announce;
import static io.chihaya.server.ServerFixture.failure;
import static io.chihaya.server.ServerFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The real server on a free port against the fixture database, driven over HTTP. */
@MariaDbTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerEndToEndTest {
    private static TrackerServer server;
    private static int port;
    private static TestDatabase database;

    @BeforeAll
    static void start(TestDatabase db, @TempDir Path directory) {
        database = db;
        port = ServerFixture.freePort();
        server = new TrackerServer(ServerFixture.config(db, port), directory);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @Order(1)
    void routes() {
        ServerFixture.Reply check = get(port, "/check");
        assertThat(check.status()).isEqualTo(200);
        assertThat(Long.parseLong(check.body())).isBetween(System.currentTimeMillis() / 1000 - 5,
                System.currentTimeMillis() / 1000 + 5);
        assertThat(get(port, "/").status()).isEqualTo(404);
        assertThat(get(port, "/" + ALICE + "/").status()).isEqualTo(404);
        assertThat(get(port, "/" + ALICE).status()).isEqualTo(404);
        assertThat(get(port, "/" + ALICE + "/check").status()).isEqualTo(404);
        assertThat(get(port, "//announce").status()).isEqualTo(404);
        assertThat(get(port, "/" + ALICE + "/unknown").status()).isEqualTo(404);
        ServerFixture.Reply invalid = get(port, "/check/extra");
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.body()).isEqualTo(failure("Your passkey is invalid", 3600));
        assertThat(invalid.contentType()).isEqualTo("text/plain");
        assertThat(get(port, "/foo/" + ALICE + "/announce").body()).isEqualTo(failure("Your passkey is invalid", 3600));
        // User 3 is disabled.
        assertThat(get(port, "/sGJPs8FPzp7t8tgqd2ypVyKTpWfqqmdt/announce").body())
                .isEqualTo(failure("Your passkey is invalid", 3600));
        assertThat(ServerFixture.raw(port, "/%zz/announce").status()).isEqualTo(400);
        assertThat(get(port, "/" + ALICE + "%2Fannounce").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void failuresAreBencodedNever500() {
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 0, "")).status()).isEqualTo(200);
        // A broken escape in the query is the client's mistake: a bencoded failure (SPEC 3, 11).
        for (String query : new String[]{"info_hash=%zz", "info_hash=%4", "peer_id=%", "%G0=1"}) {
            ServerFixture.Reply badEscape = ServerFixture.raw(port, "/" + ALICE + "/announce?" + query);
            assertThat(badEscape.status()).as(query).isEqualTo(200);
            assertThat(badEscape.body()).as(query)
                    .isEqualTo(failure("Malformed request - invalid percent-encoding", 3600));
        }
        assertThat(ServerFixture.raw(port, "/" + ALICE + "/scrape?info_hash=%%").body())
                .isEqualTo(failure("Malformed request - invalid percent-encoding", 3600));
        // Raw bytes that old clients put in the target unescaped reach the query parser as they are.
        assertThat(ServerFixture.raw(port, "/" + ALICE + "/announce?info_hash=\u00ff\u0001").body())
                .isEqualTo(failure("Malformed request - missing info_hash", 3600));
        ServerFixture.Reply huge = get(port, "/" + ALICE + "/announce?x=" + "a".repeat(10_000));
        assertThat(huge.status()).isEqualTo(200);
        assertThat(huge.body()).isEqualTo(failure("Malformed request - query string too long", 3600));
        ServerFixture.Reply junk = ServerFixture.raw(port, "/" + ALICE + "/announce?%00%FF%FE=%01&&&==&info_hash=%00&;;=+");
        assertThat(junk.status()).isEqualTo(200);
        assertThat(junk.body()).isEqualTo(failure("Malformed request - missing info_hash", 3600));
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 0, "").replace("port=6881", "port=70000")).body())
                .isEqualTo(failure("Malformed request - missing port", 3600));
        assertThat(get(port, announce(ALICE, HASH3, "-XX2940-aaaaaaaaaaaa", 0, 0, 0, "")).body())
                .isEqualTo(failure("Your client is not approved (peer_id: -XX2940-aaaaaaaaaaaa)", 3600));
        assertThat(get(port, announce(ALICE, "%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00",
                "-TR2940-aaaaaaaaaaaa", 0, 0, 0, "")).body()).isEqualTo(failure("This torrent does not exist", 30));
        // Bob has DisableDownload and no hit-and-run on torrent 3.
        assertThat(get(port, announce(BOB, HASH3, "-TR2940-bbbbbbbbbbbb", 0, 0, 5, "")).body())
                .isEqualTo(failure("Your download privileges are disabled", 3600));
        // Stop Alice's peer from the first announce, so the next test starts from an empty swarm.
        get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 0, "&event=stopped"));
    }

    @Test
    @Order(3)
    void leecherAndSeederSeeEachOtherBehindTheProxyHeader() {
        ServerFixture.Reply seeder = get(port, announce(BOB, HASH3, "-TR2940-bbbbbbbbbbbb", 0, 0, 0, "&event=started"),
                "X-Real-IP", "1.2.3.4");
        assertThat(seeder.body()).isEqualTo("d8:completei1e10:downloadedi0e10:incompletei0e8:intervali1800e"
                + "12:min intervali900e5:peers0:e");
        ServerFixture.Reply leecher = get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 100, "&event=started"),
                "x-real-ip", "5.6.7.8, 10.0.0.1");
        assertThat(leecher.body()).isEqualTo("d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1800e"
                + "12:min intervali900e5:peers6:\u0001\u0002\u0003\u0004\u001a\u00e1e");
        ServerFixture.Reply seederAgain = get(port, announce(BOB, HASH3, "-TR2940-bbbbbbbbbbbb", 300, 0, 0, "&compact=0"),
                "X-Real-IP", "1.2.3.4");
        assertThat(seederAgain.body()).isEqualTo("d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1800e"
                + "12:min intervali900e5:peersld2:ip7:5.6.7.87:peer id20:-TR2940-aaaaaaaaaaaa4:porti6881eeee");
        ServerFixture.Reply completed = get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 100, 0,
                "&event=completed&compact=0&no_peer_id=1"), "X-Real-IP", "5.6.7.8");
        assertThat(completed.body()).isEqualTo("d8:completei2e10:downloadedi1e10:incompletei0e8:intervali1800e"
                + "12:min intervali900e5:peerslee");
    }

    @Test
    @Order(4)
    void scrapeOfSeveralHashes() {
        ServerFixture.Reply scrape = get(port, "/" + ALICE + "/scrape?info_hash=" + HASH3 + "&info_hash=" + HASH2
                + "&info_hash=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00");
        String hash2 = latin1("16A82DDD57E18CB15E22F2E1C4EADE2EBB83B19B");
        String hash3 = latin1("59FC5431B11C761C94CD3EB90825EA6E6DC8A5F1");
        assertThat(scrape.body()).isEqualTo("d5:filesd20:" + hash2 + "d8:completei0e10:downloadedi0e10:incompletei0ee"
                + "20:" + hash3 + "d8:completei2e10:downloadedi1e10:incompletei0eee"
                + "5:flagsd20:min_request_intervali900ee8:intervali900e12:min intervali900ee");
        // Bob may not download: only torrent 2, his hit-and-run, is shown to him.
        assertThat(get(port, "/" + BOB + "/scrape?info_hash=" + HASH3 + "&info_hash=" + HASH2).body())
                .isEqualTo("d5:filesd20:" + hash2 + "d8:completei0e10:downloadedi0e10:incompletei0eee"
                        + "5:flagsd20:min_request_intervali900ee8:intervali900e12:min intervali900ee");
    }

    @Test
    @Order(5)
    void metricsWithAndWithoutTheToken() throws InterruptedException {
        ServerFixture.Reply open = get(port, "/" + ALICE + "/metrics");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).contains("chihaya_users 2.0", "chihaya_torrents 3.0", "chihaya_peers 2.0",
                "chihaya_clients 2.0", "chihaya_hnrs 1.0", "chihaya_uptime ", "chihaya_requests ");
        assertThat(open.body()).doesNotContain("chihaya_deadlock_count", "jvm_");
        assertThat(get(port, "/" + ALICE + "/metrics", "Authorization", "Bearer wrong").body())
                .doesNotContain("chihaya_deadlock_count");
        ServerFixture.Reply admin = get(port, "/" + ALICE + "/metrics", "Authorization", "Bearer token");
        assertThat(admin.body()).contains("chihaya_deadlock_count 0.0", "chihaya_requests_fail ",
                "chihaya_sql_errors_count", "chihaya_flush_backlog_rows{type=\"users_main\"}", "jvm_memory_");
        assertThat(get(port, "/invalid/metrics").body()).isEqualTo(failure("Your passkey is invalid", 3600));
        // The announces above reach MariaDB within a flush interval (1 s here), counted per table.
        long deadline = System.currentTimeMillis() + 15_000;
        String rows = "chihaya_flush_rows_total{type=\"transfer_history\"}";
        while (!get(port, "/" + ALICE + "/metrics", "Authorization", "Bearer token").body().contains(rows)) {
            assertThat(System.currentTimeMillis()).as("%s within 15 s", rows).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    @Order(6)
    void databaseRowsMatchTheAnnouncesAfterStop() throws Exception {
        server.stop();
        server = null;
        // Bob: raw up 300 x user 0.5 x group (2, anime) up 2 = 300; TrackerHide writes 127.0.0.1.
        assertThat(rows("SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main ORDER BY ID"))
                .containsExactly("1|0|0|0|100", "2|2851|5|2851|5", "3|12|0|12|0");
        assertThat(rows("SELECT Seeders, Leechers, Snatched FROM torrents WHERE ID = 3")).containsExactly("2|0|1");
        assertThat(rows("SELECT uid, uploaded, downloaded, seeding, active, snatched, remaining FROM transfer_history"
                + " WHERE fid = 3 ORDER BY uid")).containsExactly("1|0|100|1|1|1|0", "2|300|0|1|1|0|0");
        assertThat(rows("SELECT uid, ip FROM transfer_ips WHERE fid = 3 ORDER BY uid, ip"))
                // Alice's first announces came without the proxy header, from the socket's 127.0.0.1.
                .containsExactly("1|84281096", "1|2130706433", "2|2130706433");
    }

    private static String latin1(String hex) {
        return new String(java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static List<String> rows(String sql) {
        return database.rows(sql);
    }
}
