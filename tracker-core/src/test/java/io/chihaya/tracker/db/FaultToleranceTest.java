package io.chihaya.tracker.db;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TcpForwarder;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.stats.TrackerMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Lock conflicts and outages: retried, counted, and every change lands exactly once. */
@MariaDbTest
class FaultToleranceTest {
    private final TestDatabase db;
    private final AtomicInteger deadlocks = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger sqlErrors = new AtomicInteger();
    private final TrackerMetrics metrics = new TrackerMetrics() {
        @Override
        public void deadlock(String table, double pauseSeconds) {
            deadlocks.incrementAndGet();
        }

        @Override
        public void deadlockAborted(String table) {
            aborted.incrementAndGet();
        }

        @Override
        public void sqlError(String table) {
            sqlErrors.incrementAndGet();
        }
    };

    FaultToleranceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void lockWaitTimeoutsAreRetriedAndTheBatchLandsOnce() throws Exception {
        FlushQueues queues = new FlushQueues();
        try (Database database = Sql.connect(db, "sessionVariables=innodb_lock_wait_timeout=1");
             Connection blocker = db.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.executeQuery("SELECT * FROM transfer_history WHERE uid = 2 AND fid = 1 FOR UPDATE").close();
            }
            queues.transferHistory(2, 1, 1000, 10, true, 1, 1_700_000_000, 5, 5, true, 0, 0);
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                    new Flusher.Settings(100, 10, 0.2, false, false), metrics);
            flusher.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (deadlocks.get() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(deadlocks.get()).isGreaterThanOrEqualTo(2);
            blocker.commit();
            assertThat(flusher.stop(30_000)).isTrue();
        }
        assertThat(aborted.get()).isZero();
        assertThat(Sql.rows(db, "SELECT uploaded, downloaded, activetime FROM transfer_history WHERE uid = 2 AND fid = 1"))
                .containsExactly("3551|4515173|13878");
    }

    @Test
    void aRealDeadlockForcedFromAnotherConnectionIsRetriedAndNothingIsLost() throws Exception {
        FlushQueues queues = new FlushQueues();
        // A lock wait timeout (1205) would take 30 s here, so a retry within the wait below can only
        // follow a deadlock (1213) in which InnoDB chose the flush as the victim.
        try (Database database = Sql.connect(db, "sessionVariables=innodb_lock_wait_timeout=30");
             Connection blocker = db.dataSource().getConnection();
             Connection observer = db.dataSource().getConnection()) {
            try (Statement statement = observer.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS deadlock_ballast (id INT PRIMARY KEY)");
                statement.execute("DELETE FROM deadlock_ballast");
            }
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                // Weight: InnoDB rolls back the transaction that changed fewer rows, which must be the flush.
                StringBuilder ballast = new StringBuilder("INSERT INTO deadlock_ballast VALUES (1)");
                for (int i = 2; i <= 200; i++) {
                    ballast.append(",(").append(i).append(')');
                }
                statement.execute(ballast.toString());
                statement.executeQuery("SELECT * FROM users_main WHERE ID = 2 FOR UPDATE").close();
            }
            for (int user = 1; user <= 3; user++) {
                queues.user(user, 10, 20, 30, 40);
            }
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                    new Flusher.Settings(100, 10, 0.2, false, false), metrics);
            flusher.start();
            // The flush now holds user 1 and waits for user 2.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Sql.rows(db, "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
                    .equals(java.util.List.of("1")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Sql.rows(db, "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"))
                    .as("the flush waits for the blocker's row").containsExactly("1");
            try (Statement statement = blocker.createStatement()) {
                // Closes the cycle: the blocker asks for the row the flush holds.
                statement.executeQuery("SELECT * FROM users_main WHERE ID IN (1, 3) FOR UPDATE").close();
            }
            deadline = System.currentTimeMillis() + 10_000;
            while (deadlocks.get() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(deadlocks.get()).as("deadlocks counted").isGreaterThanOrEqualTo(1);
            blocker.commit();
            assertThat(flusher.stop(30_000)).isTrue();
        }
        assertThat(aborted.get()).isZero();
        assertThat(sqlErrors.get()).isZero();
        assertThat(Sql.rows(db, "SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main WHERE ID <= 3 ORDER BY ID"))
                .containsExactly("1|10|20|30|40", "2|2561|25|2581|45", "3|22|20|42|40");
    }

    @Test
    void batchStillLockedAfterEveryRetryIsKeptAndWrittenLater() throws Exception {
        FlushQueues queues = new FlushQueues();
        try (Database database = Sql.connect(db, "sessionVariables=innodb_lock_wait_timeout=1");
             Connection blocker = db.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.executeQuery("SELECT * FROM users_main WHERE ID = 1 FOR UPDATE").close();
            }
            queues.user(1, 7, 8, 7, 8);
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                    new Flusher.Settings(100, 1, 0.1, false, false), metrics);
            flusher.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (aborted.get() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(aborted.get()).isGreaterThanOrEqualTo(1);
            queues.user(1, 1, 1, 1, 1);
            blocker.commit();
            assertThat(flusher.stop(30_000)).isTrue();
        }
        assertThat(Sql.rows(db, "SELECT Uploaded, Downloaded, rawup, rawdl FROM users_main WHERE ID = 1"))
                .containsExactly("8|9|8|9");
    }

    @Test
    void aCommitWhoseAnswerIsLostIsNotWrittenTwice() throws Exception {
        FlushQueues queues = new FlushQueues();
        try (TcpForwarder forwarder = new TcpForwarder(db.host(), db.port());
             Database database = new Database("jdbc:mariadb://127.0.0.1:" + forwarder.port() + "/" + db.name()
                     + "?connectTimeout=1000&socketTimeout=3000", db.user(), db.password())) {
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                    new Flusher.Settings(100, 5, 0.1, false, false), metrics);
            forwarder.cutAfterNextCommit();
            queues.user(3, 100, 200, 100, 200);
            flusher.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (sqlErrors.get() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sqlErrors.get()).as("the lost commit was noticed").isPositive();
            forwarder.restore();
            assertThat(flusher.stop(30_000)).isTrue();
        }
        assertThat(Sql.rows(db, "SELECT Uploaded, Downloaded, rawup, rawdl FROM users_main WHERE ID = 3"))
                .containsExactly("112|200|112|200");
    }

    @Test
    void outageLosesNothingAndCountsNothingTwice() throws Exception {
        FlushQueues queues = new FlushQueues();
        long expectedUp = 0;
        long expectedActive = 0;
        try (TcpForwarder forwarder = new TcpForwarder(db.host(), db.port());
             Database database = new Database("jdbc:mariadb://127.0.0.1:" + forwarder.port() + "/" + db.name()
                     + "?connectTimeout=1000&socketTimeout=3000", db.user(), db.password())) {
            Flusher flusher = new Flusher(queues, database.jdbi(), TrackerConfig.Channels.defaults(),
                    new Flusher.Settings(50, 5, 0.1, false, false), metrics);
            flusher.start();
            long phaseEnd = System.currentTimeMillis() + 1_000;
            int round = 0;
            // Changes keep coming before, during and after a 3 s outage.
            for (int phase = 0; phase < 3; phase++) {
                if (phase == 1) {
                    forwarder.cut();
                    phaseEnd = System.currentTimeMillis() + 3_000;
                } else if (phase == 2) {
                    forwarder.restore();
                    phaseEnd = System.currentTimeMillis() + 1_000;
                }
                while (System.currentTimeMillis() < phaseEnd) {
                    for (int user = 1; user <= 3; user++) {
                        queues.user(user, 1, 2, 3, 4);
                    }
                    queues.transferHistory(1, 1 + round % 50, 10, 0, true, 5, 1_700_000_000L + round, 1, 1, true, 0, 0);
                    expectedUp++;
                    expectedActive++;
                    round++;
                    Thread.sleep(2);
                }
            }
            assertThat(flusher.stop(60_000)).isTrue();
        }
        assertThat(sqlErrors.get()).as("the outage was noticed").isPositive();
        long rounds = expectedUp;
        assertThat(Sql.rows(db, "SELECT ID, Uploaded, Downloaded, rawup, rawdl FROM users_main ORDER BY ID"))
                .containsExactly("1|" + rounds + "|" + 2 * rounds + "|" + 3 * rounds + "|" + 4 * rounds,
                        "2|" + (2551 + rounds) + "|" + (5 + 2 * rounds) + "|" + (2551 + 3 * rounds) + "|" + (5 + 4 * rounds),
                        "3|" + (12 + rounds) + "|" + 2 * rounds + "|" + (12 + 3 * rounds) + "|" + 4 * rounds);
        // (1,1) already had activetime 58 in the fixtures.
        assertThat(Sql.rows(db, "SELECT SUM(uploaded), SUM(activetime) - 58 FROM transfer_history WHERE uid = 1"))
                .containsExactly((10 * expectedUp) + "|" + expectedActive);
    }
}
