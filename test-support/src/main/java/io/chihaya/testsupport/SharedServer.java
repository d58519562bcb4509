package io.chihaya.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The one MariaDB server every test class in this JVM creates its database on, chosen on first
 * use: the server at {@code CHIHAYA_TEST_DB_URL} (default {@value #DEFAULT_URL}) if it answers
 * within {@value #PROBE_TIMEOUT_MS} ms, otherwise an embedded MariaDB started for this JVM.
 *
 * <p>This is deliberately JVM-wide state: a server costs seconds to find or start and is shared
 * by every test class of the run. The choice is made once, under a lock, and never changes; a
 * failed choice is remembered and reported again rather than retried by every class.
 */
final class SharedServer {

    /** The environment variable naming the server. */
    static final String URL_VARIABLE = "CHIHAYA_TEST_DB_URL";

    /** The server used when {@value #URL_VARIABLE} is not set. */
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root";

    private static final int PROBE_TIMEOUT_MS = 2000;

    private static ServerAddress chosen; // guarded by SharedServer.class
    private static RuntimeException failure; // guarded by SharedServer.class

    private SharedServer() {}

    /**
     * The server for this JVM, found or started on the first call.
     *
     * @throws IllegalStateException when the configured server refuses the login, or no server
     *     answers and the embedded one cannot start
     */
    static synchronized ServerAddress get() {
        if (failure != null) {
            throw new IllegalStateException("no MariaDB for tests (failed earlier in this JVM): " + failure.getMessage(), failure);
        }
        if (chosen == null) {
            try {
                chosen = choose();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return chosen;
    }

    private static ServerAddress choose() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            url = DEFAULT_URL;
        }
        ServerAddress configured;
        try {
            configured = ServerAddress.parse(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(URL_VARIABLE + ": " + e.getMessage(), e);
        }
        Optional<String> version = probe(configured);
        if (version.isPresent()) {
            System.out.println("[test-support] MariaDB: using server at " + configured.hostAndPort() + " (" + version.get() + ")");
            StaleDatabases.dropOld(configured);
            return configured;
        }
        long start = System.nanoTime();
        ServerAddress embedded = EmbeddedMariaDb.start();
        long millis = (System.nanoTime() - start) / 1_000_000;
        String embeddedVersion = probe(embedded).orElseThrow(() -> new IllegalStateException(
                "embedded MariaDB started but does not answer at " + embedded.hostAndPort()));
        System.out.printf("[test-support] MariaDB: no server at %s, started embedded MariaDB %s on port %d in %.1f s%n",
                configured.hostAndPort(), embeddedVersion, embedded.port(), millis / 1000.0);
        return embedded;
    }

    /**
     * The server's version, or empty when nothing answers at the address (connection refused or
     * timed out). A server that answers but refuses the login is an error, not a reason to fall
     * back to an embedded one: the developer meant that server.
     */
    private static Optional<String> probe(ServerAddress server) {
        String url = server.jdbcUrl("", "connectTimeout", Integer.toString(PROBE_TIMEOUT_MS));
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT VERSION()")) {
            row.next();
            return Optional.of(row.getString(1));
        } catch (SQLException e) {
            // SQLState class 08 is "connection exception": nothing is listening, or not in time.
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return Optional.empty();
            }
            throw new IllegalStateException("MariaDB at " + server.hostAndPort() + " answered but refused the tests (user '"
                    + server.user() + "'): " + e.getMessage() + "; set " + URL_VARIABLE + " to a login that may create databases", e);
        }
    }
}
