package io.chihaya.cachecli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chihaya.tracker.cache.CacheContents;
import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DumpLoadTest {
    @TempDir
    Path dir;

    @Test
    void dumpLoadDumpGivesIdenticalBytesOnThousandsOfRealPeers() throws IOException {
        Registry registry = TestSwarms.registry(42, 400, 300, 8000);
        Path original = Files.createDirectory(dir.resolve("original"));
        CacheStore.inDirectory(original).write(registry);

        Cc.Result first = Cc.run("dump", "--dir", original.toString());
        assertThat(first.stderr()).isEmpty();
        assertThat(first.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(first.stdout());
        long peers = 0;
        for (JsonNode torrent : json.get("torrents")) {
            peers += torrent.get("peers").size();
        }
        assertThat(peers).isGreaterThan(5000);
        assertThat(first.out()).contains("\"last_announce\": 300", "\"status\": 1",
                "\"type\": \"music\"", "\"snatched\": 500000");

        Path copy = Files.createDirectory(dir.resolve("copy"));
        Cc.Result load = Cc.run(first.stdout(), "load", "--dir", copy.toString());
        assertThat(load.exitCode()).isZero();
        assertThat(load.stdout()).isEmpty();
        assertThat(load.stderr()).isEqualTo("cc: wrote " + copy.resolve(CacheStore.FILE_NAME).toAbsolutePath()
                + ": 400 users, 300 torrents, " + peers + " peers, " + Files.size(copy.resolve(CacheStore.FILE_NAME))
                + " bytes\n");

        Cc.Result second = Cc.run("dump", "--dir", copy.toString());
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(Cc.run("dump", "--dir", original.toString()).stdout()).isEqualTo(first.stdout());

        // The loaded cache holds what the tracker wrote, entry for entry (the writer's order aside).
        CacheContents before = CacheStore.inDirectory(original).read().orElseThrow();
        CacheContents after = CacheStore.inDirectory(copy).read().orElseThrow();
        assertThat(after.writtenAt()).isEqualTo(before.writtenAt());
        assertThat(after.users()).containsExactlyInAnyOrderElementsOf(before.users());
        assertThat(describe(after.torrents())).containsExactlyInAnyOrderElementsOf(describe(before.torrents()));
    }

    @Test
    void theDumpIsSortedAndKeepsUnsignedCountersAndHexExact() throws IOException {
        CacheStore.inDirectory(dir).write(TestSwarms.registry(7, 50, 40, 1500));
        JsonNode json = new ObjectMapper().readTree(Cc.run("dump", "--dir", dir.toString()).stdout());
        CacheContents contents = CacheStore.inDirectory(dir).read().orElseThrow();

        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("written_at").asText()).isEqualTo(contents.writtenAt().toString());
        assertThat(ids(json.get("users"), "id")).isSorted().hasSize(50);
        assertThat(ids(json.get("torrents"), "id")).isSorted().hasSize(40);
        boolean sawHuge = false;
        for (JsonNode torrent : json.get("torrents")) {
            List<String> keys = new ArrayList<>();
            for (JsonNode peer : torrent.get("peers")) {
                keys.add(String.format("%011d/%s", peer.get("user_id").asLong() + Integer.MAX_VALUE, peer.get("peer_id").asText()));
                assertThat(peer.get("peer_id").asText()).matches("[0-9a-f]{40}");
                assertThat(peer.get("ip").asText()).matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
                BigInteger uploaded = peer.get("uploaded").bigIntegerValue();
                assertThat(uploaded).isBetween(BigInteger.ZERO, BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
                sawHuge |= uploaded.bitLength() == 64;
            }
            assertThat(keys).isSorted();
            assertThat(torrent.get("info_hash").asText()).matches("[0-9a-f]{40}");
        }
        assertThat(sawHuge).isTrue();
    }

    @Test
    void fileOptionsAndTheRestoreAliasWork() throws IOException {
        CacheStore.inDirectory(dir).write(TestSwarms.registry(8, 20, 10, 200));
        Path json = dir.resolve("cache.json");
        assertThat(Cc.run("dump", "--dir", dir.toString(), "--out", json.toString()).exitCode()).isZero();

        Path target = dir.resolve("restored.bin");
        Cc.Result restore = Cc.run("restore", "--file", target.toString(), "--in", json.toString());
        assertThat(restore.exitCode()).isZero();
        assertThat(Cc.run("dump", "--file", target.toString()).stdout()).isEqualTo(Files.readAllBytes(json));
    }

    @Test
    void anEmptyCacheDumpsAndLoads() throws IOException {
        CacheStore.inDirectory(dir).write(new Registry());
        Cc.Result dump = Cc.run("dump", "--dir", dir.toString());
        assertThat(dump.out()).isEqualTo("""
                {
                  "version": 1,
                  "written_at": "%s",
                  "users": [],
                  "torrents": []
                }
                """.formatted(CacheStore.inDirectory(dir).read().orElseThrow().writtenAt()));
        Path copy = Files.createDirectory(dir.resolve("copy"));
        assertThat(Cc.run(dump.stdout(), "load", "--dir", copy.toString()).exitCode()).isZero();
        assertThat(Cc.run("dump", "--dir", copy.toString()).stdout()).isEqualTo(dump.stdout());
    }

    @Test
    void aLoadWithoutWrittenAtUsesTheCurrentTime() throws IOException {
        byte[] json = "{\"users\": [], \"torrents\": []}".getBytes(StandardCharsets.UTF_8);
        assertThat(Cc.run(json, "load", "--dir", dir.toString()).exitCode()).isZero();
        assertThat(CacheStore.inDirectory(dir).read().orElseThrow().writtenAt()).isEqualTo(Cc.NOW);
    }

    private static List<Long> ids(JsonNode array, String field) {
        List<Long> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get(field).asLong()));
        return ids;
    }

    private static List<String> describe(List<TorrentSnapshot> torrents) {
        HexFormat hex = HexFormat.of();
        return torrents.stream().map(t -> t.id() + " " + hex.formatHex(t.infoHash()) + " " + t.status() + " "
                + t.snatched() + " " + t.downMultiplier() + " " + t.upMultiplier() + " " + t.groupId() + " " + t.type()
                + " " + t.lastAction() + " " + t.peers().stream().map(p -> p.userId() + ":" + hex.formatHex(p.peerId())
                + ":" + p.ip() + ":" + p.port() + ":" + p.uploaded() + ":" + p.downloaded() + ":" + p.left() + ":"
                + p.startTime() + ":" + p.lastAnnounce() + ":" + p.clientId() + ":" + p.seeding()).sorted().toList()).toList();
    }
}
