package io.chihaya.tracker.announce;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.stats.StatSink;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads announcing at once on a handful of shared torrents (SPEC 4.4 under concurrency).
 *
 * <p>Each thread drives its own peers (peer ids and ports carry the thread number) but they belong to
 * users shared by all threads, so "never return the requester's own user's peers" is checked across
 * threads. Peers start, announce with growing counters, complete and stop at random; every thread keeps
 * an exact record of what its peers did. Meanwhile a scraper reads the same torrents. After all threads
 * finish (they start together on a latch and stop after a fixed number of announces or a few seconds):
 * <ul>
 *   <li>each torrent holds exactly the peers the threads left active, on the side they left them
 *       ({@link Torrent#snapshot()} compared peer by peer, and seeder/leecher counts);</li>
 *   <li>the user deltas a thread-safe summing sink received add up, per user, to the counter increases
 *       the threads made (final minus first reported value of each peer's life in the swarm), as do
 *       the history rows per (user, torrent);</li>
 *   <li>Snatched and the snatch rows equal the number of {@code completed} announces from leechers.</li>
 * </ul>
 * While running, a response always shows at least the announcing thread's own active peers and never a
 * peer of the requester's user.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int TORRENTS = 4;
    private static final int USERS = 12;
    private static final int PEERS_PER_TORRENT = 6;
    private static final int ANNOUNCES_PER_THREAD = 6_000;
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(6);

    /** Sums what it is given; thread-safe without a shared lock. */
    static final class SummingSink implements StatSink {
        final Map<Integer, LongAdder[]> users = new ConcurrentHashMap<>();
        final Map<List<Integer>, LongAdder[]> history = new ConcurrentHashMap<>();
        final Map<Integer, LongAdder> torrentSnatches = new ConcurrentHashMap<>();
        final LongAdder snatchRows = new LongAdder();
        final LongAdder torrentRows = new LongAdder();

        private static LongAdder[] adders(int n) {
            LongAdder[] adders = new LongAdder[n];
            for (int i = 0; i < n; i++) {
                adders[i] = new LongAdder();
            }
            return adders;
        }

        @Override
        public void user(int userId, long upDelta, long downDelta, long rawUpDelta, long rawDownDelta) {
            LongAdder[] sums = users.computeIfAbsent(userId, k -> adders(4));
            sums[0].add(rawUpDelta);
            sums[1].add(rawDownDelta);
            sums[2].add(upDelta);
            sums[3].add(downDelta);
        }

        @Override
        public void torrent(int torrentId, int groupId, TorrentType type, int seeders, int leechers, int snatches,
                            long lastAction) {
            torrentRows.increment();
            torrentSnatches.computeIfAbsent(torrentId, k -> new LongAdder()).add(snatches);
        }

        @Override
        public void transferHistory(int userId, int torrentId, long rawUpDelta, long rawDownDelta, boolean seeding,
                                    long startTime, long lastAnnounce, long activeTimeDelta, long seedTimeDelta,
                                    boolean active, int snatches, long remaining) {
            LongAdder[] sums = history.computeIfAbsent(List.of(userId, torrentId), k -> adders(3));
            sums[0].add(rawUpDelta);
            sums[1].add(rawDownDelta);
            sums[2].add(snatches);
        }

        @Override
        public void snatch(int userId, int torrentId, long time) {
            snatchRows.increment();
        }

        long sum(Map<?, LongAdder[]> map, Object key, int index) {
            LongAdder[] sums = map.get(key);
            return sums == null ? 0 : sums[index].sum();
        }
    }

    /** What one thread knows about one of its peers. */
    static final class OwnPeer {
        final int userId;
        final int peerIndex;
        boolean active;
        boolean seeding;
        long uploaded;
        long downloaded;

        OwnPeer(int userId, int peerIndex) {
            this.userId = userId;
            this.peerIndex = peerIndex;
        }
    }

    /** One announcing thread and its records. */
    final class Announcer implements Runnable {
        final int number;
        final long seed;
        final Random random;
        final OwnPeer[][] peers = new OwnPeer[TORRENTS + 1][PEERS_PER_TORRENT];
        final Map<Integer, long[]> rawByUser = new HashMap<>();
        final Map<List<Integer>, long[]> rawByHistory = new HashMap<>();
        final long[] snatches = new long[TORRENTS + 1];
        int announces;

        Announcer(int number, long seed) {
            this.number = number;
            this.seed = seed;
            this.random = new Random(seed);
            for (int t = 1; t <= TORRENTS; t++) {
                for (int j = 0; j < PEERS_PER_TORRENT; j++) {
                    // users are shared between threads; a peer's key stays unique through its peer number
                    peers[t][j] = new OwnPeer(1 + (number + j) % USERS, number * 100 + j);
                }
            }
        }

        @Override
        public void run() {
            BencodeWriter out = new BencodeWriter();
            try {
                start.await();
                long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
                while (announces < ANNOUNCES_PER_THREAD && !failed.get() && System.nanoTime() < deadline) {
                    announceOnce(out);
                    announces++;
                    if (announces % 200 == 0) {
                        clock().incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                failures.add(new AssertionError("thread " + number + " (seed " + seed + ") after " + announces
                        + " announces: " + e.getMessage(), e));
                failed.set(true);
            }
        }

        private void announceOnce(BencodeWriter out) {
            int t = 1 + random.nextInt(TORRENTS);
            OwnPeer peer = peers[t][random.nextInt(PEERS_PER_TORRENT)];
            long uploaded = peer.uploaded + (random.nextInt(5) == 0 ? 0 : random.nextInt(1 << 20));
            long downloaded = peer.downloaded + (random.nextInt(5) == 0 ? 0 : random.nextInt(1 << 20));
            String event;
            long left;
            if (!peer.active) {
                event = "started";
                left = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1 << 30);
            } else {
                int roll = random.nextInt(100);
                if (roll < 8) {
                    event = "stopped";
                    left = peer.seeding ? 0 : 1 + random.nextInt(1 << 30);
                } else if (roll < 20) {
                    event = "completed";
                    left = 0;
                } else {
                    event = "";
                    left = peer.seeding || random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(1 << 30);
                }
            }
            StringBuilder query = PeerFixtures.query(TestTracker.hash(t), peer.userId, peer.peerIndex, uploaded,
                    downloaded, left);
            if (!event.isEmpty()) {
                query.append("&event=").append(event);
            }

            boolean seeding = left == 0;
            boolean snatch = event.equals("completed") && seeding && (!peer.active || !peer.seeding);
            if (peer.active) {
                long[] user = rawByUser.computeIfAbsent(peer.userId, k -> new long[2]);
                long[] history = rawByHistory.computeIfAbsent(List.of(peer.userId, t), k -> new long[2]);
                user[0] += uploaded - peer.uploaded;
                user[1] += downloaded - peer.downloaded;
                history[0] += uploaded - peer.uploaded;
                history[1] += downloaded - peer.downloaded;
            }
            if (snatch) {
                snatches[t]++;
            }
            peer.uploaded = uploaded;
            peer.downloaded = downloaded;
            peer.active = !event.equals("stopped");
            peer.seeding = seeding;

            Outcome outcome = service.announce(users[peer.userId], query, null, TestTracker.address("8.8.4.4"), out);
            Map<String, Object> response = PeerFixtures.decodeTopLevel(out.toByteArray());
            if (outcome != Outcome.OK || response.containsKey("failure reason")) {
                throw new AssertionError("announce failed: " + TestTracker.text(out.toByteArray()) + " for " + query);
            }
            int mySeeders = 0;
            int myLeechers = 0;
            for (OwnPeer own : peers[t]) {
                if (own.active) {
                    if (own.seeding) {
                        mySeeders++;
                    } else {
                        myLeechers++;
                    }
                }
            }
            long complete = (Long) response.get("complete");
            long incomplete = (Long) response.get("incomplete");
            if (complete < mySeeders || incomplete < myLeechers) {
                throw new AssertionError("response counts " + complete + " seeders, " + incomplete
                        + " leechers, but this thread alone has " + mySeeders + " and " + myLeechers + " active on torrent "
                        + t);
            }
            if (response.containsKey("peers")) {
                List<PeerFixtures.ReturnedPeer> returned = PeerFixtures.peers(response.get("peers"));
                Set<List<Integer>> seen = new HashSet<>();
                for (PeerFixtures.ReturnedPeer other : returned) {
                    if (other.userId() == peer.userId) {
                        throw new AssertionError("user " + peer.userId + " received its own peer " + other);
                    }
                    if (!seen.add(List.of(other.ip(), other.port()))) {
                        throw new AssertionError("peer " + other + " returned twice");
                    }
                }
                if (returned.size() > config().numwant()) {
                    throw new AssertionError(returned.size() + " peers for a default numwant of " + config().numwant());
                }
            } else if (!event.equals("stopped")) {
                throw new AssertionError("no peers key in " + response);
            }
        }
    }

    private final CountDownLatch start = new CountDownLatch(1);
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private TestTracker fixture;
    private AnnounceService service;
    private User[] users;

    private AtomicLong clock() {
        return fixture.clock;
    }

    private TrackerConfig config() {
        return fixture.config;
    }

    @Test
    void concurrentAnnouncesLeaveExactlyTheThreadsPeersAndSumsOfTheirDeltas() throws Exception {
        long baseSeed = PeerFixtures.seeds(0xC0C0_0000L, 1).findFirst().getAsLong();
        fixture = TestTracker.create();
        users = new User[USERS + 1];
        for (int u = 1; u <= USERS; u++) {
            users[u] = fixture.user(u);
        }
        Torrent[] torrents = new Torrent[TORRENTS + 1];
        for (int t = 1; t <= TORRENTS; t++) {
            torrents[t] = fixture.torrent(t);
        }
        SummingSink sink = new SummingSink();
        // The tracker's own per-thread random; the threads' choices come from their seeded generators.
        service = new AnnounceService(fixture.config, fixture.registry, sink, AnnounceObserver.NONE, fixture.clock::get,
                ThreadLocalRandom::current);

        List<Announcer> announcers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < THREADS; k++) {
            Announcer announcer = new Announcer(k, baseSeed + k);
            announcers.add(announcer);
            threads.add(new Thread(announcer, "announcer-" + k));
        }
        AtomicBoolean scraping = new AtomicBoolean(true);
        Thread scraper = new Thread(() -> scrapeWhileRunning(scraping), "scraper");
        threads.forEach(Thread::start);
        scraper.start();
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(TIME_LIMIT_NANOS) + 10_000);
            assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
        }
        scraping.set(false);
        scraper.join(10_000);
        assertThat(failures).as("failures in threads (base seed %d)", baseSeed).isEmpty();

        int total = announcers.stream().mapToInt(a -> a.announces).sum();
        assertThat(total).as("announces made").isGreaterThan(THREADS * 100);

        for (int t = 1; t <= TORRENTS; t++) {
            Set<String> expected = new HashSet<>();
            int seeders = 0;
            int leechers = 0;
            long snatches = 0;
            for (Announcer announcer : announcers) {
                snatches += announcer.snatches[t];
                for (OwnPeer peer : announcer.peers[t]) {
                    if (peer.active) {
                        expected.add(describe(peer.userId, PeerFixtures.peerId(peer.userId, peer.peerIndex), peer.seeding,
                                peer.uploaded, peer.downloaded));
                        if (peer.seeding) {
                            seeders++;
                        } else {
                            leechers++;
                        }
                    }
                }
            }
            Set<String> actual = new HashSet<>();
            for (PeerSnapshot peer : torrents[t].snapshot().peers()) {
                actual.add(describe(peer.userId(), peer.peerId(), peer.seeding(), peer.uploaded(), peer.downloaded()));
            }
            assertThat(actual).as("peers of torrent %d (base seed %d)", t, baseSeed).isEqualTo(expected);
            assertThat(torrents[t].seeders()).as("seeders of torrent %d", t).isEqualTo(seeders);
            assertThat(torrents[t].leechers()).as("leechers of torrent %d", t).isEqualTo(leechers);
            assertThat(torrents[t].snatched()).as("Snatched of torrent %d", t).isEqualTo(snatches);
            LongAdder rows = sink.torrentSnatches.get(t);
            assertThat(rows == null ? 0 : rows.sum()).as("snatches in torrent rows of torrent %d", t).isEqualTo(snatches);
        }
        long allSnatches = announcers.stream().mapToLong(a -> Arrays.stream(a.snatches).sum()).sum();
        assertThat(sink.snatchRows.sum()).as("snatch rows").isEqualTo(allSnatches);
        assertThat(sink.torrentRows.sum()).as("one torrent row per announce").isEqualTo(total);

        for (int u = 1; u <= USERS; u++) {
            long up = 0;
            long down = 0;
            for (Announcer announcer : announcers) {
                long[] raw = announcer.rawByUser.getOrDefault(u, new long[2]);
                up += raw[0];
                down += raw[1];
            }
            assertThat(List.of(sink.sum(sink.users, u, 0), sink.sum(sink.users, u, 1)))
                    .as("raw up/down of user %d (base seed %d)", u, baseSeed).isEqualTo(List.of(up, down));
            assertThat(List.of(sink.sum(sink.users, u, 2), sink.sum(sink.users, u, 3)))
                    .as("up/down of user %d (multipliers 1)", u).isEqualTo(List.of(up, down));
            for (int t = 1; t <= TORRENTS; t++) {
                long historyUp = 0;
                long historyDown = 0;
                for (Announcer announcer : announcers) {
                    long[] raw = announcer.rawByHistory.getOrDefault(List.of(u, t), new long[2]);
                    historyUp += raw[0];
                    historyDown += raw[1];
                }
                List<Integer> key = List.of(u, t);
                assertThat(List.of(sink.sum(sink.history, key, 0), sink.sum(sink.history, key, 1)))
                        .as("history raw up/down of user %d on torrent %d", u, t)
                        .isEqualTo(List.of(historyUp, historyDown));
            }
        }
    }

    /** Scrapes all torrents until told to stop; counts must stay within what the threads can have made. */
    private void scrapeWhileRunning(AtomicBoolean scraping) {
        BencodeWriter out = new BencodeWriter();
        StringBuilder query = new StringBuilder();
        for (int t = 1; t <= TORRENTS; t++) {
            query.append(t == 1 ? "" : "&").append("info_hash=").append(TestTracker.encode(TestTracker.hash(t)));
        }
        try {
            start.await();
            while (scraping.get() && !failed.get()) {
                fixture.scrapes.scrape(users[1], query, out);
                Map<String, Object> response = PeerFixtures.decodeTopLevel(out.toByteArray());
                Map<?, ?> files = (Map<?, ?>) response.get("files");
                if (files.size() != TORRENTS) {
                    throw new AssertionError("scrape listed " + files.size() + " torrents: " + response);
                }
                for (Object counts : files.values()) {
                    for (Object value : ((Map<?, ?>) counts).values()) {
                        long n = (Long) value;
                        if (n < 0 || n > (long) THREADS * ANNOUNCES_PER_THREAD) {
                            throw new AssertionError("scrape count " + n + " in " + response);
                        }
                    }
                }
                Thread.sleep(1);
            }
        } catch (Throwable e) {
            failures.add(new AssertionError("scraper: " + e.getMessage(), e));
            failed.set(true);
        }
    }

    private static String describe(int userId, byte[] peerId, boolean seeding, long uploaded, long downloaded) {
        return userId + "/" + new String(peerId, StandardCharsets.ISO_8859_1) + (seeding ? " seeder" : " leecher")
                + " up " + uploaded + " down " + downloaded;
    }
}
