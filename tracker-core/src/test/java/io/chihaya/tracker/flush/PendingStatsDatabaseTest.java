package io.chihaya.tracker.flush;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TcpForwarder;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.db.Database;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.TrackerMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes a stop could not write reach MariaDB at the next start through the file, exactly once,
 * including a batch whose commit was lost in transit.
 */
@MariaDbTest
class PendingStatsDatabaseTest {
    private static final Flusher.Settings SETTINGS = new Flusher.Settings(50, 2, 0.1, false, false);
    private final TestDatabase db;
    private final AtomicInteger sqlErrors = new AtomicInteger();
    private final TrackerMetrics metrics = new TrackerMetrics() {
        @Override
        public void sqlError(String table) {
            sqlErrors.incrementAndGet();
        }
    };
    @TempDir
    Path directory;

    PendingStatsDatabaseTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void reset() {
        db.reset();
    }

    private Database through(TcpForwarder link) {
        return new Database("jdbc:mariadb://127.0.0.1:" + link.port() + "/" + db.name()
                + "?connectTimeout=1000&socketTimeout=3000", db.user(), db.password());
    }

    private Database direct() {
        return new Database("jdbc:mariadb://" + db.host() + ":" + db.port() + "/" + db.name(), db.user(),
                db.password());
    }

    /** The next start: a fresh flusher on a reachable database takes the file and writes it all. */
    private void restartWith(Path file) throws Exception {
        PendingStats stats = PendingStats.read(file);
        try (Database database = direct()) {
            Flusher flusher = new Flusher(new FlushQueues(), database.jdbi(), TrackerConfig.Channels.defaults(),
                    SETTINGS, metrics);
            flusher.restore(stats);
            flusher.start();
            assertThat(flusher.stop(30_000)).isTrue();
            assertThat(flusher.pending().isEmpty()).isTrue();
        }
    }

    @Test
    void changesQueuedDuringAnOutageAreWrittenOnceByTheNextStart() throws Exception {
        List<String> usersBefore = rows("SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main WHERE ID <= 3"
                + " ORDER BY ID");
        long snatchedBefore = Long.parseLong(rows("SELECT Snatched FROM torrents WHERE ID = 1").get(0));
        Path file = directory.resolve("pending-stats.json");
        try (TcpForwarder link = new TcpForwarder(db.host(), db.port()); Database database = through(link)) {
            link.cut();
            FlushQueues queues = new FlushQueues();
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(), SETTINGS,
                    metrics);
            flusher.start();
            for (int round = 1; round <= 10; round++) {
                for (int user = 1; user <= 3; user++) {
                    queues.user(user, round, 2L * round, 3L * round, 4L * round);
                }
                queues.torrent(1, 1, TorrentType.ANIME, round, 20 - round, 1, 1_900_000_000L + round);
                // (5, 77) is new: starttime is the first change's, bytes and times add, the rest is the last.
                queues.transferHistory(5, 77, 100, 10, round % 2 == 0, 1_800_000_000L + round,
                        1_900_000_000L + round, 30, 20, round != 10, round == 4 ? 1 : 0, 1000 - round);
                queues.transferIp(5, 77, 0x0a000001, 1, 6880 + round, 7, 8, 1_800_000_000L + round,
                        1_900_000_000L + round);
                queues.snatch(5, 77, 1_900_000_000L + round);
                Thread.sleep(20);
            }
            assertThat(flusher.stop(2_000)).as("nothing can be written during the outage").isFalse();
            PendingStats stats = flusher.pending();
            assertThat(stats.rows().users()).hasSize(3);
            stats.write(file);
        }

        restartWith(file);

        List<String> expectedUsers = new ArrayList<>();
        for (String row : usersBefore) {
            String[] columns = row.split("\\|");
            expectedUsers.add(columns[0] + "|" + (Long.parseLong(columns[1]) + 55) + "|"
                    + (Long.parseLong(columns[2]) + 110) + "|" + (Long.parseLong(columns[3]) + 165) + "|"
                    + (Long.parseLong(columns[4]) + 220));
        }
        assertThat(rows("SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main WHERE ID <= 3 ORDER BY ID"))
                .containsExactlyElementsOf(expectedUsers);
        assertThat(rows("SELECT Seeders, Leechers, Snatched, last_action FROM torrents WHERE ID = 1"))
                .containsExactly("10|10|" + (snatchedBefore + 10) + "|1900000010");
        assertThat(rows("SELECT uploaded, downloaded, seeding, starttime, last_announce, activetime, seedtime,"
                + " active, snatched, remaining, snatched_time FROM transfer_history WHERE uid = 5 AND fid = 77"))
                .containsExactly("1000|100|1|1800000001|1900000010|300|200|0|1|990|1900000010");
        assertThat(rows("SELECT port + 0, uploaded, downloaded, starttime, last_announce FROM transfer_ips"
                + " WHERE uid = 5 AND fid = 77"))
                .containsExactly("6890|70|80|1800000001|1900000010");
    }

    @Test
    void aBatchCommittedButNotConfirmedIsNotWrittenAgain() throws Exception {
        long uploadedBefore = Long.parseLong(rows("SELECT Uploaded FROM users_main WHERE ID = 3").get(0));
        Path file = directory.resolve("pending-stats.json");
        try (TcpForwarder link = new TcpForwarder(db.host(), db.port()); Database database = through(link)) {
            FlushQueues queues = new FlushQueues();
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(), SETTINGS,
                    metrics);
            link.cutAfterNextCommit();
            queues.user(3, 100, 0, 0, 0);
            flusher.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (sqlErrors.get() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sqlErrors.get()).as("the lost commit was noticed").isPositive();
            queues.user(3, 5, 0, 0, 0); // newer than the batch in doubt
            assertThat(flusher.stop(2_000)).isFalse();
            PendingStats stats = flusher.pending();
            assertThat(stats.inDoubt()).singleElement().satisfies(batch -> {
                assertThat(batch.table()).isEqualTo("users_main");
                assertThat(batch.rows().users()).containsExactly(new PendingStats.UserRow(3, 100, 0, 0, 0));
            });
            assertThat(stats.rows().users()).containsExactly(new PendingStats.UserRow(3, 5, 0, 0, 0));
            stats.write(file);
        }
        assertThat(rows("SELECT Uploaded FROM users_main WHERE ID = 3")).as("the batch was committed")
                .containsExactly(String.valueOf(uploadedBefore + 100));

        restartWith(file);

        assertThat(rows("SELECT Uploaded FROM users_main WHERE ID = 3"))
                .containsExactly(String.valueOf(uploadedBefore + 105));
    }

    @Test
    void aBatchInDoubtIsWrittenOnlyWhenTheFlushLogSaysItWasNot() throws Exception {
        execute(FlushStatements.CREATE_FLUSH_LOG,
                "INSERT INTO chihaya_flush_log VALUES ('users_main@old', 7, 0), ('torrents@old', 6, 0)");
        long uploadedBefore = Long.parseLong(rows("SELECT Uploaded FROM users_main WHERE ID = 1").get(0));
        long snatchedBefore = Long.parseLong(rows("SELECT Snatched FROM torrents WHERE ID = 2").get(0));
        PendingStats.Rows users = new PendingStats.Rows(List.of(new PendingStats.UserRow(1, 1000, 0, 0, 0)),
                List.of(), List.of(), List.of(), List.of(), List.of());
        PendingStats.Rows torrents = new PendingStats.Rows(List.of(),
                List.of(new PendingStats.TorrentRow(2, 1, TorrentType.ANIME, 3, 4, 2, 1_900_000_000L)), List.of(),
                List.of(), List.of(), List.of());
        // users_main batch 7 is the last the log recorded: committed. torrents batch 7 is not.
        PendingStats stats = new PendingStats(PendingStats.FORMAT, PendingStats.Rows.EMPTY, List.of(
                new PendingStats.InDoubt("users_main", "users_main@old", 7, users),
                new PendingStats.InDoubt("torrents", "torrents@old", 7, torrents)));
        Path file = directory.resolve("pending-stats.json");
        stats.write(file);

        restartWith(file);

        assertThat(rows("SELECT Uploaded FROM users_main WHERE ID = 1"))
                .containsExactly(String.valueOf(uploadedBefore));
        assertThat(rows("SELECT Seeders, Leechers, Snatched FROM torrents WHERE ID = 2"))
                .containsExactly("3|4|" + (snatchedBefore + 2));
    }

    private List<String> rows(String query) {
        return db.rows(query);
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
