package io.chihaya.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * One test class's MariaDB database, holding {@code database/schema.sql} and the rows of
 * {@code fixtures/*.yml}. {@link MariaDbExtension} creates it before the class's first test and
 * drops it after the last.
 *
 * <p>Everything a test needs to reach the database is here: a {@link #dataSource()} for plain JDBC
 * or Jdbi, and the {@link #jdbcUrl()}, {@link #host()}, {@link #port()}, {@link #name()},
 * {@link #user()} and {@link #password()} to configure a real tracker against it.
 *
 * <p>The accessors are thread-safe. {@link #reset()} is too, but tests running while it runs see a
 * half-loaded database: call it only when nothing else uses the database.
 */
public final class TestDatabase {

    private final ServerAddress server;
    private final String name;
    private final Fixtures fixtures;
    private final DataSource dataSource;

    private TestDatabase(ServerAddress server, String name, Fixtures fixtures) {
        this.server = server;
        this.name = name;
        this.fixtures = fixtures;
        try {
            this.dataSource = new MariaDbDataSource(server.jdbcUrl(name));
        } catch (SQLException e) {
            throw new IllegalStateException("bad JDBC URL for test database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates database {@code name} on {@code server} and loads the schema and fixtures of
     * {@code files} into it; on failure the half-made database is dropped again.
     */
    static TestDatabase create(ServerAddress server, String name, ProjectFiles files) {
        String schema;
        try {
            schema = Files.readString(files.schema(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.schema(), e);
        }
        Fixtures fixtures = Fixtures.read(files.fixtures());
        TestDatabase database = new TestDatabase(server, name, fixtures);
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl(""));
                Statement statement = admin.createStatement()) {
            // A fixed character set, so a test sees the same on every server whatever its defaults.
            statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + server.hostAndPort()
                    + ": " + e.getMessage(), e);
        }
        try {
            database.load(schema, files.schema());
            return database;
        } catch (RuntimeException | Error e) {
            database.drop();
            throw e;
        }
    }

    /** The database name, {@code chihaya_test_<class>_<hex>}. */
    public String name() {
        return name;
    }

    /** The JDBC URL of this database, with the server URL's parameters (user, password, ...). */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** A non-pooled data source for this database: every {@code getConnection()} opens a new connection. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The server's host name or address. */
    public String host() {
        return server.host();
    }

    /** The server's TCP port. */
    public int port() {
        return server.port();
    }

    /** The user name to log in with. */
    public String user() {
        return server.user();
    }

    /** The password to log in with, empty for none. */
    public String password() {
        return server.password();
    }

    /**
     * Empties every table of this database and inserts the fixtures again, for tests that need a
     * clean state between methods. Auto-increment counters restart too.
     *
     * @throws IllegalStateException naming the table or fixture row that failed
     */
    public void reset() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : baseTables(connection)) {
                statement.execute("TRUNCATE TABLE `" + table.replace("`", "``") + "`");
            }
            fixtures.insertInto(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset test database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code query} and returns each row as its columns joined by {@code |} (SQL NULL as
     * {@code null}), for assertions on exact rows.
     *
     * @throws IllegalStateException naming the query when it fails
     */
    public List<String> rows(String query) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            List<String> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    row.append(column == 1 ? "" : "|").append(rows.getString(column));
                }
                result.add(row.toString());
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server.hostAndPort() + "]";
    }

    /** Drops this database; failures are printed, not thrown, so they never hide a test's own failure. */
    void drop() {
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl(""));
                Statement statement = admin.createStatement()) {
            // A test that left a transaction open holds a metadata lock: wait a little, never forever.
            statement.execute("SET SESSION lock_wait_timeout = 30");
            statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            System.out.println("[test-support] MariaDB: could not drop test database " + name + " on "
                    + server.hostAndPort() + ": " + e.getMessage() + " (see docs/testing.md to clean up)");
        }
    }

    private void load(String schema, Path schemaFile) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(name, "allowMultiQueries", "true"));
                Statement statement = connection.createStatement()) {
            try {
                // One round trip for the whole file; the server, not us, splits the statements.
                statement.execute(schema);
                while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                    // Drain every result so an error in a later statement is reported here.
                }
            } catch (SQLException e) {
                throw new SQLException(schemaFile + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            fixtures.insertInto(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load test database " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<String> baseTables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
