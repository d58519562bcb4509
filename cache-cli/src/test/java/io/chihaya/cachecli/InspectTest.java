package io.chihaya.cachecli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chihaya.tracker.cache.CacheProgress;
import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class InspectTest {
    @TempDir
    Path dir;
    private Path cache;

    @BeforeEach
    void writeCache() throws IOException {
        // Torrent i (id 100 + i) has i seeders and i % 3 leechers: 78 seeders and 12 leechers in all.
        List<TorrentSnapshot> torrents = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            List<PeerSnapshot> peers = new ArrayList<>();
            for (int p = 0; p < i + i % 3; p++) {
                byte[] peerId = new byte[20];
                peerId[19] = (byte) p;
                peers.add(new PeerSnapshot(1, peerId, 0x0A000001, 6881, 0, 0, p < i ? 0 : 5, 1, 2, 0, p < i));
            }
            byte[] hash = new byte[20];
            Arrays.fill(hash, (byte) i);
            torrents.add(new TorrentSnapshot(100 + i, hash, 0, 0, 1, 1, 0, TorrentType.ANIME, 0, peers));
        }
        CacheStore store = CacheStore.inDirectory(dir);
        store.write(Instant.parse("2024-03-01T12:00:00.250Z"),
                List.of(new User(1, "a".repeat(32), 1, 1, false, false), new User(2, "b".repeat(32), 1, 1, false, false)),
                torrents, CacheProgress.NONE);
        cache = store.file();
    }

    @Test
    void printsTheSummaryWithTheTenLargestSwarms() throws IOException {
        Cc.Result result = Cc.run("inspect", "--dir", dir.toString());
        int checksum = CacheStore.inDirectory(dir).readHeader().orElseThrow().checksum();

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                file        %s
                size        %d bytes
                format      version 1
                written at  2024-03-01T12:00:00.250Z
                checksum    ok (CRC32C %08x)
                users       2
                torrents    13
                peers       90
                seeders     78
                leechers    12
                largest swarms:
                     peers    seeders   leechers  torrent id  info hash
                        13         11          2         111  0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b
                        12         12          0         112  0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c
                        11         10          1         110  0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a
                        10          8          2         108  0808080808080808080808080808080808080808
                         9          9          0         109  0909090909090909090909090909090909090909
                         8          7          1         107  0707070707070707070707070707070707070707
                         7          5          2         105  0505050505050505050505050505050505050505
                         6          6          0         106  0606060606060606060606060606060606060606
                         5          4          1         104  0404040404040404040404040404040404040404
                         4          2          2         102  0202020202020202020202020202020202020202
                """.formatted(cache, Files.size(cache), checksum));
    }

    @Test
    void jsonIsOneObjectOnOneLine() throws IOException {
        Cc.Result result = Cc.run("inspect", "--json", "--dir", dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(result.stdout());
        assertThat(json.get("file").asText()).isEqualTo(cache.toString());
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("written_at").asText()).isEqualTo("2024-03-01T12:00:00.250Z");
        assertThat(json.get("checksum").asText()).isEqualTo("ok");
        assertThat(json.get("users").asInt()).isEqualTo(2);
        assertThat(json.get("torrents").asInt()).isEqualTo(13);
        assertThat(json.get("peers").asInt()).isEqualTo(90);
        assertThat(json.get("seeders").asInt()).isEqualTo(78);
        assertThat(json.get("leechers").asInt()).isEqualTo(12);
        assertThat(json.get("largest_swarms")).hasSize(10);
        assertThat(json.get("largest_swarms").get(0).toString()).isEqualTo(
                "{\"id\":111,\"info_hash\":\"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\",\"peers\":13,\"seeders\":11,\"leechers\":2}");
    }

    @Test
    void aTruncatedCacheIsReportedAsCorruptInOneLine() throws IOException {
        byte[] whole = Files.readAllBytes(cache);
        Files.write(cache, Arrays.copyOf(whole, whole.length - 100));
        Cc.Result result = Cc.run("inspect", "--dir", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("cc: corrupt cache " + cache + ": at byte " + (whole.length - 108)
                + ": no end marker: the file is truncated or has bytes after its end\n");
    }

    @Test
    void aBitFlipIsReportedAsCorruptInOneLineForTextAndJson() throws IOException {
        byte[] bytes = Files.readAllBytes(cache);
        bytes[200] ^= 0x04;
        Files.write(cache, bytes);
        for (String[] args : List.of(new String[]{"inspect", "--dir", dir.toString()},
                new String[]{"inspect", "--json", "--dir", dir.toString()},
                new String[]{"dump", "--dir", dir.toString()})) {
            Cc.Result result = Cc.run(args);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr()).startsWith("cc: corrupt cache " + cache + ": at byte " + (bytes.length - 4)
                    + ": checksum mismatch over bytes 40-" + (bytes.length - 5)).hasLineCount(1);
        }
    }

    @Test
    void inspectWritesNothing() throws IOException {
        FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(cache, modified);
        byte[] before = Files.readAllBytes(cache);
        assertThat(Cc.run("inspect", "--dir", dir.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(cache)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(cache)).isEqualTo(modified);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(cache);
        }
    }

    @Test
    void aMissingCacheIsOneLine() {
        Cc.Result result = Cc.run("inspect", "--dir", dir.resolve("elsewhere").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("cc: no cache at " + dir.resolve("elsewhere").resolve(CacheStore.FILE_NAME) + "\n");
    }

    @Test
    void aQuarantinedFileCanBeInspectedByName() throws IOException {
        Path quarantined = dir.resolve(CacheStore.FILE_NAME + ".corrupt-20240301T120000Z");
        Files.move(cache, quarantined);
        Cc.Result result = Cc.run("inspect", "--file", quarantined.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("file        " + quarantined + "\n");
    }
}
