package io.chihaya.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.chihaya.server.ServerFixture.ALICE;
import static io.chihaya.server.ServerFixture.BOB;
import static io.chihaya.server.ServerFixture.HASH3;
import static io.chihaya.server.ServerFixture.announce;
import static io.chihaya.server.ServerFixture.get;
import static io.chihaya.server.ServerFixture.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything the tracker logs over a start, good and bad requests, flushes (with log_flushes on),
 * the recorder and a stop: no passkey, admin token or database password in any line or stack trace.
 */
@MariaDbTest
class LogContentTest {

    @Test
    void noSecretReachesTheLog(TestDatabase db, @TempDir Path directory) {
        int port = ServerFixture.freePort();
        TrackerConfig base = ServerFixture.config(db, port);
        TrackerConfig.Database d = base.database();
        String password = "s3cret-" + Long.toHexString(System.nanoTime());
        // A wrong password would stop the start, so the real one is used for the server and a
        // made-up one only for the check that a refused start does not print it either.
        TrackerConfig config = new TrackerConfig(d, base.channels(), base.intervals(), base.addr(),
                "admin-token-1234567890", base.proxy(), true, true, true, base.strictPort(), base.flushGroups(),
                base.numwant(), base.maxNumwant());
        TrackerConfig refused = new TrackerConfig(new TrackerConfig.Database(d.username(), password, d.database(),
                d.proto(), d.addr(), d.deadlockPause(), d.deadlockRetries(), d.jdbcUrl()), base.channels(),
                base.intervals(), base.addr(), base.adminToken(), base.proxy(), false, true, false, false, false,
                base.numwant(), base.maxNumwant());

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>(List.of(ALICE, BOB, "admin-token-1234567890", password));
        try {
            TrackerServer server = new TrackerServer(config, directory);
            server.start();
            try {
                get(port, announce(BOB, HASH3, "-TR2940-bbbbbbbbbbbb", 0, 0, 0, "&event=started"));
                get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 100, "&event=started"));
                get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 100, 50, 50, ""));
                get(port, announce(ALICE, HASH3, "-XX0000-aaaaaaaaaaaa", 0, 0, 100, ""));     // not approved
                get(port, announce(ALICE, "%00", "-TR2940-aaaaaaaaaaaa", 0, 0, 100, ""));     // bad hash
                raw(port, "/" + ALICE + "/announce?info_hash=%zz");                          // bad escape
                String unknown = "Z" + ALICE.substring(1);
                secrets.add(unknown);
                get(port, announce(unknown, HASH3, "-TR2940-aaaaaaaaaaaa", 0, 0, 100, ""));
                get(port, "/" + ALICE + "/metrics", "Authorization", "Bearer wrong-token");
                get(port, "/" + ALICE + "/metrics", "Authorization", "Bearer admin-token-1234567890");
                get(port, "/" + BOB + "/scrape?info_hash=" + HASH3);
            } finally {
                server.stop();
            }
            try {
                new TrackerServer(refused, directory.resolve("refused")).start();
            } catch (RuntimeException expected) {
                // access denied: start-up refused, with a message that must not carry the password
                root.error("start refused: {}", expected.getMessage());
            }
        } finally {
            root.detachAppender(appender);
        }

        assertThat(appender.list).as("something was logged").hasSizeGreaterThan(5);
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("started:"));
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("start refused"));
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : secrets) {
                assertThat(text).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }
}
