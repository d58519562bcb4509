package io.chihaya.tracker.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based test of {@link Swarm}: random sequences of add / remove / setSeeding / purge / find are
 * applied both to a swarm and to a plain {@link HashMap} keyed by (user id, peer id), and after each step
 * the swarm must agree with the map: sizes, seeder and leecher counts, what {@code find} returns, and
 * every peer sitting at the array slot its {@code position} names. Swarms grow to a few thousand peers
 * and shrink back (so arrays and index resize both ways), and thousands of tiny swarms exercise the
 * smallest tables, where probe chains wrap around. Last-announce times straddle 2^31 so that purging
 * must compare them unsigned.
 *
 * <p>Each run is a function of its seed, printed in every failure; replay one with {@code -Dseed=N}.
 */
class SwarmModelTest {
    /** The model's key: what the swarm promises to key peers by. */
    record Key(int userId, long high, long mid, int low) {
        static Key of(Peer peer) {
            return new Key(peer.userId, peer.idHigh, peer.idMid, peer.idLow);
        }
    }

    /** What the model expects of one peer (kept apart from the peer's own, swarm-managed fields). */
    static final class Expected {
        final Peer peer;
        boolean seeding;
        long lastAnnounce;
        int listIndex;

        Expected(Peer peer, boolean seeding, long lastAnnounce) {
            this.peer = peer;
            this.seeding = seeding;
            this.lastAnnounce = lastAnnounce;
        }
    }

    /** A swarm, its model, and the random walk over them. */
    static final class Run {
        final long seed;
        final Random random;
        final Swarm swarm = new Swarm();
        final Map<Key, Expected> model = new HashMap<>();
        /** The model's keys, for picking a random present peer in O(1). */
        final List<Key> keys = new ArrayList<>();
        final int userRange;
        final long[] idPool;
        long now;
        int step;
        int expectedSeeders;
        /** The last operation and its argument, kept as objects: text is only built for a failure. */
        String operation = "nothing";
        Object operand = "";

        Run(long seed, int userRange) {
            this.seed = seed;
            this.random = new Random(seed);
            this.userRange = userRange;
            // A small pool of id parts, so that keys often differ in one part only (or only in the user).
            idPool = new long[3 + random.nextInt(6)];
            for (int i = 0; i < idPool.length; i++) {
                idPool[i] = random.nextLong();
            }
            idPool[0] = 0;
            // Times start just below 2^31: as ints they turn negative part-way through the run.
            now = (1L << 31) - 2_000 + random.nextInt(4_000);
        }

        /** Described lazily in failure messages (assertion descriptions format their arguments on failure only). */
        @Override
        public String toString() {
            return where();
        }

        String where() {
            return "seed=" + seed + " (replay: -Dseed=" + seed + ") step " + step + " after " + operation + " " + operand
                    + ", model size " + model.size();
        }

        void note(String operation, Object operand) {
            this.operation = operation;
            this.operand = operand;
        }

        Key randomKey() {
            int userId = random.nextInt(10) == 0 ? random.nextInt() : random.nextInt(userRange);
            long high = random.nextInt(4) == 0 ? random.nextLong() : idPool[random.nextInt(idPool.length)];
            long mid = random.nextInt(4) == 0 ? random.nextLong() : idPool[random.nextInt(idPool.length)];
            int low = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(idPool.length * 4);
            return new Key(userId, high, mid, low);
        }

        Key absentKey() {
            while (true) {
                Key key = randomKey();
                if (!model.containsKey(key)) {
                    return key;
                }
            }
        }

        Key presentKey() {
            return keys.get(random.nextInt(keys.size()));
        }

        void add() {
            Key key = absentKey();
            Peer peer = new Peer(key.userId, key.high, key.mid, key.low);
            peer.seeding = random.nextBoolean();
            peer.lastAnnounce = (int) now;
            note(peer.seeding ? "add as seeder" : "add as leecher", key);
            swarm.add(peer);
            Expected expected = new Expected(peer, peer.seeding, now);
            expected.listIndex = keys.size();
            keys.add(key);
            model.put(key, expected);
            if (peer.seeding) {
                expectedSeeders++;
            }
            checkCounts();
            checkPeer(key, expected);
        }

        void remove() {
            Key key = presentKey();
            Expected expected = model.get(key);
            note("remove", key);
            swarm.remove(expected.peer);
            forget(key, expected);
            checkCounts();
            if (swarm.find(key.userId, key.high, key.mid, key.low) != null) {
                fail("removed peer %s still found", key);
            }
        }

        void setSeeding() {
            Key key = presentKey();
            Expected expected = model.get(key);
            boolean seeding = random.nextInt(4) == 0 ? expected.seeding : !expected.seeding;
            note(seeding ? "setSeeding(true)" : "setSeeding(false)", key);
            swarm.setSeeding(expected.peer, seeding);
            if (seeding != expected.seeding) {
                expectedSeeders += seeding ? 1 : -1;
            }
            expected.seeding = seeding;
            checkCounts();
            checkPeer(key, expected);
        }

        /** An announce without a move: only the time changes, which later purges look at. */
        void touch() {
            Key key = presentKey();
            Expected expected = model.get(key);
            note("touch", key);
            expected.peer.lastAnnounce = (int) now;
            expected.lastAnnounce = now;
        }

        void find() {
            if (!keys.isEmpty() && random.nextBoolean()) {
                Key key = presentKey();
                note("find present", key);
                if (swarm.find(key.userId, key.high, key.mid, key.low) != model.get(key).peer) {
                    fail("find %s did not return its peer", key);
                }
            } else {
                Key key = absentKey();
                note("find absent", key);
                if (swarm.find(key.userId, key.high, key.mid, key.low) != null) {
                    fail("find %s (never added) returned a peer", key);
                }
            }
        }

        /** Purges with a cutoff that removes the peers idle for longer than a random part of the history. */
        void purge(long age) {
            long cutoff = now - age;
            note("purgeOlderThan", cutoff);
            List<Key> stale = new ArrayList<>();
            for (Map.Entry<Key, Expected> entry : model.entrySet()) {
                if (entry.getValue().lastAnnounce < cutoff) {
                    stale.add(entry.getKey());
                }
            }
            int removed = swarm.purgeOlderThan(cutoff);
            for (Key key : stale) {
                forget(key, model.get(key));
            }
            if (removed != stale.size()) {
                fail("purge removed %d peers, model says %d", removed, stale.size());
            }
            checkCounts();
            for (Key key : stale) {
                if (swarm.find(key.userId, key.high, key.mid, key.low) != null) {
                    fail("purged peer %s still found", key);
                }
            }
        }

        private void forget(Key key, Expected expected) {
            model.remove(key);
            Key last = keys.remove(keys.size() - 1);
            if (!last.equals(key)) {
                keys.set(expected.listIndex, last);
                model.get(last).listIndex = expected.listIndex;
            }
            if (expected.seeding) {
                expectedSeeders--;
            }
        }

        /** Throws with the step, the last operation and the seed; formats only on failure. */
        void fail(String what, Object... args) {
            throw new AssertionError(String.format(what, args) + "; " + where());
        }

        void checkCounts() {
            if (swarm.size() != model.size() || swarm.seeders() != expectedSeeders
                    || swarm.leechers() != model.size() - expectedSeeders) {
                fail("swarm has %d seeders + %d leechers = %d, model %d + %d = %d", swarm.seeders(), swarm.leechers(),
                        swarm.size(), expectedSeeders, model.size() - expectedSeeders, model.size());
            }
        }

        void checkPeer(Key key, Expected expected) {
            Peer peer = expected.peer;
            Peer found = swarm.find(key.userId, key.high, key.mid, key.low);
            if (found != peer) {
                fail("find %s returned %s", key, found == null ? null : Key.of(found));
            }
            if (peer.seeding != expected.seeding) {
                fail("%s has seeding=%s, expected %s", key, peer.seeding, expected.seeding);
            }
            int count = peer.seeding ? swarm.seeders() : swarm.leechers();
            if (peer.position < 0 || peer.position >= count) {
                fail("%s has position %d outside [0, %d)", key, peer.position, count);
            }
            Peer atPosition = peer.seeding ? swarm.seederAt(peer.position) : swarm.leecherAt(peer.position);
            if (atPosition != peer) {
                fail("%s has position %d but that slot holds %s", key, peer.position,
                        atPosition == null ? null : Key.of(atPosition));
            }
        }

        /** Everything: both arrays slot by slot, every model peer found, forEach in array order. */
        void checkAll() {
            checkCounts();
            IdentityHashMap<Peer, Boolean> seen = new IdentityHashMap<>(model.size() * 2);
            for (int i = 0; i < swarm.seeders(); i++) {
                checkSlot(swarm.seederAt(i), i, true, seen);
            }
            for (int i = 0; i < swarm.leechers(); i++) {
                checkSlot(swarm.leecherAt(i), i, false, seen);
            }
            for (Map.Entry<Key, Expected> entry : model.entrySet()) {
                Key key = entry.getKey();
                Peer found = swarm.find(key.userId, key.high, key.mid, key.low);
                if (found != entry.getValue().peer) {
                    fail("find %s returned %s", key, found == null ? null : Key.of(found));
                }
            }
            int[] visited = {0};
            swarm.forEach(peer -> {
                int i = visited[0]++;
                Peer expected = i < swarm.seeders() ? swarm.seederAt(i)
                        : i < swarm.size() ? swarm.leecherAt(i - swarm.seeders()) : null;
                if (peer != expected) {
                    fail("forEach visited %s as peer %d", Key.of(peer), i);
                }
            });
            if (visited[0] != model.size()) {
                fail("forEach visited %d peers, model has %d", visited[0], model.size());
            }
        }

        private void checkSlot(Peer peer, int slot, boolean seeding, IdentityHashMap<Peer, Boolean> seen) {
            String side = seeding ? "seeder" : "leecher";
            if (peer == null) {
                fail("%s slot %d is empty", side, slot);
            }
            if (peer.position != slot || peer.seeding != seeding) {
                fail("%s slot %d holds %s with position %d, seeding=%s", side, slot, Key.of(peer), peer.position,
                        peer.seeding);
            }
            if (seen.put(peer, Boolean.TRUE) != null) {
                fail("%s %s listed twice", side, Key.of(peer));
            }
            Expected expected = model.get(Key.of(peer));
            if (expected == null || expected.peer != peer || expected.seeding != seeding) {
                fail("%s slot %d holds %s, which the model %s", side, slot, Key.of(peer),
                        expected == null ? "does not have" : "has as another object or on the other side");
            }
        }

        /**
         * One random operation.
         *
         * @param growth       the chance that an add-or-remove step adds
         * @param purgeDepth   at most this fraction of the peers goes in one purge (the longest idle first)
         */
        void randomStep(double growth, double purgeDepth) {
            step++;
            now += random.nextInt(4);
            int roll = random.nextInt(200);
            if (keys.isEmpty()) {
                if (roll < 160) {
                    add();
                } else {
                    find();
                }
            } else if (roll < 120) {
                if (random.nextDouble() < growth) {
                    add();
                } else {
                    remove();
                }
            } else if (roll < 150) {
                setSeeding();
            } else if (roll < 170) {
                touch();
            } else if (roll < 199) {
                find();
            } else {
                purge(ageRemoving(random.nextDouble() * purgeDepth));
            }
        }

        /** The age cutoff that purges about {@code fraction} of the peers, oldest first. */
        private long ageRemoving(double fraction) {
            long[] times = new long[model.size()];
            int i = 0;
            for (Expected expected : model.values()) {
                times[i++] = expected.lastAnnounce;
            }
            java.util.Arrays.sort(times);
            int removed = (int) (fraction * times.length);
            long cutoff = removed == 0 ? times[0] : times[removed - 1] + 1;
            return now - cutoff;
        }
    }

    static LongStream largeSeeds() {
        return seeds(0x5EED_0001L, 6);
    }

    /** Grows to a few thousand peers and back to almost none, twice, with purges along the way. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("largeSeeds")
    void largeSwarmAgreesWithModelThroughGrowthAndShrinking(long seed) {
        Run run = new Run(seed, 5 + new Random(seed).nextInt(200));
        for (int cycle = 0; cycle < 2; cycle++) {
            int target = 1_000 + run.random.nextInt(3_000);
            while (run.model.size() < target) {
                run.randomStep(0.8, 0.02);
                checkSometimes(run);
            }
            run.checkAll();
            int floor = run.random.nextInt(5);
            while (run.model.size() > floor) {
                run.randomStep(0.2, 0.5);
                checkSometimes(run);
            }
            run.checkAll();
        }
        // A purge of everything leaves a swarm that still works.
        run.purge(-1);
        run.checkAll();
        assertThat(run.swarm.size()).as("after purging all, %s", run.where()).isZero();
        for (int i = 0; i < 50; i++) {
            run.add();
        }
        run.checkAll();
    }

    private static void checkSometimes(Run run) {
        int size = run.model.size();
        if (size <= 64 || run.step % Math.max(1, size / 8) == 0) {
            run.checkAll();
        }
    }

    /** Thousands of swarms of 0-12 peers: the smallest arrays and index, probe chains that wrap. */
    @Test
    void tinySwarmsAgreeWithModel() {
        seeds(0x71_0000L, 3_000).forEach(seed -> {
            Random sizes = new Random(seed);
            int cap = 1 + sizes.nextInt(12);
            Run run = new Run(seed, 1 + sizes.nextInt(4));
            for (int i = 0; i < 150; i++) {
                run.randomStep(run.model.size() >= cap ? 0.1 : 0.6, 1.0);
                run.checkAll();
            }
        });
    }

    /** Peers of one user whose ids differ in a single bit of one part: the key must compare every part. */
    @Test
    void keysDifferingInOneBitAreDistinct() {
        seeds(0xB17_0000L, 100).forEach(seed -> {
            Random random = new Random(seed);
            Run run = new Run(seed, 1);
            long high = random.nextLong();
            long mid = random.nextLong();
            int low = random.nextInt();
            int userId = random.nextInt();
            List<Key> keys = new ArrayList<>();
            keys.add(new Key(userId, high, mid, low));
            for (int bit = 0; bit < 64; bit++) {
                keys.add(new Key(userId, high ^ (1L << bit), mid, low));
                keys.add(new Key(userId, high, mid ^ (1L << bit), low));
            }
            for (int bit = 0; bit < 32; bit++) {
                keys.add(new Key(userId, high, mid, low ^ (1 << bit)));
                keys.add(new Key(userId ^ (1 << bit), high, mid, low));
            }
            java.util.Collections.shuffle(keys, random);
            for (Key key : keys) {
                Peer peer = new Peer(key.userId, key.high, key.mid, key.low);
                peer.seeding = random.nextBoolean();
                peer.lastAnnounce = (int) run.now;
                run.swarm.add(peer);
                Expected expected = new Expected(peer, peer.seeding, run.now);
                expected.listIndex = run.keys.size();
                run.keys.add(key);
                run.model.put(key, expected);
                run.expectedSeeders += peer.seeding ? 1 : 0;
                run.note("add", key);
            }
            run.checkAll();
            while (!run.keys.isEmpty()) {
                run.step++;
                run.remove();
                if (run.keys.size() % 7 == 0) {
                    run.checkAll();
                }
            }
            run.checkAll();
        });
    }

    private static LongStream seeds(long base, int count) {
        String replay = System.getProperty("seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.trim()));
        }
        return LongStream.range(0, count).map(i -> base + i * 0x9E3779B9L);
    }
}
