package io.chihaya.tracker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code DB_DSN} and {@code CHIHAYA_DB_DSN} over the {@code database} section. */
class DatabaseEnvironmentTest {
    private static final String SECRET = "Sup3r-S3cret";
    private static final String FILE = """
            {"database": {"username": "file-user", "password": "file-pass", "database": "file-db",
                          "addr": "10.0.0.1:3306", "deadlock_pause": 2, "deadlock_retries": 7}}
            """;

    private static ConfigResult load(Map<String, String> environment) {
        return ConfigLoaderTest.parse(new ConfigLoader(environment), FILE);
    }

    private static ConfigResult withDsn(String dsn) {
        return load(Map.of("DB_DSN", dsn));
    }

    @Test
    void tcpDsnReplacesTheConnectionSettingsAndKeepsTheDeadlockOnes() {
        ConfigResult result = withDsn("chihaya:" + SECRET + "@tcp(db.example:3307)/tracker");

        assertThat(result.config().database()).isEqualTo(new TrackerConfig.Database("chihaya", SECRET, "tracker",
                "tcp", "db.example:3307", 2, 7));
        assertThat(result.databaseSource()).isEqualTo("DB_DSN");
        assertThat(result.warnings()).isEmpty();
        assertThat(result.config().database().url())
                .isEqualTo(new DatabaseUrl("jdbc:mariadb://db.example:3307/tracker", "chihaya", SECRET));
    }

    @Test
    void unixDsnConnectsThroughTheSocket() {
        ConfigResult result = withDsn("chihaya:" + SECRET + "@unix(/var/run/mysqld/mysqld.sock)/tracker");

        assertThat(result.config().database()).isEqualTo(new TrackerConfig.Database("chihaya", SECRET, "tracker",
                "unix", "/var/run/mysqld/mysqld.sock", 2, 7));
        assertThat(result.config().database().url().url())
                .isEqualTo("jdbc:mariadb://localhost/tracker?localSocket=/var/run/mysqld/mysqld.sock");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '§', textBlock = """
            chihaya:@tcp(127.0.0.1:3306)/db            | chihaya | ''
            chihaya@tcp(127.0.0.1:3306)/db             | chihaya | ''
            chihaya:p@ss:w@rd@tcp(127.0.0.1:3306)/db   | chihaya | p@ss:w@rd
            chihaya:a)b/c@tcp(127.0.0.1:3306)/db       | chihaya | a)b/c
            chihaya:x@tcp(y@tcp(127.0.0.1:3306)/db     | chihaya | x@tcp(y
            u::@tcp(127.0.0.1:3306)/db                 | u       | :
            tcp(127.0.0.1:3306)/db                     | ''      | ''
            """)
    void credentialsEndAtTheLastAtBeforeTheProtocol(String dsn, String username, String password) {
        TrackerConfig.Database database = withDsn(dsn.replace("''", "")).config().database();

        assertThat(database.username()).isEqualTo(username.replace("''", ""));
        assertThat(database.password()).isEqualTo(password.replace("''", ""));
        assertThat(database.addr()).isEqualTo("127.0.0.1:3306");
        assertThat(database.database()).isEqualTo("db");
    }

    @Test
    void parametersAreIgnoredWithAWarningThatNamesOnlyThem() {
        ConfigResult result = withDsn("u:" + SECRET + "@tcp(127.0.0.1:3306)/db?parseTime=true&charset=utf8mb4");

        assertThat(result.config().database().database()).isEqualTo("db");
        assertThat(result.warnings()).containsExactly("DB_DSN: parameters ignored: parseTime, charset");
    }

    @Test
    void aHostWithoutPortUsesTheMariaDbPort() {
        ConfigResult result = withDsn("u:p@tcp(db)/tracker");

        assertThat(result.config().database().url().url()).isEqualTo("jdbc:mariadb://db:3306/tracker");
    }

    @Test
    void anIpv6HostStaysInBracketsInTheUrl() {
        ConfigResult result = withDsn("u:p@tcp([::1]:3306)/tracker");

        assertThat(result.config().database().url().url()).isEqualTo("jdbc:mariadb://[::1]:3306/tracker");
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        ConfigResult result = load(Map.of("DB_DSN", "", "CHIHAYA_DB_DSN", ""));

        assertThat(result.config().database().username()).isEqualTo("file-user");
        assertThat(result.databaseSource()).isEqualTo("config.json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '§', textBlock = """
            chihaya:SECRET@127.0.0.1:3306/db             | DB_DSN is malformed (no tcp(...) or unix(...) address): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@tcp(127.0.0.1:3306)           | DB_DSN is malformed (the address is not followed by ")/database"): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@tcp(127.0.0.1:3306)/          | DB_DSN is malformed (no database name after the address): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@tcp(127.0.0.1:3306)/?a=b      | DB_DSN is malformed (no database name after the address): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@tcp()/db                      | DB_DSN is malformed (the address in tcp() is empty): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@udp(127.0.0.1:3306)/db        | DB_DSN is malformed (no tcp(...) or unix(...) address): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            SECRET                                       | DB_DSN is malformed (no tcp(...) or unix(...) address): expected user:password@tcp(host:port)/database or user:password@unix(/socket/path)/database
            chihaya:SECRET@tcp(127.0.0.1:70000)/db       | DB_DSN: the tcp(...) address must be host:port with a port from 1 to 65535 (IPv6 in brackets), got "127.0.0.1:70000"
            chihaya:SECRET@unix(mysqld.sock)/db          | DB_DSN: the unix(...) address must be an absolute socket path without & ? or #, got "mysqld.sock"
            chihaya:SECRET@tcp(127.0.0.1:3306)/my db     | DB_DSN: the database name must be a database name without spaces, control characters or / ? & # \\, got "my db"
            """)
    void aMalformedDsnIsRejectedWithoutShowingIt(String dsn, String message) {
        assertThatThrownBy(() -> withDsn(dsn.replace("SECRET", SECRET))).isInstanceOf(ConfigException.class)
                .hasMessage(message.replace("\\\\", "\\"))
                .message().doesNotContain(SECRET);
    }

    @Test
    void aJdbcUrlWinsOverEverything() {
        String url = "jdbc:mariadb://db.example:3306/tracker?user=env-user&password=" + SECRET;
        ConfigResult result = load(Map.of("CHIHAYA_DB_DSN", url, "DB_DSN", "not a dsn at all"));

        TrackerConfig.Database database = result.config().database();
        assertThat(database.jdbcUrl()).isEqualTo(url);
        assertThat(database.username()).isEqualTo("file-user");
        assertThat(database.url()).isEqualTo(new DatabaseUrl(url, null, null));
        assertThat(database.url().describe()).isEqualTo(
                "jdbc:mariadb://db.example:3306/tracker?user=env-user&password=**** (user from the URL,"
                        + " password from the URL)");
        assertThat(result.databaseSource()).isEqualTo("CHIHAYA_DB_DSN");
        assertThat(result.warnings()).containsExactly("DB_DSN ignored: CHIHAYA_DB_DSN is set and wins");
    }

    @Test
    void aJdbcUrlWithoutCredentialsUsesTheFileOnes() {
        ConfigResult result = load(Map.of("CHIHAYA_DB_DSN", "jdbc:mariadb://db.example/tracker"));

        assertThat(result.config().database().url())
                .isEqualTo(new DatabaseUrl("jdbc:mariadb://db.example/tracker", "file-user", "file-pass"));
    }

    @Test
    void aJdbcUrlMustBeMariaDb() {
        assertThatThrownBy(() -> load(Map.of("CHIHAYA_DB_DSN", "mysql://u:" + SECRET + "@db/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("CHIHAYA_DB_DSN must be a jdbc:mariadb:// URL, e.g."
                        + " jdbc:mariadb://127.0.0.1:3306/chihaya?user=chihaya&password=...");
    }

    @Test
    void noPasswordReachesAnyTextMeantForLogs() {
        String json = "{\"database\": {\"password\": \"" + SECRET + "\"}, \"admin_token\": \"T0ken-" + SECRET
                + "\", \"unknown\": 1}";
        for (Map<String, String> environment : new Map[]{Map.of(),
                Map.of("DB_DSN", "u:" + SECRET + "@tcp(db:3306)/x?tls=" + SECRET),
                Map.of("CHIHAYA_DB_DSN", "jdbc:mariadb://u:" + SECRET + "@db/x?password=" + SECRET
                        + "&keyStorePassword=" + SECRET + "&user=u")}) {
            ConfigResult result = ConfigLoaderTest.parse(new ConfigLoader(environment), json);
            TrackerConfig config = result.config();

            assertThat(config.toString()).doesNotContain(SECRET).contains("adminToken=****");
            assertThat(config.database().toString()).doesNotContain(SECRET).contains("password=****");
            assertThat(config.database().url().toString()).doesNotContain(SECRET);
            assertThat(config.database().url().describe()).doesNotContain(SECRET);
            assertThat(result.describe()).doesNotContain(SECRET);
            assertThat(result.warnings()).allSatisfy(warning -> assertThat(warning).doesNotContain(SECRET));
        }
    }

    @Test
    void wrongTypesOfSecretsAreNotEchoed() {
        assertThatThrownBy(() -> ConfigLoaderTest.parse(new ConfigLoader(Map.of()),
                "{\"database\": {\"password\": 12345678}}"))
                .hasMessage("config.json: database.password must be a string, got a number");
        assertThatThrownBy(() -> ConfigLoaderTest.parse(new ConfigLoader(Map.of()),
                "{\"database\": {\"password\": " + SECRET + "}}"))
                .message().doesNotContain(SECRET);
    }
}
