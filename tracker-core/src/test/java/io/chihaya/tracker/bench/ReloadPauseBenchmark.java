package io.chihaya.tracker.bench;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.db.Database;
import io.chihaya.tracker.db.DatabaseLoader;
import io.chihaya.tracker.db.Reloader;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.stats.TrackerMetrics;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures full reloads of a large database and the longest time any announce took meanwhile
 * (issue 4): N torrents and M users are generated in MariaDB, then announcer threads run while the
 * main thread reloads several times. Not a test: run it by hand, see docs/PERFORMANCE.md.
 *
 * <p>Arguments: server URL (default jdbc:mariadb://127.0.0.1:3306/?user=root), torrents (1,000,000),
 * users (100,000), reloads (5), announcer threads (1).
 */
public final class ReloadPauseBenchmark {
    private ReloadPauseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "jdbc:mariadb://127.0.0.1:3306/?user=root";
        int torrents = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int reloads = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        String name = "chihaya_reload_bench";
        long generation = System.nanoTime();
        try (Connection admin = DriverManager.getConnection(server);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
            statement.execute("USE " + name);
            String schema = java.nio.file.Files.readString(java.nio.file.Path.of("database/schema.sql"));
            for (String sql : schema.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
            statement.execute("INSERT INTO approved_clients (id, peer_id) VALUES (1, '-TR2')");
            statement.execute("INSERT INTO users_main (ID, Enabled, torrent_pass, rawup, rawdl) SELECT seq, '1',"
                    + " LPAD(HEX(seq), 32, '0'), 0, 0 FROM seq_1_to_" + users);
            statement.execute("INSERT INTO torrents (ID, GroupID, info_hash) SELECT seq, seq, UNHEX(SHA1(seq))"
                    + " FROM seq_1_to_" + torrents);
        }
        System.out.printf("generated %,d torrents and %,d users in %d ms%n", torrents, users,
                (System.nanoTime() - generation) / 1_000_000);

        String url = server.replace("/?", "/" + name + "?");
        try (Database database = new Database(url, null, null)) {
            Registry registry = new Registry();
            FlushQueues queues = new FlushQueues();
            Reloader reloader = new Reloader(new DatabaseLoader(database.jdbi()), registry, null, queues,
                    TrackerMetrics.NONE);
            long first = System.nanoTime();
            reloader.reload(true);
            System.out.printf("first load: %d ms%n", (System.nanoTime() - first) / 1_000_000);

            AnnounceService announces = new AnnounceService(TrackerConfig.defaults(), registry, queues,
                    AnnounceObserver.NONE, () -> System.currentTimeMillis() / 1000, ThreadLocalRandom::current);
            String[] hashes = new String[Math.min(torrents, 200_000)];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = percent(sha1(Integer.toString(i + 1)));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean reloading = new AtomicBoolean(false);
            AtomicLong maxDuringReload = new AtomicLong();
            AtomicLong maxOtherwise = new AtomicLong();
            AtomicLong count = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long[][] samples = new long[threads][];
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread worker = new Thread(() -> {
                    BencodeWriter out = new BencodeWriter();
                    long[] latencies = new long[4_000_000];
                    int n = 0;
                    InetAddress remote = InetAddress.getLoopbackAddress();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long counter = 0;
                    while (running.get()) {
                        int userId = 1 + random.nextInt(users);
                        User user = registry.user(String.format("%032X", userId));
                        String hash = hashes[random.nextInt(hashes.length)];
                        counter += 1000;
                        String query = "info_hash=" + hash + "&peer_id=-TR2940-" + String.format("%012d", userId)
                                + "&port=6881&uploaded=" + counter + "&downloaded=0&left=" + (random.nextBoolean() ? 0 : 5);
                        boolean duringReload = reloading.get();
                        long started = System.nanoTime();
                        announces.announce(user, query, null, remote, out);
                        long took = System.nanoTime() - started;
                        (duringReload || reloading.get() ? maxDuringReload : maxOtherwise).accumulateAndGet(took, Math::max);
                        if (n < latencies.length) {
                            latencies[n++] = took;
                        }
                        count.incrementAndGet();
                    }
                    samples[index] = Arrays.copyOf(latencies, n);
                }, "announcer-" + t);
                worker.start();
                workers.add(worker);
            }
            Thread.sleep(3_000);
            long[] reloadMillis = new long[reloads];
            for (int r = 0; r < reloads; r++) {
                reloading.set(true);
                long started = System.nanoTime();
                reloader.reload(false);
                reloadMillis[r] = (System.nanoTime() - started) / 1_000_000;
                reloading.set(false);
                Thread.sleep(2_000);
            }
            running.set(false);
            for (Thread worker : workers) {
                worker.join();
            }
            long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
            Arrays.sort(reloadMillis);
            System.out.printf("reloads (ms, sorted): %s; median %d%n", Arrays.toString(reloadMillis),
                    reloadMillis[reloads / 2]);
            System.out.printf("announces: %,d; p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", count.get(),
                    all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3, all[(int) (all.length * 0.999)] / 1e3);
            System.out.printf("longest announce during reloads: %.2f ms; at other times: %.2f ms%n",
                    maxDuringReload.get() / 1e6, maxOtherwise.get() / 1e6);
            long peers = 0;
            final long[] sum = {0};
            registry.torrents().forEach((h, torrent) -> sum[0] += torrent.seeders() + torrent.leechers());
            peers = sum[0];
            System.out.printf("peers in memory at the end: %,d%n", peers);
        }
        try (Connection admin = DriverManager.getConnection(server);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static byte[] sha1(String text) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }
}
