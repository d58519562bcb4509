package io.chihaya.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the fault scenarios (bench/faults/run): announces that keep a record exact
 * enough to say what MariaDB must hold afterwards, whatever happened to the tracker or the database
 * meanwhile.
 *
 * <p>Every peer reports cumulative counters. A peer's next counters are sent again, unchanged,
 * until an announce with them is answered with a 200 that is not a failure; only then does the
 * peer move on. The tracker adds {@code reported - last reported} per peer, so an announce that was
 * processed but whose answer was lost (a restart, a reset connection) adds nothing when it is
 * repeated. Hence for each user the raw bytes that must reach {@code users_main.rawup}/{@code rawdl}
 * are the sum over the user's peers of (last answered counters - first counters), exactly. After
 * the run, every peer with an unanswered announce is retried (the drain) until answered.
 *
 * <p>The dataset is the load benchmark's (bench/load/generate-dataset): user {@code u} has passkey
 * {@code LPAD(LOWER(HEX(u)), 32, '0')}, torrent {@code t} has info_hash {@code SHA1("t")}, the
 * approved client is {@code -BN0001-}. Writes {@code <record>/expected-users.tsv} (user id, raw up,
 * raw down; users with traffic only, by id) and prints a summary line starting with {@code RESULT}.
 *
 * <pre>
 * java -cp bench/jmh/target/benchmarks.jar io.chihaya.bench.FaultLoad URL USERS TORRENTS PEERS THREADS
 *      SECONDS DRAIN_SECONDS RECORD_DIR
 * </pre>
 */
public final class FaultLoad {
    private static final String CLIENT = "-BN0001-";

    private final String url;
    private final Peer[] peers;
    private final String[] hashes;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong slowOver100ms = new AtomicLong();
    private final AtomicLong maxMicros = new AtomicLong();
    private volatile String lastFailure = "";
    private volatile String lastError = "";

    /** One client of the swarm: fixed identity, counters last answered and next to send. */
    static final class Peer {
        final int index;
        final int user;
        final int torrent;
        final boolean seeder;
        final long firstUp;
        final long firstDown;
        long answeredUp;
        long answeredDown;
        long nextUp;
        long nextDown;
        boolean pending;
        boolean started;

        Peer(int index, int user, int torrent, boolean seeder, long up, long down) {
            this.index = index;
            this.user = user;
            this.torrent = torrent;
            this.seeder = seeder;
            this.firstUp = up;
            this.firstDown = down;
            this.answeredUp = up;
            this.answeredDown = down;
            this.nextUp = up;
            this.nextDown = down;
        }
    }

    FaultLoad(String url, int users, int torrents, int peerCount, long seed) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.peers = new Peer[peerCount];
        this.hashes = new String[torrents + 1];
        Random random = new Random(seed);
        double logTorrents = Math.log(torrents);
        for (int i = 0; i < peerCount; i++) {
            int user = 1 + random.nextInt(users);
            // zipf-like popularity: torrent k about k times less popular than torrent 1
            int torrent = (int) Math.min(torrents, Math.max(1, Math.exp(random.nextDouble() * logTorrents)));
            boolean seeder = random.nextDouble() < 0.6;
            long up = random.nextInt(1 << 30);
            long down = seeder ? 0 : random.nextInt(1 << 30);
            peers[i] = new Peer(i, user, torrent, seeder, up, down);
        }
    }

    private String hash(int torrent) {
        String hash = hashes[torrent];
        if (hash == null) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1")
                        .digest(Integer.toString(torrent).getBytes(StandardCharsets.US_ASCII));
                StringBuilder encoded = new StringBuilder(60);
                for (byte b : digest) {
                    encoded.append('%').append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
                }
                hash = encoded.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            hashes[torrent] = hash;
        }
        return hash;
    }

    private URI announceUri(Peer peer) {
        StringBuilder uri = new StringBuilder(256).append(url).append('/')
                .append(String.format("%032x", peer.user)).append("/announce?info_hash=").append(hash(peer.torrent))
                .append("&peer_id=").append(CLIENT).append(String.format("%012d", peer.index))
                .append("&port=").append(1024 + peer.index % 60000)
                .append("&uploaded=").append(peer.nextUp).append("&downloaded=").append(peer.nextDown)
                .append("&left=").append(peer.seeder ? 0 : 1L << 40)
                .append("&compact=1&numwant=10");
        if (!peer.started) {
            uri.append("&event=started");
        }
        return URI.create(uri.toString());
    }

    /** One announce of {@code peer}; true when it was answered (and its counters are now the tracker's). */
    private boolean announce(HttpClient client, Peer peer, Random random, long[] latencies, int[] count) {
        if (!peer.pending) {
            // The first announce (event=started) reports the first counters unchanged: the tracker
            // takes a new peer's counters as its starting point (SPEC 4.4, first deltas 0), so bytes
            // added to it would be counted here and nowhere else.
            if (peer.started) {
                peer.nextUp = peer.answeredUp + random.nextInt(1 << 20);
                peer.nextDown = peer.seeder ? peer.answeredDown : peer.answeredDown + random.nextInt(1 << 20);
            }
            peer.pending = true;
        }
        long begin = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(announceUri(peer))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            long micros = (System.nanoTime() - begin) / 1000;
            String body = new String(response.body(), StandardCharsets.ISO_8859_1);
            if (response.statusCode() != 200) {
                errors.incrementAndGet();
                lastError = "HTTP " + response.statusCode();
                return false;
            }
            if (body.startsWith("d14:failure reason")) {
                // Counted, and repeated like any unanswered announce: a failure changes no statistic.
                failures.incrementAndGet();
                lastFailure = body;
                return false;
            }
            peer.answeredUp = peer.nextUp;
            peer.answeredDown = peer.nextDown;
            peer.pending = false;
            peer.started = true;
            answered.incrementAndGet();
            if (micros > 100_000) {
                slowOver100ms.incrementAndGet();
            }
            maxMicros.accumulateAndGet(micros, Math::max);
            if (count[0] < latencies.length) {
                latencies[count[0]++] = micros;
            }
            return true;
        } catch (IOException e) {
            errors.incrementAndGet();
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private long[] run(int threads, long seconds, long drainSeconds) throws InterruptedException {
        long loadEnd = System.nanoTime() + seconds * 1_000_000_000L;
        long drainEnd = loadEnd + drainSeconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        long[][] latencies = new long[threads][];
        int[][] counts = new int[threads][1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            latencies[t] = new long[2_000_000 / threads];
            Thread worker = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2)).build();
                Random random = new Random(1000 + thread);
                List<Peer> mine = new ArrayList<>();
                for (int i = thread; i < peers.length; i += threads) {
                    mine.add(peers[i]);
                }
                int next = 0;
                while (System.nanoTime() < loadEnd) {
                    Peer peer = mine.get(next);
                    next = (next + 1) % mine.size();
                    if (!announce(client, peer, random, latencies[thread], counts[thread])) {
                        sleepQuietly(20);
                    }
                }
                // The drain: every announce still unanswered is repeated until answered.
                for (Peer peer : mine) {
                    while (peer.pending && System.nanoTime() < drainEnd) {
                        if (!announce(client, peer, random, latencies[thread], counts[thread])) {
                            sleepQuietly(100);
                        }
                    }
                }
            }, "fault-load-" + t);
            worker.start();
            workers.add(worker);
        }
        Thread reporter = new Thread(() -> {
            long begin = System.nanoTime();
            long last = 0;
            while (!Thread.currentThread().isInterrupted()) {
                sleepQuietly(5000);
                long now = answered.get();
                System.err.printf("fault-load t=%ds answered/s=%d errors=%d failures=%d last_error=%s%n",
                        (System.nanoTime() - begin) / 1_000_000_000L, (now - last) / 5, errors.get(),
                        failures.get(), lastError);
                last = now;
            }
        }, "fault-load-report");
        reporter.setDaemon(true);
        reporter.start();
        for (Thread worker : workers) {
            worker.join();
        }
        reporter.interrupt();
        int total = 0;
        for (int[] count : counts) {
            total += count[0];
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t][0]);
            at += counts[t][0];
        }
        Arrays.sort(all);
        return all;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1000.0;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: FaultLoad URL USERS TORRENTS PEERS THREADS SECONDS DRAIN_SECONDS RECORD_DIR");
            System.exit(2);
        }
        FaultLoad load = new FaultLoad(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), 42);
        long[] sorted = load.run(Integer.parseInt(args[4]), Long.parseLong(args[5]), Long.parseLong(args[6]));
        Path record = Path.of(args[7]);
        Files.createDirectories(record);
        TreeMap<Integer, long[]> byUser = new TreeMap<>();
        long pending = 0;
        long totalUp = 0;
        long totalDown = 0;
        for (Peer peer : load.peers) {
            if (peer.pending) {
                pending++;
            }
            long up = peer.answeredUp - peer.firstUp;
            long down = peer.answeredDown - peer.firstDown;
            if (peer.started && (up > 0 || down > 0)) {
                long[] sums = byUser.computeIfAbsent(peer.user, u -> new long[2]);
                sums[0] += up;
                sums[1] += down;
                totalUp += up;
                totalDown += down;
            }
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(record.resolve("expected-users.tsv")), false,
                StandardCharsets.US_ASCII)) {
            byUser.forEach((user, sums) -> out.println(user + "\t" + sums[0] + "\t" + sums[1]));
        }
        System.out.printf("RESULT answered=%d errors=%d failures=%d unanswered_at_end=%d users=%d raw_up=%d raw_down=%d"
                        + " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f over_100ms=%d last_failure=%s%n",
                load.answered.get(), load.errors.get(), load.failures.get(), pending, byUser.size(), totalUp,
                totalDown, percentileMillis(sorted, 50), percentileMillis(sorted, 99), percentileMillis(sorted, 99.9),
                load.maxMicros.get() / 1000.0, load.slowOver100ms.get(), load.lastFailure.replace(' ', '_'));
        System.exit(pending == 0 ? 0 : 1);
    }
}
