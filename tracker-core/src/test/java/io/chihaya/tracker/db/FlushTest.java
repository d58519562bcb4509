package io.chihaya.tracker.db;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.TrackerMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Each flush kind: recorded changes in, exact rows out, many changes to one row merged. */
@MariaDbTest
class FlushTest {
    private static Database database;
    private final TestDatabase db;
    private final FlushQueues queues = new FlushQueues();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger rowsWritten = new AtomicInteger();

    FlushTest(TestDatabase db) {
        this.db = db;
        if (database == null) {
            database = Sql.connect(db, "");
        }
    }

    @AfterAll
    static void close() {
        database.close();
        database = null;
    }

    @BeforeEach
    void reset() {
        db.reset();
    }

    private boolean flush(boolean flushGroups) {
        TrackerMetrics counting = new TrackerMetrics() {
            @Override
            public void flushed(String table, int rows, double seconds) {
                batches.incrementAndGet();
                rowsWritten.addAndGet(rows);
            }
        };
        Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                new Flusher.Settings(3000, 5, 0.1, false, flushGroups), counting);
        flusher.start();
        return flusher.stop(20_000);
    }

    @Test
    void usersAddEveryDeltaMergedIntoOneRow() {
        for (int i = 0; i < 1000; i++) {
            queues.user(2, 10, 20, 5, 7);
        }
        queues.user(1, 1, 2, 3, 4);
        assertThat(queues.backlog().users()).isEqualTo(2);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main ORDER BY ID"))
                .containsExactly("1|1|2|3|4", "2|12551|20005|7551|7005", "3|12|0|12|0");
        assertThat(rowsWritten.get()).isEqualTo(2);
        assertThat(batches.get()).isEqualTo(1);
    }

    @Test
    void usersThatNoLongerExistAreNotCreated() {
        queues.user(99, 10, 20, 5, 7);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT COUNT(*) FROM users_main")).containsExactly("3");
    }

    @Test
    void torrentsOverwriteCountsAddSnatchesAndKeepTheLatestAction() {
        queues.torrent(2, 1, TorrentType.MUSIC, 5, 6, 1, 1_600_000_000L);
        queues.torrent(2, 1, TorrentType.MUSIC, 3, 4, 2, 1_500_000_000L);
        queues.torrent(1, 1, TorrentType.ANIME, 1, 0, 0, 1_000L);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT ID, Seeders, Leechers, Snatched, last_action FROM torrents ORDER BY ID"))
                .containsExactly("1|1|0|2|1585955952", "2|3|4|3|1600000000", "3|0|0|0|1609032541");
        assertThat(Sql.rows(db, "SELECT ID, Time FROM torrents_group ORDER BY ID"))
                .containsExactly("1|1592659152", "2|1609032772");
    }

    @Test
    void flushGroupsTouchesTheGroupTableOfEachType() {
        queues.torrent(3, 2, TorrentType.ANIME, 1, 0, 0, 0);
        assertThat(flush(true)).isTrue();
        long now = System.currentTimeMillis() / 1000;
        var rows = Sql.rows(db, "SELECT ID, Time FROM torrents_group ORDER BY ID");
        assertThat(rows.get(0)).isEqualTo("1|1592659152");
        assertThat(Long.parseLong(rows.get(1).split("\\|")[1])).isBetween(now - 60, now + 60);
    }

    @Test
    void transferHistoryInsertsThenAddsKeepingStartTime() {
        queues.transferHistory(1, 3, 100, 200, false, 1000, 1000, 0, 0, true, 0, 500);
        queues.transferHistory(1, 3, 50, 25, true, 2000, 1100, 100, 100, true, 1, 0);
        assertThat(flush(false)).isTrue();
        String columns = "uid, fid, uploaded, downloaded, seeding, starttime, last_announce, activetime, seedtime,"
                + " active, snatched, remaining, hnr";
        assertThat(Sql.rows(db, "SELECT " + columns + " FROM transfer_history WHERE uid = 1 AND fid = 3"))
                .containsExactly("1|3|150|225|1|1000|1100|100|100|1|1|0|0");
        // An existing row: adds to the fixture's figures, keeps its starttime, overwrites the rest.
        queues.transferHistory(2, 1, 9, 1, false, 5, 1700000000, 30, 0, false, 0, 77);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT " + columns + " FROM transfer_history WHERE uid = 2 AND fid = 1"))
                .containsExactly("2|1|2560|4515164|0|1584563836|1700000000|13903|13873|0|0|77|0");
    }

    @Test
    void transferIpsAddBytesAndOverwritePortAndLastAnnounce() {
        queues.transferIp(2, 1, 2130706433, 3, 1000, 10, 20, 5, 1700000000);
        queues.transferIp(2, 1, 2130706433, 3, 1001, 1, 2, 6, 1700000100);
        queues.transferIp(7, 8, 0x08080808, 1, 6881, 3, 4, 1700000000, 1700000000);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT uid, fid, ip, client_id, port, uploaded, downloaded, starttime, last_announce"
                + " FROM transfer_ips WHERE (uid = 2 AND fid = 1 AND client_id = 3) OR uid = 7"))
                .containsExactlyInAnyOrder("2|1|2130706433|3|01001|11|22|1585955871|1700000100",
                        "7|8|134744072|1|06881|3|4|1700000000|1700000000");
    }

    @Test
    void aSnatchWrittenBeforeItsHistoryRowDoesNotLoseTheStartTime() {
        queues.snatch(1, 3, 1700000050);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT starttime, snatched_time FROM transfer_history WHERE uid = 1 AND fid = 3"))
                .containsExactly("0|1700000050");
        queues.transferHistory(1, 3, 5, 6, true, 1700000000, 1700000050, 50, 50, true, 1, 0);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT starttime, uploaded, snatched, snatched_time FROM transfer_history"
                + " WHERE uid = 1 AND fid = 3")).containsExactly("1700000000|5|1|1700000050");
    }

    @Test
    void snatchesSetSnatchedTime() {
        queues.snatch(2, 2, 1700000000);
        queues.snatch(2, 2, 1700000050);
        queues.snatch(5, 6, 1700000001);
        assertThat(flush(false)).isTrue();
        assertThat(Sql.rows(db, "SELECT uid, fid, snatched_time FROM transfer_history WHERE snatched_time > 0 ORDER BY uid"))
                .containsExactly("2|2|1700000050", "5|6|1700000001");
    }

    @Test
    void unpruneWritesStatusAtOnce() throws Exception {
        Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                new Flusher.Settings(60_000, 5, 0.1, false, false), TrackerMetrics.NONE);
        flusher.start();
        try {
            Thread.sleep(200); // the writers are now in their 60 s pause
            queues.unprune(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Sql.rows(db, "SELECT Status FROM torrents WHERE ID = 1").equals(java.util.List.of("0"))) {
                assertThat(System.nanoTime()).as("un-prune written within 10 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            flusher.stop(10_000);
        }
    }

    @Test
    void purgeDeactivatesOnlyIdleRowsAfterPendingOnesAreWritten() throws Exception {
        Sql.execute(db, "UPDATE transfer_history SET active = 1");
        // Pending change making (1,1) recent again: it must be written before the UPDATE runs.
        queues.transferHistory(1, 1, 0, 0, true, 1584996101, 1_700_000_500, 0, 0, true, 0, 0);
        Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                new Flusher.Settings(60_000, 5, 0.1, false, false), TrackerMetrics.NONE);
        flusher.start();
        try {
            int changed = flusher.deactivateIdleHistory(1_700_000_000).get(20, TimeUnit.SECONDS);
            assertThat(changed).isEqualTo(3);
        } finally {
            flusher.stop(10_000);
        }
        assertThat(Sql.rows(db, "SELECT uid, fid, active FROM transfer_history ORDER BY uid, fid"))
                .containsExactly("0|0|0", "1|1|1", "2|1|0", "2|2|0");
    }
}
