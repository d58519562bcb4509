package io.chihaya.tracker.db;

import io.chihaya.testsupport.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Small JDBC helpers for asserting on rows. */
final class Sql {
    private Sql() {
    }

    /** Each row of the query as its columns joined by '|'. */
    static List<String> rows(TestDatabase db, String query) {
        return db.rows(query);
    }

    static void execute(TestDatabase db, String... statements) {
        try (Connection connection = db.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A pooled tracker database on the test database, with extra URL parameters. */
    static Database connect(TestDatabase db, String extraParameters) {
        String url = "jdbc:mariadb://" + db.host() + ":" + db.port() + "/" + db.name()
                + (extraParameters.isEmpty() ? "" : "?" + extraParameters);
        return new Database(url, db.user(), db.password());
    }
}
