package io.chihaya.tracker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    /** The example from the reference's README, byte for byte. */
    static final String REFERENCE_EXAMPLE = """
            {
              "database": {
                "username": "chihaya",
                "password": "",
                "database": "chihaya",
                "proto": "tcp",
                "addr": "127.0.0.1:3306",

                "deadlock_pause": 1,
                "deadlock_retries": 5
              },

              "channels": {
                "torrent": 5000,
                "user": 5000,
                "transfer_history": 5000,
                "transfer_ips": 5000,
                "snatch": 25
              },

              "intervals": {
                "announce": 1800,
                "min_announce": 900,
                "peer_inactivity": 3900,
                "announce_drift": 300,
                "scrape": 900,

                "database_reload": 45,
                "database_serialize": 68,
                "purge_inactive_peers": 120,

                "flush": 3
              },

              "addr": ":34000",

              "admin_token": "",
              "proxy": "",

              "record": false,
              "scrape": true,
              "log_flushes": true,
              "strict_port": false,
              "flush_groups": false,

              "numwant": 25,
              "max_numwant": 50
            }
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    static ConfigResult parse(ConfigLoader loader, String json) {
        return loader.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    private ConfigResult parse(String json) {
        return parse(loader, json);
    }

    private void assertRejected(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void readsTheReferenceExampleAsTheDefaults(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("config.json");
        Files.writeString(file, REFERENCE_EXAMPLE);

        ConfigResult result = loader.read(file);

        assertThat(result.config()).isEqualTo(TrackerConfig.defaults());
        assertThat(result.warnings()).isEmpty();
        assertThat(result.databaseSource()).isEqualTo(file.toString());
    }

    @Test
    void readsEveryKeyIntoItsOwnField() {
        ConfigResult result = parse("""
                {
                  "database": {"username": "tracker", "password": "pw", "database": "gazelle", "proto": "unix",
                               "addr": "/run/mysqld/mysqld.sock", "deadlock_pause": 0.5, "deadlock_retries": 3},
                  "channels": {"torrent": 101, "user": 102, "transfer_history": 103, "transfer_ips": 104,
                               "snatch": 105},
                  "intervals": {"announce": 1001, "min_announce": 502, "peer_inactivity": 2503,
                                "announce_drift": 104, "scrape": 605, "database_reload": 36,
                                "database_serialize": 67, "purge_inactive_peers": 98, "flush": 9},
                  "addr": "127.0.0.1:8080", "admin_token": "tok", "proxy": "X-Real-Ip", "record": true,
                  "scrape": false, "log_flushes": false, "strict_port": true, "flush_groups": true,
                  "numwant": 10, "max_numwant": 20
                }
                """);

        assertThat(result.config()).isEqualTo(new TrackerConfig(
                new TrackerConfig.Database("tracker", "pw", "gazelle", "unix", "/run/mysqld/mysqld.sock", 0.5, 3),
                new TrackerConfig.Channels(101, 102, 103, 104, 105),
                new TrackerConfig.Intervals(1001, 502, 2503, 104, 605, 36, 67, 98, 9),
                "127.0.0.1:8080", "tok", "X-Real-Ip", true, false, false, true, true, 10, 20));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void absentKeysTakeTheirDefaults() {
        ConfigResult result = parse("""
                {"intervals": {"announce": 600}, "database": {"password": "pw"}, "record": true}
                """);

        TrackerConfig defaults = TrackerConfig.defaults();
        assertThat(result.config().intervals())
                .isEqualTo(new TrackerConfig.Intervals(600, 900, 3900, 300, 900, 45, 68, 120, 3));
        assertThat(result.config().database()).isEqualTo(new TrackerConfig.Database("chihaya", "pw", "chihaya",
                "tcp", "127.0.0.1:3306", 1, 5));
        assertThat(result.config().record()).isTrue();
        assertThat(result.config().channels()).isEqualTo(defaults.channels());
        assertThat(parse("{}").config()).isEqualTo(defaults);
    }

    @Test
    void nullCountsAsAbsent() {
        assertThat(parse("{\"proxy\": null, \"intervals\": null, \"database\": {\"addr\": null}}").config())
                .isEqualTo(TrackerConfig.defaults());
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsAccepted() {
        assertThat(parse("{\"intervals\": {\"announce\": 1200.0, \"flush\": 5e0}}").config().intervals())
                .isEqualTo(new TrackerConfig.Intervals(1200, 900, 3900, 300, 900, 45, 68, 120, 5));
    }

    @Test
    void aMissingFileMeansDefaultsWithAWarning(@TempDir Path directory) {
        Path file = directory.resolve("config.json");

        ConfigResult result = loader.read(file);

        assertThat(result.config()).isEqualTo(TrackerConfig.defaults());
        assertThat(result.warnings()).containsExactly(file + ": not found, using the defaults");
    }

    @Test
    void aDirectoryIsNotAConfigFile(@TempDir Path directory) {
        assertThatThrownBy(() -> loader.read(directory)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(directory + ": cannot be read: ");
    }

    @Test
    void anErrorNamesTheFileAsGiven(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("tracker.json");
        Files.writeString(file, "{\"intervals\": {\"announce\": -5}}");

        assertThatThrownBy(() -> loader.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": intervals.announce must be a positive whole number of seconds, got -5");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '§', textBlock = """
            {"addr": ":34000",}                    | config.json: not valid JSON at line 1, column 19: Unexpected character ('}' (code 125)): was expecting double-quote to start field name
            {"addr": ":34000"                      | config.json: not valid JSON at line 1, column 18: Unexpected end-of-input: expected close marker for Object
            {'addr': ':34000'}                     | config.json: not valid JSON at line 1, column 2: Unexpected character (''' (code 39)): was expecting double-quote to start field name
            {"database": {"password": hunter2}}    | config.json: not valid JSON at line 1, column 27: unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
            [1, 2]                                 | config.json: must hold a JSON object, got an array
            "addr"                                 | config.json: must hold a JSON object, got a string
            """)
    void textThatIsNotAJsonObjectIsRejectedWithItsPosition(String json, String message) {
        assertRejected(json, message);
    }

    @Test
    void trailingContentAndEmptyFilesAreRejected() {
        assertThatThrownBy(() -> parse("{\"addr\": \":34000\"} {}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.json: not valid JSON at line 1, column 20: Trailing token");
        assertRejected(" \n ", "config.json: is empty; expected a JSON object such as {\"addr\": \":34000\"}");
    }

    @Test
    void aProxyHeaderMustBeAHeaderName() {
        assertRejected("{\"proxy\": \"X Real Ip\"}", "config.json: proxy must be an HTTP header name such as"
                + " \"X-Real-Ip\" (letters, digits and !#$%&'*+-.^_`|~) or \"\", got \"X Real Ip\"");
        assertThat(parse("{\"proxy\": \"X-Forwarded-For\"}").config().proxy()).isEqualTo("X-Forwarded-For");
    }

    @Test
    void theLineOfASyntaxErrorIsCountedFromTheTop() {
        assertRejected("{\n  \"database\": {\n    \"password\": s3cr3t-value\n  }\n}\n",
                "config.json: not valid JSON at line 3, column 17: unrecognized token: was expecting"
                        + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '§', textBlock = """
            {"intervals": {"announce": -5}}                     | intervals.announce must be a positive whole number of seconds, got -5
            {"intervals": {"announce": 0}}                      | intervals.announce must be a positive whole number of seconds, got 0
            {"intervals": {"min_announce": 0}}                  | intervals.min_announce must be a positive whole number of seconds, got 0
            {"intervals": {"peer_inactivity": -1}}              | intervals.peer_inactivity must be a positive whole number of seconds, got -1
            {"intervals": {"scrape": 1.5}}                      | intervals.scrape must be a positive whole number of seconds, got 1.5
            {"intervals": {"database_reload": 0}}               | intervals.database_reload must be a positive whole number of seconds, got 0
            {"intervals": {"database_serialize": {}}}           | intervals.database_serialize must be a positive whole number of seconds, got an object
            {"intervals": {"purge_inactive_peers": [120]}}      | intervals.purge_inactive_peers must be a positive whole number of seconds, got an array
            {"intervals": {"flush": "3"}}                       | intervals.flush must be a positive whole number of seconds, got "3"
            {"intervals": {"flush": true}}                      | intervals.flush must be a positive whole number of seconds, got true
            {"intervals": {"announce_drift": -1}}               | intervals.announce_drift must be a whole number of seconds, 0 or more, got -1
            {"intervals": {"peer_inactivity": 40000000}}        | intervals.peer_inactivity must be at most 31536000 seconds (365 days), got 40000000
            {"intervals": {"announce": 1e400}}                  | intervals.announce must be at most 31536000 seconds (365 days), got 1E+400
            {"intervals": []}                                   | intervals must be an object, got an array
            {"database": "localhost"}                           | database must be an object, got "localhost"
            {"channels": 5000}                                  | channels must be an object, got 5000
            {"channels": {"torrent": 0}}                        | channels.torrent must be a positive whole number, got 0
            {"channels": {"user": -1}}                          | channels.user must be a positive whole number, got -1
            {"channels": {"transfer_history": 2.5}}             | channels.transfer_history must be a positive whole number, got 2.5
            {"channels": {"transfer_ips": 10000001}}            | channels.transfer_ips must be at most 10000000, got 10000001
            {"channels": {"snatch": null, "torrent": "big"}}    | channels.torrent must be a positive whole number, got "big"
            {"numwant": 60}                                     | numwant (60) must not be more than max_numwant (50)
            {"numwant": 30, "max_numwant": 20}                  | numwant (30) must not be more than max_numwant (20)
            {"intervals": {"numwant": 80}}                      | intervals.numwant (80) must not be more than max_numwant (50)
            {"intervals": {"max_numwant": 10}}                  | numwant (25) must not be more than intervals.max_numwant (10)
            {"numwant": -1}                                     | numwant must be a whole number, 0 or more, got -1
            {"intervals": {"numwant": 2.5}}                     | intervals.numwant must be a whole number, 0 or more, got 2.5
            {"max_numwant": 0}                                  | max_numwant must be a positive whole number, got 0
            {"max_numwant": 5000}                               | max_numwant must be at most 1000, got 5000
            {"database": {"proto": "udp"}}                      | database.proto must be "tcp" or "unix", got "udp"
            {"database": {"proto": "TCP"}}                      | database.proto must be "tcp" or "unix", got "TCP"
            {"database": {"addr": "127.0.0.1:99999"}}           | database.addr must be host:port with a port from 1 to 65535 (IPv6 in brackets) when database.proto is "tcp", got "127.0.0.1:99999"
            {"database": {"addr": "::1:3306"}}                  | database.addr must be host:port with a port from 1 to 65535 (IPv6 in brackets) when database.proto is "tcp", got "::1:3306"
            {"database": {"proto": "unix", "addr": "my.sock"}}  | database.addr must be an absolute socket path without & ? or # when database.proto is "unix", got "my.sock"
            {"database": {"addr": 3306}}                        | database.addr must be a string, got 3306
            {"database": {"database": ""}}                      | database.database must be a database name, got ""
            {"database": {"database": "a/b"}}                   | database.database must be a database name without spaces, control characters or / ? & # \\, got "a/b"
            {"database": {"username": false}}                   | database.username must be a string, got false
            {"database": {"password": 123}}                     | database.password must be a string, got a number
            {"database": {"deadlock_retries": -1}}              | database.deadlock_retries must be a whole number, 0 or more, got -1
            {"database": {"deadlock_retries": 1000}}            | database.deadlock_retries must be at most 100, got 1000
            {"database": {"deadlock_pause": -0.5}}              | database.deadlock_pause must be a number of seconds, 0 or more, got -0.5
            {"database": {"deadlock_pause": "1"}}               | database.deadlock_pause must be a number of seconds, 0 or more, got "1"
            {"database": {"deadlock_pause": 120}}               | database.deadlock_pause must be at most 60 seconds, got 120
            {"addr": "34000"}                                   | addr must be [host]:port with a port from 1 to 65535 (":34000", "127.0.0.1:34000", "[::]:34000"), got "34000"
            {"addr": ":0"}                                      | addr must be [host]:port with a port from 1 to 65535 (":34000", "127.0.0.1:34000", "[::]:34000"), got ":0"
            {"addr": ":65536"}                                  | addr must be [host]:port with a port from 1 to 65535 (":34000", "127.0.0.1:34000", "[::]:34000"), got ":65536"
            {"addr": "::1:34000"}                               | addr must be [host]:port with a port from 1 to 65535 (":34000", "127.0.0.1:34000", "[::]:34000"), got "::1:34000"
            {"addr": ""}                                        | addr must be [host]:port with a port from 1 to 65535 (":34000", "127.0.0.1:34000", "[::]:34000"), got ""
            {"addr": 34000}                                     | addr must be a string, got 34000
            {"admin_token": false}                              | admin_token must be a string, got a boolean
            {"record": "true"}                                  | record must be true or false, got "true"
            {"scrape": 1}                                       | scrape must be true or false, got 1
            {"log_flushes": null, "strict_port": "no"}          | strict_port must be true or false, got "no"
            {"flush_groups": {}}                                | flush_groups must be true or false, got an object
            """)
    void aBadValueStopsStartUpNamingItsKey(String json, String message) {
        assertRejected(json, "config.json: " + message);
    }

    @Test
    void unknownKeysAreWarnedAboutByTheirPath() {
        ConfigResult result = parse("""
                {"adress": ":1", "intervals": {"foo": 1, "announce": 1800}, "database": {"host": "x"},
                 "channels": {"peers": {"deep": true}}}
                """);

        assertThat(result.config()).isEqualTo(TrackerConfig.defaults());
        assertThat(result.warnings()).containsExactly(
                "config.json: unknown key \"adress\" ignored",
                "config.json: unknown key \"database.host\" ignored",
                "config.json: unknown key \"channels.peers\" ignored",
                "config.json: unknown key \"intervals.foo\" ignored");
    }

    @Test
    void numwantIsReadFromIntervalsLikeTheReference() {
        ConfigResult result = parse("{\"intervals\": {\"numwant\": 30, \"max_numwant\": 80}}");

        assertThat(result.config().numwant()).isEqualTo(30);
        assertThat(result.config().maxNumwant()).isEqualTo(80);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void topLevelNumwantWinsOverIntervals() {
        ConfigResult result = parse("""
                {"numwant": 20, "max_numwant": 40, "intervals": {"numwant": 30, "max_numwant": 40}}
                """);

        assertThat(result.config().numwant()).isEqualTo(20);
        assertThat(result.config().maxNumwant()).isEqualTo(40);
        assertThat(result.warnings()).containsExactly(
                "config.json: intervals.numwant (30) ignored: the top-level numwant (20) wins");
    }

    @Test
    void numwantAndMaxNumwantMayComeFromDifferentPlaces() {
        TrackerConfig config = parse("{\"max_numwant\": 200, \"intervals\": {\"numwant\": 100}}").config();

        assertThat(config.numwant()).isEqualTo(100);
        assertThat(config.maxNumwant()).isEqualTo(200);
    }

    @Test
    void numwantLimits() {
        assertThat(parse("{\"numwant\": 0, \"max_numwant\": 1}").config().numwant()).isZero();
        assertThat(parse("{\"numwant\": 1000, \"max_numwant\": 1000}").config().maxNumwant()).isEqualTo(1000);
    }

    @Test
    void oddButWorkableIntervalsAreWarnedAbout() {
        ConfigResult result = parse("""
                {"intervals": {"announce": 600, "min_announce": 900, "peer_inactivity": 700, "announce_drift": 300}}
                """);

        assertThat(result.warnings()).containsExactly(
                "config.json: intervals.min_announce (900) is longer than intervals.announce (600): clients are"
                        + " told to wait longer than the interval they are given",
                "config.json: intervals.peer_inactivity (700) is shorter than intervals.announce"
                        + " + intervals.announce_drift (900): peers may be purged before their next announce");
    }

    @Test
    void announceDriftMayBeZeroAndDeadlockRetriesToo() {
        TrackerConfig config = parse("""
                {"intervals": {"announce_drift": 0}, "database": {"deadlock_retries": 0, "deadlock_pause": 0}}
                """).config();

        assertThat(config.intervals().announceDrift()).isZero();
        assertThat(config.database().deadlockRetries()).isZero();
        assertThat(config.database().deadlockPause()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            :34000              | ''        | 34000 | 0.0.0.0
            0.0.0.0:34000       | 0.0.0.0   | 34000 | 0.0.0.0
            127.0.0.1:1         | 127.0.0.1 | 1     | 127.0.0.1
            [::]:34000          | ::        | 34000 | ::
            tracker.local:65535 | tracker.local | 65535 | tracker.local
            """)
    void listenAddresses(String addr, String host, int port, String bindHost) {
        TrackerConfig config = parse("{\"addr\": \"" + addr + "\"}").config();

        assertThat(config.addr()).isEqualTo(addr);
        assertThat(config.listenAddress()).isEqualTo(new HostPort(host, port));
        assertThat(config.listenAddress().bindHost()).isEqualTo(bindHost);
    }

    @Test
    void describeGivesTheEffectiveSettingsOnOneLine() {
        ConfigResult result = parse("{\"database\": {\"password\": \"hunter2\"}, \"admin_token\": \"letmein\"}");

        assertThat(result.describe()).isEqualTo("addr=:34000"
                + " database=jdbc:mariadb://127.0.0.1:3306/chihaya (user chihaya, password ****) from config.json"
                + " deadlock_pause=1 deadlock_retries=5"
                + " channels={torrent=5000, user=5000, transfer_history=5000, transfer_ips=5000, snatch=25}"
                + " intervals={announce=1800, min_announce=900, peer_inactivity=3900, announce_drift=300,"
                + " scrape=900, database_reload=45, database_serialize=68, purge_inactive_peers=120, flush=3}"
                + " admin_token=**** proxy=(none) record=false scrape=true log_flushes=true strict_port=false"
                + " flush_groups=false numwant=25 max_numwant=50");
    }
}
