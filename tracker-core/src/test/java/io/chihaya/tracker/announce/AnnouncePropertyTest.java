package io.chihaya.tracker.announce;

import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random announce sequences checked against a model of the swarms (SPEC 4.4 and 4.5).
 *
 * <p>A few dozen users with a few peers each announce on three torrents with random {@code left},
 * {@code event}, {@code numwant}, {@code compact} and {@code no_peer_id}, counters that mostly grow and
 * sometimes fall back (a client restart), and a clock that advances by seconds or by more than
 * {@code peer_inactivity}. The model is a map per torrent keyed by (user, peer number). After every
 * announce:
 * <ul>
 *   <li>{@code complete}/{@code incomplete}/{@code downloaded} equal the model's seeders, leechers and
 *       snatches and the torrent's own {@link Torrent#seeders()}/{@link Torrent#leechers()}/{@link Torrent#snatched()};</li>
 *   <li>{@code peers} is absent exactly when the event is stopped or numwant is 0; otherwise it holds
 *       only peers in the swarm, none of the requester's user, none twice, as many as are eligible up
 *       to min(numwant, max_numwant); a seeder gets only leechers; a leecher gets seeders first, at most
 *       one per user, then leechers (each user announces from its own address and each peer number from
 *       its own port, so a compact peer names its owner);</li>
 *   <li>the sink got exactly this announce's rows: user deltas equal the positive counter increases,
 *       history and IP rows carry the model's deltas, times and state, a snatch exactly when a leecher
 *       or new peer completes.</li>
 * </ul>
 * At the end the user deltas summed per user equal the sum of positive counter increases.
 *
 * <p>Each run is a function of its seed, printed in every failure; replay one with {@code -Dseed=N}.
 * numwant stays below 2^63 here; {@link #bugHugeNumwantIsCappedNotWrapped} covers the values above
 * (they used to wrap negative).
 */
class AnnouncePropertyTest {
    private static final int TORRENTS = 3;
    private static final int ANNOUNCES_PER_RUN = 1_200;

    static LongStream seeds() {
        return PeerFixtures.seeds(0xA77_0000L, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyAnnounceAgreesWithTheModel(long seed) {
        new Run(seed).go(ANNOUNCES_PER_RUN);
    }

    /**
     * BUG: a numwant of 2^63 or more (still an unsigned 64-bit number) wraps around. QueryParser keeps it
     * as a negative long, AnnounceService.numwant takes {@code Math.min(wanted, maxNumwant)} of that
     * negative value and casts it to int: 2^63 gives 0 peers and no {@code peers} key, 2^63+1 gives one
     * peer, 2^64-2 gives none. SPEC 4.1 caps numwant at max_numwant (or, read as out of range, treats it
     * as missing): the response must carry max_numwant or numwant peers, never fewer.
     */
    @ParameterizedTest(name = "numwant={0}")
    @ValueSource(strings = {"9223372036854775808", "9223372036854775809",
            "9223372036854775857", "18446744073709551614", "4294967296", "9223372036854775807"})
    void bugHugeNumwantIsCappedNotWrapped(String numwant) {
        TestTracker tracker = TestTracker.create();
        tracker.torrent(1);
        for (int u = 1; u <= 60; u++) {
            tracker.announce(tracker.user(u), PeerFixtures.query(TestTracker.hash(1), u, 0, 0, 0, 0).toString());
        }
        User leecher = tracker.user(100);
        String query = PeerFixtures.query(TestTracker.hash(1), 100, 0, 0, 0, 1000) + "&numwant=" + numwant;
        Map<String, Object> response = TestTracker.decode(tracker.announce(leecher, query));
        assertThat(response).as("response to numwant=%s", numwant).containsKey("peers");
        int returned = ((String) response.get("peers")).length() / 6;
        assertThat(returned).as("peers returned for numwant=%s (60 eligible)", numwant)
                .isIn(tracker.config.numwant(), tracker.config.maxNumwant());
    }

    record PeerKey(int userId, int peerIndex) {
    }

    /** What the tracker should remember of a peer. */
    record ModelPeer(boolean seeding, long uploaded, long downloaded, long startTime, long lastAnnounce) {
    }

    /** The counters a client would report: they survive a stop, as a real client's would. */
    static final class ClientCounters {
        long uploaded;
        long downloaded;
    }

    private static final class Run {
        final long seed;
        final Random random;
        final TrackerConfig config;
        final TestTracker tracker;
        final int userCount;
        final int[] peersOfUser;
        final User[] users;
        final Torrent[] torrents = new Torrent[TORRENTS + 1];
        final List<Map<PeerKey, ModelPeer>> swarms = new ArrayList<>();
        final long[] snatched = new long[TORRENTS + 1];
        final long[] lastAction = new long[TORRENTS + 1];
        final Map<List<Integer>, ClientCounters> clients = new HashMap<>();
        final Map<Integer, long[]> expectedRawByUser = new HashMap<>();
        int step;
        String query = "";

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            int[][] peerCounts = {{25, 50}, {5, 8}, {1, 3}, {50, 50}, {0, 10}};
            int[] counts = peerCounts[random.nextInt(peerCounts.length)];
            TrackerConfig defaults = TrackerConfig.defaults().withNumwant(counts[0], counts[1]);
            TrackerConfig.Intervals i = defaults.intervals();
            config = defaults.withIntervals(new TrackerConfig.Intervals(i.announce(), i.minAnnounce(),
                    i.peerInactivity(), 0, i.scrape(), i.databaseReload(), i.databaseSerialize(),
                    i.purgeInactivePeers(), i.flush()));
            tracker = new TestTracker(config, random.nextLong());
            userCount = 4 + random.nextInt(37);
            peersOfUser = new int[userCount + 1];
            users = new User[userCount + 1];
            for (int u = 1; u <= userCount; u++) {
                peersOfUser[u] = 1 + random.nextInt(3);
                users[u] = tracker.user(u);
            }
            swarms.add(null);
            for (int t = 1; t <= TORRENTS; t++) {
                torrents[t] = tracker.torrent(t);
                swarms.add(new HashMap<>());
            }
        }

        String where() {
            return "seed=" + seed + " (replay: -Dseed=" + seed + "), announce " + step + ": " + query;
        }

        void check(boolean ok, String what, Object... args) {
            if (!ok) {
                throw new AssertionError(String.format(what, args) + "; " + where());
            }
        }

        void go(int announces) {
            for (step = 1; step <= announces; step++) {
                announceOnce();
            }
            for (int u = 1; u <= userCount; u++) {
                long[] expected = expectedRawByUser.getOrDefault(u, new long[2]);
                long up = 0;
                long down = 0;
                for (RecordingSink.UserChange change : allUserChanges) {
                    if (change.userId() == u) {
                        up += change.rawUp();
                        down += change.rawDown();
                    }
                }
                check(up == expected[0] && down == expected[1],
                        "user %d: sink got raw up/down %d/%d in total, counters rose by %d/%d", u, up, down,
                        expected[0], expected[1]);
            }
        }

        final List<RecordingSink.UserChange> allUserChanges = new ArrayList<>();

        private void advanceClock() {
            int roll = random.nextInt(100);
            long seconds = roll < 70 ? random.nextInt(60) : roll < 95 ? random.nextInt(2_000) : 3_000 + random.nextInt(3_000);
            tracker.clock.addAndGet(seconds);
        }

        private void evolve(ClientCounters counters) {
            int roll = random.nextInt(100);
            if (roll < 80) {
                counters.uploaded += random.nextInt(4) == 0 ? 0 : random.nextLong(1_000_000_000L);
                counters.downloaded += random.nextInt(4) == 0 ? 0 : random.nextLong(1_000_000_000L);
            } else if (roll < 90) {
                // a restarted client reports less than before: a negative delta, which counts as 0
                counters.uploaded = random.nextBoolean() ? 0 : random.nextLong(counters.uploaded + 1);
                counters.downloaded = random.nextBoolean() ? 0 : random.nextLong(counters.downloaded + 1);
            } else if (roll < 92) {
                counters.uploaded += 1L << 40;
            }
        }

        private void announceOnce() {
            advanceClock();
            long now = tracker.clock.get();
            int t = 1 + random.nextInt(TORRENTS);
            int u = 1 + random.nextInt(userCount);
            int i = random.nextInt(peersOfUser[u]);
            PeerKey key = new PeerKey(u, i);
            Map<PeerKey, ModelPeer> swarm = swarms.get(t);
            ClientCounters counters = clients.computeIfAbsent(List.of(t, u, i), k -> new ClientCounters());
            evolve(counters);
            long left = random.nextInt(100) < 45 ? 0 : 1 + random.nextLong(10_000_000_000L);

            StringBuilder q = PeerFixtures.queryWithoutAddress(TestTracker.hash(t), u, i, counters.uploaded,
                    counters.downloaded, left);
            String ip = PeerFixtures.ipText(PeerFixtures.userIp(u));
            int addressRoll = random.nextInt(10);
            if (addressRoll < 7) {
                q.append("&ip=").append(ip);
            } else if (addressRoll < 9) {
                q.append("&ipv4=").append(ip);
            } else {
                q.append("&ipv4=").append(ip).append("&ip=").append(ip);
            }
            String event = pickEvent();
            if (event != null) {
                q.append("&event=").append(event);
            }
            int wanted;
            int numwantRoll = random.nextInt(10);
            if (numwantRoll < 3) {
                wanted = config.numwant();
            } else {
                int asked = numwantRoll == 3 ? 0 : random.nextInt(2 * config.maxNumwant() + 3);
                q.append("&numwant=").append(asked);
                wanted = Math.min(asked, config.maxNumwant());
            }
            int compactRoll = random.nextInt(10);
            boolean compact = compactRoll >= 6;
            if (compactRoll < 6) {
                q.append("&compact=0");
            } else if (compactRoll < 8) {
                q.append("&compact=1");
            }
            boolean noPeerId = random.nextInt(10) < 3;
            if (noPeerId) {
                q.append("&no_peer_id=1");
            }
            query = q.toString();

            boolean stopped = "stopped".equals(event);
            boolean completed = "completed".equals(event);
            boolean seeding = left == 0;
            ModelPeer before = swarm.get(key);
            long rawUp = before == null ? 0 : Math.max(0, counters.uploaded - before.uploaded());
            long rawDown = before == null ? 0 : Math.max(0, counters.downloaded - before.downloaded());
            long elapsed = before == null ? 0 : now - before.lastAnnounce();
            long activeTime = elapsed > config.intervals().peerInactivity() ? 0 : elapsed;
            boolean snatch = completed && seeding && (before == null || !before.seeding());
            long startTime = before == null ? now : before.startTime();
            if (stopped) {
                swarm.remove(key);
            } else {
                swarm.put(key, new ModelPeer(seeding, counters.uploaded, counters.downloaded, startTime, now));
            }
            if (snatch) {
                snatched[t]++;
            }
            if (seeding) {
                lastAction[t] = Math.max(lastAction[t], now);
            }
            long[] totals = expectedRawByUser.computeIfAbsent(u, k -> new long[2]);
            totals[0] += rawUp;
            totals[1] += rawDown;

            tracker.sink.clear();
            byte[] response = tracker.announce(users[u], query);
            Map<String, Object> top;
            try {
                top = PeerFixtures.decodeTopLevel(response);
            } catch (RuntimeException e) {
                throw new AssertionError("response is not valid bencode: " + TestTracker.text(response) + "; " + where(), e);
            }
            check(!top.containsKey("failure reason"), "announce failed: %s", TestTracker.text(response));

            int seeders = 0;
            int leechers = 0;
            for (ModelPeer peer : swarm.values()) {
                if (peer.seeding()) {
                    seeders++;
                } else {
                    leechers++;
                }
            }
            Torrent torrent = torrents[t];
            check(Long.valueOf(seeders).equals(top.get("complete")) && torrent.seeders() == seeders,
                    "complete %s, torrent says %d seeders, model %d", top.get("complete"), torrent.seeders(), seeders);
            check(Long.valueOf(leechers).equals(top.get("incomplete")) && torrent.leechers() == leechers,
                    "incomplete %s, torrent says %d leechers, model %d", top.get("incomplete"), torrent.leechers(),
                    leechers);
            check(Long.valueOf(snatched[t]).equals(top.get("downloaded")) && torrent.snatched() == snatched[t],
                    "downloaded %s, torrent says %d, model %d", top.get("downloaded"), torrent.snatched(), snatched[t]);
            check(Long.valueOf(config.intervals().announce()).equals(top.get("interval"))
                            && Long.valueOf(config.intervals().minAnnounce()).equals(top.get("min interval")),
                    "intervals %s / %s", top.get("interval"), top.get("min interval"));

            boolean peersExpected = !stopped && wanted > 0;
            check(top.containsKey("peers") == peersExpected, "peers present: %s, expected %s (numwant %d)",
                    top.containsKey("peers"), peersExpected, wanted);
            check(top.size() == (peersExpected ? 6 : 5), "unexpected keys %s", top.keySet());
            if (peersExpected) {
                checkPeers(PeerFixtures.peers(top.get("peers")), swarm, u, seeding, wanted, compact, noPeerId);
            }

            checkSink(t, u, i, seeding, stopped, snatch, rawUp, rawDown, activeTime, before, startTime, left, now,
                    seeders, leechers);
        }

        private String pickEvent() {
            int roll = random.nextInt(100);
            if (roll < 50) {
                return null;
            }
            if (roll < 60) {
                return "started";
            }
            if (roll < 77) {
                return "completed";
            }
            if (roll < 87) {
                return "stopped";
            }
            if (roll < 93) {
                return "";
            }
            return "paused";
        }

        private void checkPeers(List<PeerFixtures.ReturnedPeer> returned, Map<PeerKey, ModelPeer> swarm, int u,
                                boolean seeding, int wanted, boolean compact, boolean noPeerId) {
            Set<Integer> seederUsers = new HashSet<>();
            int otherLeechers = 0;
            for (Map.Entry<PeerKey, ModelPeer> entry : swarm.entrySet()) {
                if (entry.getKey().userId() == u) {
                    continue;
                }
                if (entry.getValue().seeding()) {
                    seederUsers.add(entry.getKey().userId());
                } else {
                    otherLeechers++;
                }
            }
            int expectedSeeders = seeding ? 0 : Math.min(wanted, seederUsers.size());
            int expectedLeechers = Math.min(wanted - expectedSeeders, otherLeechers);
            check(returned.size() == expectedSeeders + expectedLeechers,
                    "%d peers returned, expected %d seeders + %d leechers (numwant %d, %s; eligible: seeders of %d users, %d leechers): %s",
                    returned.size(), expectedSeeders, expectedLeechers, wanted, seeding ? "seeder" : "leecher",
                    seederUsers.size(), otherLeechers, returned);
            Set<PeerKey> seen = new HashSet<>();
            Set<Integer> usersOfSeeders = new HashSet<>();
            for (int n = 0; n < returned.size(); n++) {
                PeerFixtures.ReturnedPeer peer = returned.get(n);
                PeerKey key = new PeerKey(peer.userId(), peer.peerIndex());
                ModelPeer inSwarm = swarm.get(key);
                check(inSwarm != null, "peer %s (%s) is not in the swarm", peer, key);
                check(key.userId() != u, "peer %s is the requester's own user's", peer);
                check(seen.add(key), "peer %s returned twice", peer);
                if (compact) {
                    check(peer.peerId() == null, "compact peer with a peer id");
                } else if (noPeerId) {
                    check(peer.peerId() == null, "no_peer_id=1 but peer %s has a peer id", peer);
                } else {
                    check(PeerFixtures.samePeerId(peer.peerId(), key.userId(), key.peerIndex()),
                            "peer %s has the wrong peer id", peer);
                }
                boolean shouldSeed = n < expectedSeeders;
                check(inSwarm.seeding() == shouldSeed, "peer %d of the response (%s) is a %s, expected a %s "
                                + "(a seeder gets leechers; a leecher gets seeders first)", n, peer,
                        inSwarm.seeding() ? "seeder" : "leecher", shouldSeed ? "seeder" : "leecher");
                if (inSwarm.seeding()) {
                    check(usersOfSeeders.add(key.userId()), "two seeders of user %d returned to a leecher",
                            key.userId());
                }
            }
        }

        private void checkSink(int t, int u, int i, boolean seeding, boolean stopped, boolean snatch, long rawUp,
                               long rawDown, long activeTime, ModelPeer before, long startTime, long left, long now,
                               int seeders, int leechers) {
            List<RecordingSink.UserChange> userChanges = tracker.sink.of(RecordingSink.UserChange.class);
            allUserChanges.addAll(userChanges);
            if ((rawUp | rawDown) == 0) {
                check(userChanges.isEmpty(), "user rows without any delta: %s", userChanges);
            } else {
                check(userChanges.equals(List.of(new RecordingSink.UserChange(u, rawUp, rawDown, rawUp, rawDown))),
                        "user rows %s, expected raw up/down %d/%d (multipliers are all 1)", userChanges, rawUp, rawDown);
            }
            List<RecordingSink.TorrentChange> torrentChanges = tracker.sink.of(RecordingSink.TorrentChange.class);
            RecordingSink.TorrentChange torrentChange = new RecordingSink.TorrentChange(t, t, TorrentType.ANIME,
                    seeders, leechers, snatch ? 1 : 0, lastAction[t]);
            check(torrentChanges.equals(List.of(torrentChange)), "torrent rows %s, expected %s", torrentChanges,
                    torrentChange);

            List<RecordingSink.HistoryChange> history = tracker.sink.of(RecordingSink.HistoryChange.class);
            check(history.size() == 1, "history rows %s", history);
            RecordingSink.HistoryChange h = history.get(0);
            check(h.userId() == u && h.torrentId() == t && h.rawUp() == rawUp && h.rawDown() == rawDown
                            && h.seeding() == seeding && h.startTime() == startTime && h.lastAnnounce() == now
                            && h.activeTime() == activeTime && h.active() == !stopped && h.snatches() == (snatch ? 1 : 0)
                            && h.remaining() == left,
                    "history row %s, expected user %d torrent %d raw %d/%d seeding %s start %d last %d active time %d "
                            + "active %s snatches %d remaining %d", h, u, t, rawUp, rawDown, seeding, startTime, now,
                    activeTime, !stopped, snatch ? 1 : 0, left);
            // Seed time is the active time when the peer seeds on both sides of the interval and 0 when
            // it leeches on both; the transitions are left to the rule tests.
            if (before != null && before.seeding() && seeding) {
                check(h.seedTime() == activeTime, "seed time %d of a seeder, active time %d", h.seedTime(), activeTime);
            } else if (!seeding && (before == null || !before.seeding())) {
                check(h.seedTime() == 0, "seed time %d of a leecher", h.seedTime());
            } else {
                check(h.seedTime() == 0 || h.seedTime() == activeTime, "seed time %d, active time %d", h.seedTime(),
                        activeTime);
            }

            List<RecordingSink.IpChange> ips = tracker.sink.of(RecordingSink.IpChange.class);
            RecordingSink.IpChange ipChange = new RecordingSink.IpChange(u, t, PeerFixtures.userIp(u), 1,
                    PeerFixtures.port(i), rawUp, rawDown, startTime, now);
            check(ips.equals(List.of(ipChange)), "IP rows %s, expected %s", ips, ipChange);

            List<RecordingSink.Snatch> snatches = tracker.sink.of(RecordingSink.Snatch.class);
            check(snatches.equals(snatch ? List.of(new RecordingSink.Snatch(u, t, now)) : List.of()),
                    "snatch rows %s, snatch expected: %s", snatches, snatch);
            check(tracker.sink.of(RecordingSink.Unprune.class).isEmpty(), "unprune of an active torrent");
        }
    }
}
