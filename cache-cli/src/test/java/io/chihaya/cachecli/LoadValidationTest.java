package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code cc load} refuses bad JSON with the path of the first bad value, and writes nothing. */
class LoadValidationTest {
    /** A valid document; each case changes one thing in it. */
    private static final String VALID = """
            {
              "version": 1,
              "written_at": "2024-03-01T12:00:00Z",
              "users": [
                {"id": 5, "passkey": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "down_multiplier": 1.0, "up_multiplier": 0.5, "disable_download": false, "tracker_hide": true},
                {"id": 6, "passkey": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "down_multiplier": 0, "up_multiplier": 2, "disable_download": true, "tracker_hide": false}
              ],
              "torrents": [
                {"id": 70, "info_hash": "0101010101010101010101010101010101010101", "status": 0, "snatched": 3, "last_action": 1700000000, "group_id": 12, "type": "music", "down_multiplier": 1.0, "up_multiplier": 1.0, "peers": [
                  {"user_id": 5, "peer_id": "2d5452323934302d616161616161616161616161", "ip": "10.0.0.1", "port": 6881, "seeding": true, "uploaded": 18446744073709551615, "downloaded": 5, "left": 0, "start_time": 1700000000, "last_announce": 4000000000, "client_id": 3},
                  {"user_id": 6, "peer_id": "2d5452323934302d626262626262626262626262", "ip": "192.0.2.1", "port": 51413, "seeding": false, "uploaded": 10, "downloaded": 5, "left": 100, "start_time": 1700000000, "last_announce": 1700000100, "client_id": 3}
                ]},
                {"id": 71, "info_hash": "0202020202020202020202020202020202020202", "status": 1, "snatched": 0, "last_action": 0, "group_id": 0, "type": "anime", "down_multiplier": 1.0, "up_multiplier": 1.0, "peers": []}
              ],
              "approved_clients": [
                {"id": 3, "prefix": "-TR2940-"},
                {"id": 4, "prefix": "-qB"}
              ]
            }
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> badDocuments() {
        String peer1 = "\"peer_id\": \"2d5452323934302d626262626262626262626262\"";
        return Stream.of(
                arguments("peer_id 2d5452323934302d6262626262626262626262", peer1,
                        "\"peer_id\": \"2d5452323934302d6262626262626262626262\"",
                        "torrents[0].peers[1].peer_id: expected 40 hex digits, got 38"),
                arguments("bad hex digit", peer1, "\"peer_id\": \"2d5452323934302d62626262626262626262626g\"",
                        "torrents[0].peers[1].peer_id: expected 40 hex digits, got \"g\" at position 40"),
                arguments("info_hash too long", "\"0202020202020202020202020202020202020202\"",
                        "\"020202020202020202020202020202020202020202\"",
                        "torrents[1].info_hash: expected 40 hex digits, got 42"),
                arguments("negative uploaded", "\"uploaded\": 10,", "\"uploaded\": -10,",
                        "torrents[0].peers[1].uploaded: expected an unsigned 64-bit integer (0 to 18446744073709551615), got negative -10"),
                arguments("left above 2^64", "\"left\": 100", "\"left\": 18446744073709551616",
                        "torrents[0].peers[1].left: expected an unsigned 64-bit integer (0 to 18446744073709551615), got 18446744073709551616"),
                arguments("negative snatched", "\"snatched\": 3", "\"snatched\": -3",
                        "torrents[0].snatched: expected a non-negative integer, got -3"),
                arguments("unknown root field", "\"version\": 1,", "\"version\": 1, \"extra\": true,",
                        "extra: unknown field (expected version, written_at, users, torrents, approved_clients)"),
                arguments("unknown user field", "\"tracker_hide\": true}", "\"tracker_hide\": true, \"admin\": true}",
                        "users[0].admin: unknown field (expected id, passkey, down_multiplier, up_multiplier, disable_download, tracker_hide)"),
                arguments("unknown peer field", "\"client_id\": 3}\n    ]", "\"client_id\": 3, \"key\": \"x\"}\n    ]",
                        "torrents[0].peers[1].key: unknown field (expected user_id, peer_id, ip, port, seeding, uploaded, downloaded, left, start_time, last_announce, client_id)"),
                arguments("duplicate peer", "{\"user_id\": 6, " + peer1, "{\"user_id\": 5, \"peer_id\": \"2d5452323934302d616161616161616161616161\"",
                        "torrents[0].peers[1]: duplicate peer: user_id 5 with peer_id 2d5452323934302d616161616161616161616161 is also peers[0]"),
                arguments("duplicate torrent id", "{\"id\": 71,", "{\"id\": 70,", "torrents[1].id: 70 is also torrents[0]"),
                arguments("duplicate info hash", "\"0202020202020202020202020202020202020202\"",
                        "\"0101010101010101010101010101010101010101\"", "torrents[1].info_hash: the same info hash as torrents[0]"),
                arguments("duplicate user id", "{\"id\": 6,", "{\"id\": 5,", "users[1].id: 5 is also users[0]"),
                arguments("duplicate passkey", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                        "users[1].passkey: the same passkey as users[0]"),
                arguments("field twice", "{\"id\": 6,", "{\"id\": 6, \"id\": 6,", "users[1].id: appears twice"),
                arguments("missing field", ", \"tracker_hide\": false}", "}", "users[1]: missing field \"tracker_hide\""),
                arguments("missing torrents", ",\n  \"torrents\": [", ",\n  \"more\": [", "more: unknown field (expected version, written_at, users, torrents, approved_clients)"),
                arguments("port out of range", "\"port\": 51413", "\"port\": 65536",
                        "torrents[0].peers[1].port: expected a port from 0 to 65535, got 65536"),
                arguments("bad address", "\"192.0.2.1\"", "\"192.0.2\"",
                        "torrents[0].peers[1].ip: expected an IPv4 address like 192.0.2.1, got \"192.0.2\""),
                arguments("IPv6 address", "\"192.0.2.1\"", "\"::ffff:192.0.2.1\"",
                        "torrents[0].peers[1].ip: expected an IPv4 address like 192.0.2.1, got \"::ffff:192.0.2.1\""),
                arguments("unknown type", "\"type\": \"anime\"", "\"type\": \"movie\"",
                        "torrents[1].type: expected \"anime\" or \"music\", got \"movie\""),
                arguments("multiplier as string", "\"up_multiplier\": 0.5", "\"up_multiplier\": \"0.5\"",
                        "users[0].up_multiplier: expected a number, got the string \"0.5\""),
                arguments("infinite multiplier", "\"up_multiplier\": 0.5", "\"up_multiplier\": 1e999",
                        "users[0].up_multiplier: expected a finite number, got 1e999"),
                arguments("time beyond 32 bits", "\"last_announce\": 4000000000", "\"last_announce\": 4294967296",
                        "torrents[0].peers[0].last_announce: expected seconds from 0 to 4294967295, got 4294967296"),
                arguments("fractional id", "{\"id\": 6,", "{\"id\": 6.5,", "users[1].id: expected a 32-bit integer, got the number 6.5"),
                arguments("id beyond 32 bits", "{\"id\": 6,", "{\"id\": 2147483648,", "users[1].id: expected a 32-bit integer, got 2147483648"),
                arguments("null boolean", "\"seeding\": true", "\"seeding\": null", "torrents[0].peers[0].seeding: expected true or false, got null"),
                arguments("empty passkey", "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"", "\"\"", "users[1].passkey: expected 1 to 255 characters, got 0"),
                arguments("non-Latin-1 passkey", "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"", "\"bb\\u20ac\"",
                        "users[1].passkey: character 3 is not ISO-8859-1 (U+20AC)"),
                arguments("duplicate client id", "{\"id\": 4, \"prefix\"", "{\"id\": 3, \"prefix\"",
                        "approved_clients[1].id: 3 is also approved_clients[0]"),
                arguments("client prefix too long", "\"-qB\"", "\"" + "x".repeat(256) + "\"",
                        "approved_clients[1].prefix: expected 0 to 255 characters, got 256"),
                arguments("non-Latin-1 client prefix", "\"-qB\"", "\"-q\\u20ac\"",
                        "approved_clients[1].prefix: character 3 is not ISO-8859-1 (U+20AC)"),
                arguments("client without prefix", ", \"prefix\": \"-qB\"}", "}", "approved_clients[1]: missing field \"prefix\""),
                arguments("newer layout", "\"version\": 1", "\"version\": 2", "version: expected 1 (the only layout this cc reads), got 2"),
                arguments("bad time", "\"2024-03-01T12:00:00Z\"", "\"yesterday\"",
                        "written_at: expected a time like 2024-01-31T12:00:00Z, got \"yesterday\""),
                arguments("peers not an array", "\"peers\": []", "\"peers\": {}", "torrents[1].peers: expected an array, got an object"),
                arguments("truncated JSON", "\n}\n", "\n",
                        "malformed JSON at line 19, column 1: Unexpected end-of-input: expected close marker for Object"),
                arguments("trailing content", "\n}\n", "\n}\n{}", "expected the end of the input after the object, got an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void aBadDocumentIsRefusedWithItsPathAndNothingIsWritten(String name, String from, String to, String expected)
            throws IOException {
        assertThat(VALID).contains(from);
        String document = VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));

        Cc.Result result = Cc.run(document.getBytes(StandardCharsets.UTF_8), "load", "--dir", dir.toString());

        assertThat(result.stderr()).isEqualTo("cc: standard input: " + expected + " (nothing was written)\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theValidDocumentLoadsAndDumpsBackUnchanged() {
        Cc.Result load = Cc.run(VALID.getBytes(StandardCharsets.UTF_8), "load", "--dir", dir.toString());
        assertThat(load.exitCode()).isZero();
        assertThat(Cc.run("dump", "--dir", dir.toString()).out())
                .isEqualTo(VALID.replace("\"down_multiplier\": 0,", "\"down_multiplier\": 0.0,")
                        .replace("\"up_multiplier\": 2,", "\"up_multiplier\": 2.0,"));
    }

    @Test
    void aRefusedLoadLeavesTheExistingCacheUntouched() throws IOException {
        assertThat(Cc.run(VALID.getBytes(StandardCharsets.UTF_8), "load", "--dir", dir.toString()).exitCode()).isZero();
        Path cache = dir.resolve(CacheStore.FILE_NAME);
        byte[] before = Files.readAllBytes(cache);

        Cc.Result result = Cc.run(VALID.replace("\"left\": 100", "\"left\": -1").getBytes(StandardCharsets.UTF_8),
                "load", "--dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Files.readAllBytes(cache)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(cache);
        }
    }

    @Test
    void emptyInputAndAMissingDirectoryAreOneLineErrors() {
        Cc.Result empty = Cc.run("load", "--dir", dir.toString());
        assertThat(empty.stderr()).isEqualTo("cc: standard input: expected a JSON object, got the end of the input (nothing was written)\n");
        assertThat(empty.exitCode()).isEqualTo(1);

        Cc.Result missing = Cc.run(VALID.getBytes(StandardCharsets.UTF_8), "load", "--dir", dir.resolve("nope").toString());
        assertThat(missing.stderr()).isEqualTo("cc: no such directory: " + dir.resolve("nope").toAbsolutePath()
                + " (nothing was read or written)\n");
        assertThat(missing.exitCode()).isEqualTo(1);

        Cc.Result noInput = Cc.run("load", "--dir", dir.toString(), "--in", dir.resolve("absent.json").toString());
        assertThat(noInput.stderr()).isEqualTo("cc: no such file or directory: " + dir.resolve("absent.json") + "\n");
        assertThat(noInput.exitCode()).isEqualTo(1);
    }
}
