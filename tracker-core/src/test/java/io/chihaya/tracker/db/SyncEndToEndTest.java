package io.chihaya.tracker.db;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.stats.TrackerMetrics;
import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Announces in, rows out: the whole core against the fixture database. */
@MariaDbTest
class SyncEndToEndTest {
    private static final String HASH2 = "16A82DDD57E18CB15E22F2E1C4EADE2EBB83B19B";
    private static final String HASH1 = "72EF20EDDCB5438F73B6D88D78C4DFC1667B8938";
    private static final String HASH3 = "59FC5431B11C761C94CD3EB90825EA6E6DC8A5F1";
    private static final String ALICE = "mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ";
    private static final String BOB = "tbHfQDQ9xDaQdsNv5CZBtHPfk7KGzaCw";

    private final TestDatabase db;
    private Database database;
    private final Registry registry = new Registry();
    private final FlushQueues queues = new FlushQueues();
    private final AtomicLong clock = new AtomicLong(1_700_000_000L);
    private Flusher flusher;
    private Reloader reloader;
    private AnnounceService announces;

    SyncEndToEndTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void start() {
        db.reset();
        database = Sql.connect(db, "");
        flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                new Flusher.Settings(60_000, 5, 0.1, false, false), TrackerMetrics.NONE);
        reloader = new Reloader(new DatabaseLoader(database.jdbi()), registry, flusher, queues, TrackerMetrics.NONE);
        assertThat(reloader.reload(true).failures()).isZero();
        announces = new AnnounceService(TrackerConfig.defaults(), registry, queues, AnnounceObserver.NONE, clock::get,
                () -> new Random(1));
    }

    @AfterEach
    void stop() {
        flusher.stop(10_000);
        database.close();
    }

    private String announce(String passkey, String hash, String peer, long up, long down, long left, String extra)
            throws Exception {
        User user = registry.user(passkey);
        String query = "info_hash=" + percent(HexFormat.of().parseHex(hash)) + "&peer_id=" + percent(peerId(peer))
                + "&port=6881&uploaded=" + up + "&downloaded=" + down + "&left=" + left + extra;
        BencodeWriter out = new BencodeWriter();
        announces.announce(user, query, null, InetAddress.getByName("8.8.8.8"), out);
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] peerId(String suffix) {
        return ("-TR2" + "0".repeat(16 - suffix.length()) + suffix).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void scriptedAnnouncesGiveThePredictedRows() throws Exception {
        flusher.start();
        // Alice leeches torrent 3 (multipliers 1, group 2 anime: down 0, up 2), Bob seeds it.
        assertThat(announce(BOB, HASH3, "b", 0, 0, 0, "&event=started")).startsWith("d8:completei1e");
        assertThat(announce(ALICE, HASH3, "a", 0, 0, 1000, "&event=started")).startsWith("d8:completei1e10:downloadedi0e10:incompletei1e");
        clock.addAndGet(100);
        announce(BOB, HASH3, "b", 600, 0, 0, "");
        clock.addAndGet(100);
        assertThat(announce(ALICE, HASH3, "a", 10, 1000, 0, "&event=completed"))
                .startsWith("d8:completei2e10:downloadedi1e10:incompletei0e");
        clock.addAndGet(50);
        announce(ALICE, HASH3, "a", 30, 1000, 0, "&event=stopped");
        assertThat(flusher.stop(20_000)).isTrue();

        // Bob: up 600 raw x 0.5 (user) x 2 (group) = 600; Alice: up 30 x 1 x 2 = 60, down 1000 x 1 x 0 = 0.
        assertThat(Sql.rows(db, "SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main ORDER BY ID"))
                .containsExactly("1|60|0|30|1000", "2|3151|5|3151|5", "3|12|0|12|0");
        assertThat(Sql.rows(db, "SELECT Seeders, Leechers, Snatched, last_action FROM torrents WHERE ID = 3"))
                .containsExactly("1|0|1|1700000250");
        assertThat(Sql.rows(db, "SELECT uid, uploaded, downloaded, seeding, starttime, last_announce, activetime,"
                + " seedtime, active, snatched, remaining, snatched_time FROM transfer_history WHERE fid = 3 ORDER BY uid"))
                .containsExactly("1|30|1000|1|1700000000|1700000250|250|250|0|1|0|1700000200",
                        "2|600|0|1|1700000000|1700000100|100|100|1|0|0|0");
        assertThat(Sql.rows(db, "SELECT uid, ip, client_id, port, uploaded, downloaded, starttime, last_announce"
                + " FROM transfer_ips WHERE fid = 3 ORDER BY uid"))
                .containsExactly("1|134744072|1|06881|30|1000|1700000000|1700000250",
                        "2|2130706433|1|06881|600|0|1700000000|1700000100");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void noAnnounceWaitsForAReloadHeldUpInTheDatabase() throws Exception {
        flusher.start();
        long up = 0;
        for (String table : java.util.List.of("users_main", "torrents", "approved_clients")) {
            try (java.sql.Connection lock = db.dataSource().getConnection();
                 java.sql.Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLES " + table + " WRITE");
                java.util.concurrent.CompletableFuture<Reloader.Summary> reload =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> reloader.reload(true));
                long deadline = System.currentTimeMillis() + 10_000;
                while (Sql.rows(db, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table%'")
                        .equals(java.util.List.of("0")) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(reload).as("the reload waits for " + table).isNotDone();
                // Announces go on, and see their own effect, while the reload is stuck.
                for (int i = 0; i < 200; i++) {
                    up += 10;
                    clock.incrementAndGet();
                    assertThat(announce(ALICE, HASH3, "a", up, 0, 1000, i == 0 && up == 10 ? "&event=started" : ""))
                            .startsWith("d8:completei0e10:downloadedi0e10:incompletei1e");
                }
                assertThat(reload).as("still held by the lock on " + table).isNotDone();
                statement.execute("UNLOCK TABLES");
                assertThat(reload.get(30, TimeUnit.SECONDS).failures()).isZero();
            }
        }
        assertThat(flusher.stop(20_000)).isTrue();
        // Torrent 3's user multiplier for Alice is 1 and group 2 anime doubles upload: 2 x the raw bytes.
        assertThat(Sql.rows(db, "SELECT Uploaded, rawup FROM users_main WHERE ID = 1"))
                .containsExactly((2 * (up - 10)) + "|" + (up - 10));
    }

    @Test
    void reloadKeepsPeersDropsDeletedTorrentsAndCountsPendingSnatches() throws Exception {
        announce(BOB, HASH3, "b", 0, 0, 5, "");
        announce(BOB, HASH3, "b", 0, 0, 0, "&event=completed");
        announce(ALICE, HASH2, "a", 0, 0, 0, "");
        Torrent three = registry.torrents().get(HexFormat.of().parseHex(HASH3));
        assertThat(three.snatched()).isEqualTo(1);
        Sql.execute(db, "DELETE FROM torrents WHERE ID = 2", "UPDATE torrents SET UpMultiplier = 3 WHERE ID = 3");
        // The snatch is still queued (writers not started): the reload must not lose it from responses.
        assertThat(reloader.reload(false).failures()).isZero();
        assertThat(registry.torrents().get(HexFormat.of().parseHex(HASH3))).isSameAs(three);
        assertThat(three.snatched()).isEqualTo(1);
        assertThat(three.seeders()).isEqualTo(1);
        assertThat(registry.torrents().get(HexFormat.of().parseHex(HASH2))).isNull();
        assertThat(registry.torrents().size()).isEqualTo(2);
        // Once written, the database holds it and a reload still shows exactly one.
        flusher.start();
        assertThat(flusher.stop(20_000)).isTrue();
        assertThat(Sql.rows(db, "SELECT Snatched FROM torrents WHERE ID = 3")).containsExactly("1");
        reloader.reload(false);
        assertThat(three.snatched()).isEqualTo(1);
    }

    @Test
    void aFailedLoadKeepsThePreviousDataAndIsCounted() throws Exception {
        announce(ALICE, HASH3, "a", 0, 0, 0, "");
        java.util.List<String> failed = new java.util.ArrayList<>();
        Reloader counting = new Reloader(new DatabaseLoader(database.jdbi()), registry, null, queues,
                new TrackerMetrics() {
                    @Override
                    public void reloadFailed(String type) {
                        failed.add(type);
                    }
                });
        Sql.execute(db, "RENAME TABLE torrents TO torrents_gone", "DELETE FROM users_main WHERE ID = 2");
        try {
            Reloader.Summary summary = counting.reload(false);
            assertThat(summary.failures()).isEqualTo(1);
            assertThat(failed).containsExactly("torrents");
            // Torrents keep their old table and swarms; users, which did load, lost user 2.
            assertThat(registry.torrents().size()).isEqualTo(3);
            assertThat(registry.torrents().get(HexFormat.of().parseHex(HASH3)).seeders()).isEqualTo(1);
            assertThat(registry.user(BOB)).isNull();
            assertThat(registry.user(ALICE)).isNotNull();
        } finally {
            Sql.execute(db, "RENAME TABLE torrents_gone TO torrents");
        }
    }

    @Test
    void unprunedTorrentIsWrittenAndPurgeDeactivatesIdlePeers() throws Exception {
        flusher.start();
        announce(ALICE, HASH1, "a", 0, 0, 0, "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Sql.rows(db, "SELECT Status FROM torrents WHERE ID = 1").equals(java.util.List.of("0"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        announce(BOB, HASH3, "b", 0, 0, 0, "");
        clock.addAndGet(3000);
        announce(ALICE, HASH3, "a", 0, 0, 10, "");
        clock.addAndGet(1000);
        Purger purger = new Purger(registry, queues, flusher, 3900);
        // Bob's peer (4000 s idle) leaves; Alice's (1000 s) stays.
        int deactivated = purger.purge(clock.get()).get(20, TimeUnit.SECONDS);
        Torrent three = registry.torrents().get(HexFormat.of().parseHex(HASH3));
        assertThat(three.seeders()).isZero();
        assertThat(three.leechers()).isEqualTo(1);
        assertThat(deactivated).isGreaterThanOrEqualTo(1);
        assertThat(flusher.stop(20_000)).isTrue();
        assertThat(Sql.rows(db, "SELECT uid, active FROM transfer_history WHERE fid = 3 ORDER BY uid"))
                .containsExactly("1|1", "2|0");
        assertThat(Sql.rows(db, "SELECT Seeders, Leechers FROM torrents WHERE ID = 3")).containsExactly("0|1");
    }
}
