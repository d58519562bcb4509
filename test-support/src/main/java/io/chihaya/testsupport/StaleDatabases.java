package io.chihaya.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops test databases left behind by runs that were killed before they could clean up: those
 * named {@code chihaya_test_%} whose newest table is more than {@value #MAX_AGE_HOURS} hours old.
 * No test run lasts that long, so a running one is never touched.
 *
 * <p>Best effort: a failure is printed and otherwise ignored. Stateless and thread-safe.
 */
final class StaleDatabases {

    static final int MAX_AGE_HOURS = 6;

    private StaleDatabases() {}

    /** Drops the stale test databases on {@code server}, printing how many when there were any. */
    static void dropOld(ServerAddress server) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(""))) {
            List<String> stale = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE ?"
                            + " GROUP BY TABLE_SCHEMA HAVING MAX(CREATE_TIME) < NOW() - INTERVAL " + MAX_AGE_HOURS + " HOUR")) {
                query.setString(1, DatabaseNames.LIKE_PATTERN);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        stale.add(rows.getString(1));
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String name : stale) {
                    statement.execute("DROP DATABASE IF EXISTS `" + name.replace("`", "``") + "`");
                }
            }
            if (!stale.isEmpty()) {
                System.out.println("[test-support] MariaDB: dropped " + stale.size() + " test database(s) older than "
                        + MAX_AGE_HOURS + " h left by killed runs");
            }
        } catch (SQLException e) {
            System.out.println("[test-support] MariaDB: could not look for stale test databases: " + e.getMessage());
        }
    }
}
