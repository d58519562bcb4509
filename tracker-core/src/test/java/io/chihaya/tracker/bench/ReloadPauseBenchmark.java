package io.chihaya.tracker.bench;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.db.Database;
import io.chihaya.tracker.db.DatabaseLoader;
import io.chihaya.tracker.db.Reloader;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
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
 * Measures full reloads of a large database and how long announces are held up meanwhile (issues 4
 * and 7): N torrents and M users are generated in MariaDB and loaded; a fixed population of P peers
 * (user, torrent and peer_id fixed per peer) is announced once, then announcer threads re-announce
 * random peers of it at a paced rate with growing counters while the main thread reloads several
 * times. With {@code flush} on, the tracker's own {@link Flusher} writes the changes to MariaDB as in
 * production (and the reloads pause its torrent writes as they do there), and the measured part starts
 * once the rows queued by announcing the whole population are written; off, nothing drains the queues. Not a test: run it by hand, see docs/PERFORMANCE.md.
 *
 * <p>Two figures per announce: its <em>service time</em> (the call itself) and its <em>delay</em>,
 * from the moment the pacing schedule says it should start to its end, which also counts any time the
 * thread could not run (a GC pause, another process on the CPU) before it started.
 *
 * <p>Arguments: server URL (default jdbc:mariadb://127.0.0.1:3306/?user=root), torrents (1,000,000),
 * users (100,000), reloads (5), announcer threads (1), peers (1,000,000), announces per second per
 * thread (20,000; 0 = unpaced), flush (true).
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
        int peers = args.length > 5 ? Integer.parseInt(args[5]) : 1_000_000;
        int rate = args.length > 6 ? Integer.parseInt(args[6]) : 20_000;
        boolean flush = args.length <= 7 || Boolean.parseBoolean(args[7]);
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
        System.out.printf("%,d peers, %s announces/s per thread, %d thread(s), flush %s%n", peers,
                rate == 0 ? "unpaced" : String.format("%,d", rate), threads, flush ? "on" : "off");

        String url = server.replace("/?", "/" + name + "?");
        try (Database database = new Database(url, null, null)) {
            Registry registry = new Registry();
            FlushQueues queues = new FlushQueues();
            TrackerConfig d = TrackerConfig.defaults();
            TrackerConfig config = new TrackerConfig(d.database(), d.channels(), d.intervals(), d.addr(),
                    d.adminToken(), d.proxy(), d.record(), d.scrape(), false, d.strictPort(), d.flushGroups(),
                    d.numwant(), d.maxNumwant());
            Flusher flusher = flush ? new Flusher(queues, database.jdbi(), config.channels(),
                    Flusher.Settings.of(config), TrackerMetrics.NONE) : null;
            Reloader reloader = new Reloader(new DatabaseLoader(database.jdbi()), registry, flusher, queues,
                    TrackerMetrics.NONE);
            long first = System.nanoTime();
            reloader.reload(true);
            System.out.printf("first load: %d ms%n", (System.nanoTime() - first) / 1_000_000);
            if (flusher != null) {
                flusher.start();
            }

            AnnounceService announces = new AnnounceService(config, registry, queues,
                    AnnounceObserver.NONE, () -> System.currentTimeMillis() / 1000, ThreadLocalRandom::current);
            // The population: peer i is user 1 + i % users on a torrent drawn once from the first
            // 200,000, with a peer_id of its own; 60 % are seeders.
            String[] hashes = new String[Math.min(torrents, 200_000)];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = percent(sha1(Integer.toString(i + 1)));
            }
            java.util.SplittableRandom draw = new java.util.SplittableRandom(7);
            String[] queries = new String[peers];
            User[] owners = new User[peers];
            for (int i = 0; i < peers; i++) {
                int userId = 1 + i % users;
                owners[i] = registry.user(String.format("%032X", userId));
                queries[i] = "info_hash=" + hashes[draw.nextInt(hashes.length)] + "&peer_id=-TR2940-"
                        + String.format("%012d", i) + "&port=6881&downloaded=0&left=" + (draw.nextInt(10) < 6 ? 0 : 5)
                        + "&uploaded=";
            }
            InetAddress remote = InetAddress.getLoopbackAddress();
            BencodeWriter fill = new BencodeWriter();
            long filling = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                announces.announce(owners[i], queries[i] + "0", null, remote, fill);
            }
            System.out.printf("population announced once in %d ms%n", (System.nanoTime() - filling) / 1_000_000);
            if (flusher != null) {
                // Announcing every peer at once queued a row per peer for transfer_history and transfer_ips;
                // a running tracker never has that all at once, so let the flusher write it first.
                long draining = System.nanoTime();
                while (queues.backlog().total() > 20_000 && System.nanoTime() - draining < 180_000_000_000L) {
                    Thread.sleep(200);
                }
                System.out.printf("flush backlog of the population written down to %,d rows in %d ms%n",
                        queues.backlog().total(), (System.nanoTime() - draining) / 1_000_000);
            }

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean reloading = new AtomicBoolean(false);
            AtomicLong maxServiceDuringReload = new AtomicLong();
            AtomicLong maxServiceOtherwise = new AtomicLong();
            AtomicLong maxDelayDuringReload = new AtomicLong();
            AtomicLong maxDelayOtherwise = new AtomicLong();
            AtomicLong count = new AtomicLong();
            // Of the announces delayed by more than 5 ms: their total delay, and how much of it the
            // announcer thread spent runnable but waiting for a CPU (the kernel's schedstat), which
            // tells CPU contention (other threads and processes) from pauses and locks.
            AtomicLong slowDelay = new AtomicLong();
            AtomicLong slowQueued = new AtomicLong();
            AtomicLong queuedAtLongestDuringReload = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long[][] samples = new long[threads][];
            long[][] delays = new long[threads][];
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread worker = new Thread(() -> {
                    BencodeWriter out = new BencodeWriter();
                    long[] latencies = new long[4_000_000];
                    long[] waits = new long[4_000_000];
                    int n = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long counter = 0;
                    long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
                    long due = System.nanoTime();
                    long lastQueued = runQueueWait();
                    while (running.get()) {
                        int peer = random.nextInt(peers);
                        counter += 1000;
                        String query = queries[peer] + counter;
                        if (interval > 0) {
                            due += interval;
                            long ahead = due - System.nanoTime();
                            if (ahead > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                            }
                        }
                        boolean duringReload = reloading.get();
                        long started = System.nanoTime();
                        announces.announce(owners[peer], query, null, remote, out);
                        long ended = System.nanoTime();
                        long took = ended - started;
                        long delay = interval > 0 ? ended - Math.min(due, started) : took;
                        boolean inReload = duringReload || reloading.get();
                        long queuedNow = runQueueWait();
                        long queued = queuedNow - lastQueued;
                        lastQueued = queuedNow;
                        if (delay > 5_000_000) {
                            slowDelay.addAndGet(delay);
                            slowQueued.addAndGet(Math.min(queued, delay));
                        }
                        (inReload ? maxServiceDuringReload : maxServiceOtherwise).accumulateAndGet(took, Math::max);
                        if (inReload && delay > maxDelayDuringReload.get()) {
                            queuedAtLongestDuringReload.set(Math.min(queued, delay));
                        }
                        (inReload ? maxDelayDuringReload : maxDelayOtherwise).accumulateAndGet(delay, Math::max);
                        if (n < latencies.length) {
                            latencies[n] = took;
                            waits[n++] = delay;
                        }
                        count.incrementAndGet();
                    }
                    samples[index] = Arrays.copyOf(latencies, n);
                    delays[index] = Arrays.copyOf(waits, n);
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
            long[] waited = Arrays.stream(delays).flatMapToLong(Arrays::stream).sorted().toArray();
            Arrays.sort(reloadMillis);
            System.out.printf("reloads (ms, sorted): %s; median %d%n", Arrays.toString(reloadMillis),
                    reloadMillis[reloads / 2]);
            System.out.printf("announces: %,d; service time p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", count.get(),
                    all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3, all[(int) (all.length * 0.999)] / 1e3);
            System.out.printf("delay from schedule p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n",
                    waited[waited.length / 2] / 1e3, waited[(int) (waited.length * 0.99)] / 1e3,
                    waited[(int) (waited.length * 0.999)] / 1e3);
            System.out.printf("longest announce during reloads: %.2f ms service, %.2f ms delay; at other times: "
                            + "%.2f ms service, %.2f ms delay%n", maxServiceDuringReload.get() / 1e6,
                    maxDelayDuringReload.get() / 1e6, maxServiceOtherwise.get() / 1e6, maxDelayOtherwise.get() / 1e6);
            System.out.printf("announces delayed > 5 ms: %.1f ms of delay in all, %.1f ms of it waiting for a CPU;"
                            + " the longest during reloads waited %.2f ms for a CPU%n", slowDelay.get() / 1e6,
                    slowQueued.get() / 1e6, queuedAtLongestDuringReload.get() / 1e6);
            long[] sum = {0};
            registry.torrents().forEach((h, torrent) -> sum[0] += torrent.seeders() + torrent.leechers());
            System.out.printf("peers in memory at the end: %,d; flush backlog %s%n", sum[0], queues.backlog());
            if (flusher != null) {
                flusher.stop(10_000);
            }
        }
        try (Connection admin = DriverManager.getConnection(server);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    /**
     * Nanoseconds the calling thread has spent runnable but not running (second field of
     * /proc/thread-self/schedstat), or 0 where the kernel does not tell. Since the last call, this
     * covers the wake-up after the pacing sleep and any preemption during the announce.
     */
    private static long runQueueWait() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"))
                    .trim().split(" ");
            return Long.parseLong(fields[1]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
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
