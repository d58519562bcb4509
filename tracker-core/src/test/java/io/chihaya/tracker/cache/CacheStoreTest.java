package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.AnnounceOutcome;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.SwarmAnnouncer;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheStoreTest {
    private static final Instant NOW = Instant.parse("2023-11-14T22:13:20.123Z");

    @TempDir
    Path dir;

    private CacheStore store() {
        return new CacheStore(dir.resolve(CacheStore.FILE_NAME), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 20231114, -77})
    void roundTripKeepsEveryFieldOfEveryUserTorrentAndPeer(long seed) throws IOException {
        Registry registry = SampleSwarms.registry(seed, 300, 250, 6000);
        List<String> expectedTorrents = SampleSwarms.describeTorrents(registry);
        List<PeerSnapshot> peers = SampleSwarms.allPeers(registry);
        // The sample must exercise what the format has to get right.
        assertThat(peers).hasSizeGreaterThan(3000);
        assertThat(peers).anyMatch(p -> p.uploaded() < 0).anyMatch(p -> p.left() < 0)
                .anyMatch(PeerSnapshot::seeding).anyMatch(p -> !p.seeding())
                .anyMatch(p -> p.lastAnnounce() > Integer.MAX_VALUE);
        assertThat(SampleSwarms.describeTorrents(registry)).anyMatch(t -> t.contains("status=1"))
                .anyMatch(t -> t.contains("type=MUSIC")).anyMatch(t -> t.contains("snatched=5000000"));

        CacheWriteSummary summary = store().write(registry);
        CacheContents contents = store().read().orElseThrow();

        assertThat(summary.users()).isEqualTo(300);
        assertThat(summary.torrents()).isEqualTo(250);
        assertThat(summary.peers()).isEqualTo(peers.size());
        assertThat(summary.bytes()).isEqualTo(Files.size(store().file()));
        assertThat(contents.version()).isEqualTo(1);
        assertThat(contents.writtenAt()).isEqualTo(NOW);
        assertThat(contents.users()).containsExactlyInAnyOrderElementsOf(SampleSwarms.users(registry));
        assertThat(SampleSwarms.describe(contents.torrents())).as("seed %d", seed).isEqualTo(expectedTorrents);
        assertThat(contents.peerCount()).isEqualTo(peers.size());

        Registry restored = new Registry();
        contents.installInto(restored);
        assertThat(SampleSwarms.users(restored)).isEqualTo(SampleSwarms.users(registry));
        assertThat(SampleSwarms.describeTorrents(restored)).as("seed %d", seed).isEqualTo(expectedTorrents);
        assertThat(restored.user(String.format("pk%030d", 3))).isEqualTo(registry.user(String.format("pk%030d", 3)));
        assertThat(contents.clients()).isEqualTo(registry.approvedClients().prefixesById()).hasSize(4);
        assertThat(restored.approvedClients().prefixesById()).isEqualTo(registry.approvedClients().prefixesById());
        assertThat(restored.approvedClients().match("-qB4650-abcdefghijkl".getBytes(StandardCharsets.ISO_8859_1), 20))
                .isEqualTo(2);

        // The tracker's start builds the swarms straight from the bytes: the same registry results.
        RestoredCache direct = store().restore().orElseThrow();
        assertThat(direct.writtenAt()).isEqualTo(NOW);
        assertThat(direct.peers()).isEqualTo(peers.size());
        Registry fromBytes = new Registry();
        direct.installInto(fromBytes);
        assertThat(SampleSwarms.users(fromBytes)).isEqualTo(SampleSwarms.users(registry));
        assertThat(SampleSwarms.describeTorrents(fromBytes)).as("seed %d", seed).isEqualTo(expectedTorrents);
        assertThat(fromBytes.approvedClients().prefixesById()).isEqualTo(registry.approvedClients().prefixesById());
    }

    @Test
    void restoredSwarmsSurviveTheFirstDatabaseLoadAndKeepAnnouncing() throws IOException {
        Registry registry = SampleSwarms.registry(5, 50, 40, 800);
        store().write(registry);
        Registry restored = new Registry();
        store().readOrQuarantine().orElseThrow().installInto(restored);

        List<TorrentRow> rows = new ArrayList<>();
        restored.torrents().forEach((hash, torrent) -> rows.add(new TorrentRow(torrent.id(), hash, 1, 1,
                torrent.snatched(), torrent.status(), 0, TorrentType.ANIME, torrent.lastAction())));
        restored.loadTorrents(rows, id -> 0);
        int[] peers = {0};
        restored.torrents().forEach((hash, torrent) -> peers[0] += torrent.seeders() + torrent.leechers());
        assertThat(peers[0]).isEqualTo(SampleSwarms.allPeers(registry).size());

        // A restored peer re-announcing is found (no duplicate is created): the swarm index was rebuilt.
        Torrent torrent = largest(restored);
        PeerSnapshot peer = torrent.snapshot().peers().get(0);
        int before = torrent.seeders() + torrent.leechers();
        SwarmAnnouncer.Input in = new SwarmAnnouncer.Input();
        in.userId = peer.userId();
        in.peerId = peer.peerId();
        in.left = peer.left();
        in.uploaded = peer.uploaded();
        in.downloaded = peer.downloaded();
        in.now = peer.lastAnnounce() + 10;
        in.peerInactivity = 3900;
        torrent.updateFromDatabase(0, torrent.snatched(), 1, 1, 0, TorrentType.ANIME);
        new SwarmAnnouncer().announce(torrent, in, new Random(1), new AnnounceOutcome(0));
        assertThat(torrent.seeders() + torrent.leechers()).isEqualTo(before);
    }

    @Test
    void aCacheWithoutApprovedClientsRestoresNone() throws IOException {
        Registry registry = SampleSwarms.registry(4, 10, 10, 50);
        store().write(Instant.parse("2026-12-06T00:00:00Z"), SampleSwarms.users(registry), List.of(), CacheProgress.NONE);
        CacheContents contents = store().read().orElseThrow();
        assertThat(contents.clients()).isEmpty();
        Registry restored = new Registry();
        restored.setApprovedClients(io.chihaya.tracker.model.ApprovedClients.of(java.util.Map.of(7, "-XX")));
        contents.installInto(restored);
        assertThat(restored.approvedClients().prefixesById()).as("left as they were").containsOnlyKeys(7);
    }

    @Test
    void aRegistryClientTheCacheCannotHoldIsLeftOutAndTheWriteGoesOn() throws IOException {
        Registry registry = SampleSwarms.registry(6, 10, 10, 50);
        registry.setApprovedClients(io.chihaya.tracker.model.ApprovedClients.of(
                java.util.Map.of(1, "-TR", 2, "-\u20ac-", 3, "y".repeat(300))));
        store().write(registry);
        assertThat(store().read().orElseThrow().clients()).containsExactly(java.util.Map.entry(1, "-TR"));
    }

    @Test
    void approvedClientsThatTheCacheCannotHoldFailTheWrite() throws IOException {
        assertThatThrownBy(() -> store().write(Instant.now(), List.of(), List.of(), java.util.Map.of(3, "x".repeat(256)),
                CacheProgress.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approved client 3");
        assertThatThrownBy(() -> store().write(Instant.now(), List.of(), List.of(), java.util.Map.of(3, "\u20ac"),
                CacheProgress.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8859-1");
        assertThat(store().file()).doesNotExist();
    }

    @Test
    void anEmptyRegistryRoundTrips() throws IOException {
        store().write(new Registry());
        CacheContents contents = store().read().orElseThrow();
        assertThat(contents.users()).isEmpty();
        assertThat(contents.torrents()).isEmpty();
        assertThat(Files.size(store().file())).isEqualTo(CacheFormat.HEADER_SIZE + CacheFormat.TRAILER_SIZE);
    }

    @Test
    void aMissingFileIsEmptyAndNothingIsCreated() throws IOException {
        assertThat(store().read()).isEmpty();
        assertThat(store().readHeader()).isEmpty();
        assertThat(store().readOrQuarantine()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsIgnored() throws IOException {
        Registry registry = SampleSwarms.registry(9, 40, 30, 500);
        store().write(registry);
        byte[] previous = Files.readAllBytes(store().file());
        // A crash mid-write leaves a partial temporary file beside the cache; it is never renamed.
        Files.write(dir.resolve(CacheStore.FILE_NAME + ".4711.tmp"), java.util.Arrays.copyOf(previous, previous.length / 2));

        assertThat(SampleSwarms.describe(store().read().orElseThrow().torrents()))
                .isEqualTo(SampleSwarms.describeTorrents(registry));
        store().write(registry);
        assertThat(Files.readAllBytes(store().file())).isEqualTo(previous);
    }

    @Test
    void theStartDeletesTemporaryFilesLeftByInterruptedWritesAndNothingElse() throws IOException {
        Registry registry = SampleSwarms.registry(9, 40, 30, 500);
        store().write(registry);
        Path first = dir.resolve(CacheStore.FILE_NAME + ".4711.tmp");
        Path second = dir.resolve(CacheStore.FILE_NAME + ".99.tmp");
        Path quarantined = dir.resolve(CacheStore.FILE_NAME + ".corrupt-20261206T120000Z");
        Path unrelated = dir.resolve("notes.tmp");
        for (Path file : List.of(first, second, quarantined, unrelated)) {
            Files.write(file, new byte[]{1, 2, 3});
        }

        assertThat(store().readOrQuarantine()).isPresent();
        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(quarantined).exists();
        assertThat(unrelated).exists();
        assertThat(store().file()).exists();
    }

    @Test
    void aFailedWriteKeepsThePreviousCacheAndLeavesNoTemporaryFile() throws IOException {
        Registry registry = SampleSwarms.registry(11, 40, 30, 500);
        store().write(registry);
        byte[] previous = Files.readAllBytes(store().file());

        List<TorrentSnapshot> torrents = new ArrayList<>(store().read().orElseThrow().torrents());
        torrents.add(new TorrentSnapshot(99_999, new byte[20], 0, -1, 1, 1, 0, TorrentType.ANIME, 0, List.of()));
        List<User> users = SampleSwarms.users(registry);
        assertThatThrownBy(() -> store().write(NOW, users, torrents, CacheProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("torrent 99999: negative Snatched -1");

        assertThat(Files.readAllBytes(store().file())).isEqualTo(previous);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CacheStore.FILE_NAME);
        }
    }

    @Test
    void readOrQuarantineMovesACorruptFileAsideAndStartsEmpty() throws IOException {
        store().write(SampleSwarms.registry(3, 10, 10, 100));
        byte[] bytes = Files.readAllBytes(store().file());
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(store().file(), bytes);

        assertThat(store().readOrQuarantine()).isEmpty();

        Path quarantined = dir.resolve(CacheStore.FILE_NAME + ".corrupt-20231114T221320Z");
        assertThat(store().file()).doesNotExist();
        assertThat(Files.readAllBytes(quarantined)).isEqualTo(bytes);

        // A second corrupt file in the same second gets its own name.
        Files.write(store().file(), new byte[]{1, 2, 3});
        assertThat(store().readOrQuarantine()).isEmpty();
        assertThat(dir.resolve(CacheStore.FILE_NAME + ".corrupt-20231114T221320Z-2")).hasBinaryContent(new byte[]{1, 2, 3});
    }

    @Test
    void readOrQuarantineReturnsAGoodCache() throws IOException {
        Registry registry = SampleSwarms.registry(4, 10, 10, 100);
        store().write(registry);
        Optional<RestoredCache> contents = store().readOrQuarantine();
        assertThat(contents).isPresent();
        Registry restored = new Registry();
        contents.get().installInto(restored);
        assertThat(SampleSwarms.describeTorrents(restored)).isEqualTo(SampleSwarms.describeTorrents(registry));
    }

    @Test
    void theStreamingReaderReportsProgressUpToTheTotal() throws IOException {
        Registry registry = SampleSwarms.registry(8, 100, 2000, 100_000);
        store().write(registry);
        List<long[]> reports = new ArrayList<>();
        int[] torrents = {0};
        CacheHeader header = store().read(new CacheVisitor() {
            @Override
            public void torrent(TorrentSnapshot torrent) {
                torrents[0]++;
            }
        }, (done, total) -> reports.add(new long[]{done, total})).orElseThrow();

        assertThat(torrents[0]).isEqualTo(2000);
        assertThat(reports).hasSizeGreaterThan(1);
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
        }
        long[] last = reports.get(reports.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(header.entries());
        assertThat(store().readHeader().orElseThrow()).isEqualTo(header);
    }

    @Test
    void writesDuringAnnouncesAreAlwaysCompleteAndReadable() throws Exception {
        Registry registry = SampleSwarms.registry(21, 200, 100, 2000);
        List<Torrent> torrents = new ArrayList<>();
        registry.torrents().forEach((hash, torrent) -> {
            torrent.updateFromDatabase(0, torrent.snatched(), 1, 1, 0, TorrentType.ANIME);
            torrents.add(torrent);
        });
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> announcers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                announcers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    SwarmAnnouncer announcer = new SwarmAnnouncer();
                    AnnounceOutcome outcome = new AnnounceOutcome(0);
                    for (int i = 0; i < 30_000; i++) {
                        SwarmAnnouncer.Input in = new SwarmAnnouncer.Input();
                        in.userId = random.nextInt(50);
                        in.peerId = new byte[20];
                        in.peerId[0] = (byte) random.nextInt(40);
                        in.left = random.nextInt(3);
                        in.stopped = random.nextInt(3) == 0;
                        in.now = 1_700_000_000L + i;
                        in.peerInactivity = 3900;
                        announcer.announce(torrents.get(random.nextInt(torrents.size())), in, random, outcome);
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                CacheWriteSummary summary = store().write(registry);
                CacheContents contents = store().read().orElseThrow();
                assertThat(contents.peerCount()).isEqualTo(summary.peers());
            }
            for (Future<?> announcer : announcers) {
                announcer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Torrent largest(Registry registry) {
        Torrent[] best = {null};
        registry.torrents().forEach((hash, torrent) -> {
            if (best[0] == null || torrent.seeders() + torrent.leechers() > best[0].seeders() + best[0].leechers()) {
                best[0] = torrent;
            }
        });
        return best[0];
    }
}
