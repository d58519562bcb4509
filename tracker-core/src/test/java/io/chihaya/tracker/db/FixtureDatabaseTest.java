package io.chihaya.tracker.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

/**
 * Smoke test of the MariaDB test extension: the schema and fixtures are loaded, every test class
 * gets its own database, and a class's database is gone once the class is done.
 *
 * <p>The two classes are nested and ordered so the second can check that the first's database was
 * dropped; the outer class does not use the extension, so each nested class gets its own.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class FixtureDatabaseTest {

    /** The database {@link FixturesLoaded} used, recorded for {@link SecondClass}. */
    private static volatile String firstDatabase;

    @Nested
    @Order(1)
    @MariaDbTest
    class FixturesLoaded {

        private final DataSource dataSource;

        FixturesLoaded(TestDatabase database) {
            this.dataSource = database.dataSource();
            firstDatabase = database.name();
        }

        @Test
        void usersMainHoldsExactlyTheFixtureUsers() throws SQLException {
            assertEquals(List.of(
                            "1|0|0|1|mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ|0|0|1.0|1.0|0|0",
                            "2|2551|5|1|tbHfQDQ9xDaQdsNv5CZBtHPfk7KGzaCw|2551|5|2.0|0.5|1|1",
                            "3|12|0|0|sGJPs8FPzp7t8tgqd2ypVyKTpWfqqmdt|12|0|1.0|1.0|0|0"),
                    users(dataSource));
        }

        @Test
        void rawInfoHashIsStoredAsBytes() throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT info_hash FROM torrents WHERE ID = 1")) {
                assertTrue(row.next(), "torrent 1 missing");
                assertArrayEquals(HexFormat.of().parseHex("72EF20EDDCB5438F73B6D88D78C4DFC1667B8938"), row.getBytes(1));
            }
        }

        @Test
        void everyFixtureTableIsLoaded() throws SQLException {
            assertEquals(List.of("approved_clients=3", "mod_core=1", "torrent_group_freeleech=1", "torrents=3",
                            "users_main=3"),
                    counts(dataSource, "approved_clients", "mod_core", "torrent_group_freeleech", "torrents", "users_main"));
        }

        @Test
        void resetBringsTheFixturesBack(TestDatabase database) throws SQLException {
            List<String> before = users(dataSource);
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE users_main SET Enabled = '2', Uploaded = 99 WHERE ID = 1");
                statement.executeUpdate("INSERT INTO users_main (torrent_pass, rawup, rawdl) VALUES (REPEAT('x', 32), 0, 0)");
                statement.executeUpdate("DELETE FROM torrents");
            }
            assertNotEquals(before, users(dataSource));

            database.reset();

            assertEquals(before, users(dataSource));
            assertEquals(List.of("torrents=3"), counts(dataSource, "torrents"));
        }
    }

    @Nested
    @Order(2)
    @MariaDbTest
    class SecondClass {

        @Test
        void getsItsOwnDatabaseAndTheFirstOneWasDropped(TestDatabase database) throws SQLException {
            assertNotNull(firstDatabase, "FixturesLoaded must run before SecondClass");
            assertNotEquals(firstDatabase, database.name());
            assertTrue(database.name().startsWith("chihaya_test_secondclass_"), database.name());
            assertEquals(1, databasesNamed(database.dataSource(), database.name()));
            assertEquals(0, databasesNamed(database.dataSource(), firstDatabase), firstDatabase + " was not dropped");
        }
    }

    private static List<String> users(DataSource dataSource) throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ID, Uploaded, Downloaded, Enabled, torrent_pass, rawup, rawdl,"
                        + " DownMultiplier, UpMultiplier, DisableDownload, TrackerHide FROM users_main ORDER BY ID")) {
            while (rows.next()) {
                users.add(rows.getLong(1) + "|" + rows.getLong(2) + "|" + rows.getLong(3) + "|" + rows.getString(4)
                        + "|" + rows.getString(5) + "|" + rows.getLong(6) + "|" + rows.getLong(7) + "|" + rows.getFloat(8)
                        + "|" + rows.getFloat(9) + "|" + rows.getInt(10) + "|" + rows.getInt(11));
            }
        }
        return users;
    }

    private static List<String> counts(DataSource dataSource, String... tables) throws SQLException {
        List<String> counts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    row.next();
                    counts.add(table + "=" + row.getLong(1));
                }
            }
        }
        return counts;
    }

    private static int databasesNamed(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
