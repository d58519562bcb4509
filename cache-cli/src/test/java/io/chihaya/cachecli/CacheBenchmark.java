package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheContents;
import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.cache.CacheWriteSummary;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.AnnounceOutcome;
import io.chihaya.tracker.swarm.SwarmAnnouncer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: measures the tracker side of the cache at scale. Builds a registry of PEERS peers through
 * the announce path (50 per user, 10 per torrent on average, skewed), then times CacheStore.write and
 * CacheStore.read, and leaves the cache in DIR for timing bin/cc on it (docs/cc.md).
 *
 * <pre>
 * java -cp cache-cli/target/cc.jar:cache-cli/target/test-classes io.chihaya.cachecli.CacheBenchmark DIR [PEERS]
 * </pre>
 */
public final class CacheBenchmark {
    private CacheBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int peers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        long started = System.nanoTime();
        Registry registry = build(peers, new Random(1));
        System.out.printf("built %d peers through SwarmAnnouncer in %d ms%n", peers, (System.nanoTime() - started) / 1_000_000);

        CacheStore store = CacheStore.inDirectory(dir);
        long[] writes = new long[5];
        CacheWriteSummary summary = null;
        for (int i = 0; i < writes.length; i++) {
            summary = store.write(registry);
            writes[i] = summary.elapsed().toMillis();
        }
        long[] reads = new long[5];
        CacheContents contents = null;
        for (int i = 0; i < reads.length; i++) {
            long t = System.nanoTime();
            contents = store.read().orElseThrow();
            reads[i] = (System.nanoTime() - t) / 1_000_000;
        }
        long t = System.nanoTime();
        contents.installInto(new Registry());
        long install = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("cache: %d users, %d torrents, %d peers, %d bytes%n", summary.users(), summary.torrents(),
                summary.peers(), summary.bytes());
        System.out.printf("write (snapshot + stream + fsync + rename), ms: first %d, all %s, median %d%n", writes[0],
                Arrays.toString(writes), median(writes));
        System.out.printf("read (checksums + decode + checks), ms: first %d, all %s, median %d%n", reads[0],
                Arrays.toString(reads), median(reads));
        System.out.printf("install into a registry (Torrent.restore), ms: %d%n", install);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Registry build(int peerCount, Random random) {
        Registry registry = new Registry();
        int userCount = Math.max(1, peerCount / 50);
        int torrentCount = Math.max(1, peerCount / 10);
        List<User> users = new ArrayList<>(userCount);
        for (int i = 1; i <= userCount; i++) {
            users.add(new User(i, String.format("%032x", random.nextLong() & Long.MAX_VALUE), 1, 1, false, false));
        }
        registry.loadUsers(users);
        List<TorrentRow> rows = new ArrayList<>(torrentCount);
        for (int i = 1; i <= torrentCount; i++) {
            byte[] hash = new byte[20];
            random.nextBytes(hash);
            rows.add(new TorrentRow(i, hash, 1, 1, random.nextInt(1000), 0, i, TorrentType.ANIME, 1_700_000_000L));
        }
        registry.loadTorrents(rows, id -> 0);
        SwarmAnnouncer announcer = new SwarmAnnouncer();
        AnnounceOutcome outcome = new AnnounceOutcome(0);
        SwarmAnnouncer.Input in = new SwarmAnnouncer.Input();
        for (int i = 0; i < peerCount; i++) {
            TorrentRow row = rows.get((int) (torrentCount * Math.pow(random.nextDouble(), 2)));
            in.userId = 1 + random.nextInt(userCount);
            in.peerId = new byte[20];
            random.nextBytes(in.peerId);
            in.ip = random.nextInt();
            in.port = 1024 + random.nextInt(60000);
            in.uploaded = random.nextLong() >>> 20;
            in.downloaded = random.nextLong() >>> 20;
            in.left = random.nextInt(3) == 0 ? 0 : random.nextLong() >>> 24;
            in.now = 1_700_000_000L + random.nextInt(3600);
            in.peerInactivity = 3900;
            announcer.announce(registry.torrents().get(row.infoHash()), in, random, outcome);
        }
        return registry;
    }
}
