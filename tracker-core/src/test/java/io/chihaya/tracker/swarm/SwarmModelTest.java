package io.chihaya.tracker.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based test of {@link Swarm}: random sequences of add / restore / remove / setSeeding / update /
 * purge / find are applied both to a swarm and to a plain {@link HashMap} keyed by (user id, peer id),
 * and after each step the swarm must agree with the map: sizes, seeder and leecher counts, the slot
 * {@code find} returns and every value stored in it, the records slot by slot, and the capacity and
 * index bounds. Swarms grow to a few thousand peers and shrink back (so the records and the index
 * resize both ways), and thousands of tiny swarms exercise the scanned ones. A third of the runs feed
 * in, now and then, a counter of 2^48 or more or a client id above 65,535, which turn the swarm wide:
 * every value stored before must survive that. Last-announce times straddle 2^31 so that purging must
 * compare them unsigned.
 *
 * <p>Each run is a function of its seed, printed in every failure; replay one with {@code -Dseed=N}.
 */
class SwarmModelTest {
    /** The model's key: what the swarm promises to key peers by. */
    record Key(int userId, long high, long mid, int low) {
        byte[] peerId() {
            byte[] id = new byte[20];
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(id).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(high).putLong(mid).putInt(low);
            return id;
        }

        static Key of(Swarm swarm, int slot) {
            byte[] id = new byte[20];
            swarm.copyPeerId(slot, id, 0);
            return new Key(swarm.userId(slot), Swarm.keyHigh(id), Swarm.keyMid(id), Swarm.keyLow(id));
        }
    }

    /** What the model expects of one peer. */
    static final class Expected {
        boolean seeding;
        long lastAnnounce;
        long startTime;
        long uploaded;
        long downloaded;
        long left;
        int ip;
        int port;
        int clientId;
        int listIndex;
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
        /** The chance that a value is one only the wide layout can hold. */
        final double wideChance;
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
            wideChance = random.nextInt(3) == 0 ? 0.002 : 0;
        }

        /** Described lazily in failure messages (assertion descriptions format their arguments on failure only). */
        @Override
        public String toString() {
            return where();
        }

        String where() {
            return "seed=" + seed + " (replay: -Dseed=" + seed + ") step " + step + " after " + operation + " " + operand
                    + ", model size " + model.size() + ", wide " + swarm.isWide();
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

        /** A counter: mostly below 2^48, at the edges of the narrow range, and rarely beyond it. */
        long counter() {
            if (random.nextDouble() < wideChance) {
                return random.nextBoolean() ? -1L - random.nextInt(3) : (1L << 48) + random.nextInt(3);
            }
            return switch (random.nextInt(8)) {
                case 0 -> 0;
                case 1 -> (1L << 48) - 1 - random.nextInt(3);
                case 2 -> (1L << 32) - 1 + random.nextInt(3);
                default -> random.nextLong() >>> 17;
            };
        }

        int clientId() {
            if (random.nextDouble() < wideChance) {
                return random.nextBoolean() ? 0x10000 + random.nextInt(5) : -1;
            }
            return random.nextInt(4) == 0 ? 0xFFFF : 1 + random.nextInt(200);
        }

        /** Draws an announce's values into the model only. */
        void draw(Expected expected) {
            expected.uploaded = counter();
            expected.downloaded = counter();
            expected.left = counter();
            expected.ip = random.nextInt();
            expected.port = random.nextInt(65_536);
            expected.clientId = clientId();
            expected.lastAnnounce = now;
        }

        /** An announce's values, stored both in the swarm and in the model. */
        void report(int slot, Expected expected) {
            draw(expected);
            swarm.update(slot, expected.uploaded, expected.downloaded, expected.left, expected.ip, expected.port,
                    expected.clientId, (int) now);
        }

        void add() {
            Key key = absentKey();
            Expected expected = new Expected();
            expected.seeding = random.nextBoolean();
            note(expected.seeding ? "add as seeder" : "add as leecher", key);
            int slot = swarm.add(key.userId, key.high, key.mid, key.low, expected.seeding);
            expected.startTime = now - random.nextInt(1_000);
            swarm.setStartTime(slot, (int) expected.startTime);
            report(slot, expected);
            remember(key, expected);
            checkCounts();
            checkPeer(key, expected);
        }

        /** Adds through the cache-restore path, which takes a whole snapshot. */
        void restore() {
            Key key = absentKey();
            Expected expected = new Expected();
            expected.seeding = random.nextBoolean();
            draw(expected);
            expected.startTime = now - random.nextInt(1_000);
            note("restore", key);
            swarm.add(new PeerSnapshot(key.userId, key.peerId(), expected.ip, expected.port, expected.uploaded,
                    expected.downloaded, expected.left, expected.startTime, expected.lastAnnounce, expected.clientId,
                    expected.seeding));
            remember(key, expected);
            checkCounts();
            checkPeer(key, expected);
        }

        /** Enters a peer just added to the swarm into the model. */
        void remember(Key key, Expected expected) {
            expected.listIndex = keys.size();
            keys.add(key);
            model.put(key, expected);
            if (expected.seeding) {
                expectedSeeders++;
            }
        }

        void remove() {
            Key key = presentKey();
            Expected expected = model.get(key);
            note("remove", key);
            swarm.remove(slotOf(key));
            forget(key, expected);
            checkCounts();
            if (swarm.find(key.userId, key.high, key.mid, key.low) >= 0) {
                fail("removed peer %s still found", key);
            }
        }

        void setSeeding() {
            Key key = presentKey();
            Expected expected = model.get(key);
            boolean seeding = random.nextInt(4) == 0 ? expected.seeding : !expected.seeding;
            note(seeding ? "setSeeding(true)" : "setSeeding(false)", key);
            int slot = swarm.setSeeding(slotOf(key), seeding);
            if (seeding != expected.seeding) {
                expectedSeeders += seeding ? 1 : -1;
            }
            expected.seeding = seeding;
            checkCounts();
            if (swarm.find(key.userId, key.high, key.mid, key.low) != slot) {
                fail("setSeeding returned slot %d, find says %d", slot, swarm.find(key.userId, key.high, key.mid,
                        key.low));
            }
            checkPeer(key, expected);
        }

        /** An announce without a move: the values change, and the time, which later purges look at. */
        void touch() {
            Key key = presentKey();
            Expected expected = model.get(key);
            note("touch", key);
            report(slotOf(key), expected);
            checkPeer(key, expected);
        }

        void find() {
            if (!keys.isEmpty() && random.nextBoolean()) {
                Key key = presentKey();
                note("find present", key);
                checkPeer(key, model.get(key));
            } else {
                Key key = absentKey();
                note("find absent", key);
                if (swarm.find(key.userId, key.high, key.mid, key.low) >= 0) {
                    fail("find %s (never added) returned a slot", key);
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
                if (swarm.find(key.userId, key.high, key.mid, key.low) >= 0) {
                    fail("purged peer %s still found", key);
                }
            }
        }

        private int slotOf(Key key) {
            int slot = swarm.find(key.userId, key.high, key.mid, key.low);
            if (slot < 0) {
                fail("present peer %s not found", key);
            }
            return slot;
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
            int size = swarm.size();
            int capacity = swarm.capacity();
            if (size == 0 ? capacity != 0 : capacity < size || (capacity > 4 && size < capacity / 2)) {
                fail("%d peers in a capacity of %d", size, capacity);
            }
            int length = swarm.indexLength();
            if (size > Swarm.SCAN_LIMIT && length == 0 || size < 8 && length != 0 || size * 4 > length * 3 && length > 0
                    || length > capacity * 4 / 3 + 1) {
                fail("%d peers with an index of %d", size, length);
            }
            if (size == 0 && swarm.isWide()) {
                fail("an empty swarm is still wide");
            }
        }

        void checkPeer(Key key, Expected expected) {
            int slot = swarm.find(key.userId, key.high, key.mid, key.low);
            if (slot < 0) {
                fail("find %s found nothing", key);
            }
            checkSlot(slot, key, expected);
        }

        private void checkSlot(int slot, Key key, Expected e) {
            if (!Key.of(swarm, slot).equals(key)) {
                fail("slot %d holds %s, not %s", slot, Key.of(swarm, slot), key);
            }
            if (swarm.isSeeder(slot) != e.seeding) {
                fail("%s in slot %d is a %s, expected a %s", key, slot, swarm.isSeeder(slot) ? "seeder" : "leecher",
                        e.seeding ? "seeder" : "leecher");
            }
            if (swarm.uploaded(slot) != e.uploaded || swarm.downloaded(slot) != e.downloaded || swarm.left(slot) != e.left
                    || swarm.ip(slot) != e.ip || swarm.port(slot) != e.port || swarm.clientId(slot) != e.clientId
                    || swarm.lastAnnounce(slot) != e.lastAnnounce || swarm.startTime(slot) != e.startTime) {
                fail("%s in slot %d holds up=%d down=%d left=%d ip=%d port=%d client=%d last=%d start=%d, expected "
                                + "%d %d %d %d %d %d %d %d", key, slot, swarm.uploaded(slot), swarm.downloaded(slot),
                        swarm.left(slot), swarm.ip(slot), swarm.port(slot), swarm.clientId(slot),
                        swarm.lastAnnounce(slot), swarm.startTime(slot), e.uploaded, e.downloaded, e.left, e.ip, e.port,
                        e.clientId, e.lastAnnounce, e.startTime);
            }
        }

        /** Everything: both sides slot by slot, every model peer found, forEach in slot order. */
        void checkAll() {
            checkCounts();
            java.util.Set<Key> seen = new java.util.HashSet<>(model.size() * 2);
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < swarm.seeders(); i++) {
                slots.add(swarm.seederSlot(i));
            }
            for (int i = 0; i < swarm.leechers(); i++) {
                slots.add(swarm.leecherSlot(i));
            }
            for (int slot : slots) {
                Key key = Key.of(swarm, slot);
                Expected expected = model.get(key);
                if (expected == null) {
                    fail("slot %d holds %s, which the model does not have", slot, key);
                }
                if (!seen.add(key)) {
                    fail("%s listed twice", key);
                }
                checkSlot(slot, key, expected);
            }
            for (Map.Entry<Key, Expected> entry : model.entrySet()) {
                checkPeer(entry.getKey(), entry.getValue());
            }
            int[] visited = {0};
            swarm.forEach(peer -> {
                int i = visited[0]++;
                if (i >= slots.size()) {
                    fail("forEach visited more than %d peers", slots.size());
                }
                int slot = slots.get(i);
                Key key = Key.of(swarm, slot);
                Expected e = model.get(key);
                PeerSnapshot expected = new PeerSnapshot(key.userId, key.peerId(), e.ip, e.port, e.uploaded,
                        e.downloaded, e.left, e.startTime, e.lastAnnounce, e.clientId, e.seeding);
                if (!snapshotsEqual(peer, expected)) {
                    fail("forEach gave %s as peer %d, slot %d holds %s", peer, i, slot, expected);
                }
            });
            if (visited[0] != model.size()) {
                fail("forEach visited %d peers, model has %d", visited[0], model.size());
            }
        }

        private static boolean snapshotsEqual(PeerSnapshot a, PeerSnapshot b) {
            return a.userId() == b.userId() && java.util.Arrays.equals(a.peerId(), b.peerId()) && a.ip() == b.ip()
                    && a.port() == b.port() && a.uploaded() == b.uploaded() && a.downloaded() == b.downloaded()
                    && a.left() == b.left() && a.startTime() == b.startTime() && a.lastAnnounce() == b.lastAnnounce()
                    && a.clientId() == b.clientId() && a.seeding() == b.seeding();
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
                    if (random.nextInt(10) == 0) {
                        restore();
                    } else {
                        add();
                    }
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
                Expected expected = new Expected();
                expected.seeding = random.nextBoolean();
                int slot = run.swarm.add(key.userId, key.high, key.mid, key.low, expected.seeding);
                run.report(slot, expected);
                run.remember(key, expected);
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

    /** Each kind of value beyond the narrow layout turns the swarm wide without changing any stored value. */
    @Test
    void wideValueKeepsEveryStoredValue() {
        long[][] wideCounters = {{1L << 48, 0, 1}, {0, -1L, 1}, {5, 5, Long.MIN_VALUE}};
        for (int kind = 0; kind < 4; kind++) {
            Run run = new Run(0xA1DE_0000L + kind, 50);
            for (int i = 0; i < 40; i++) {
                run.add();
            }
            assertThat(run.swarm.isWide()).as("narrow values only, %s", run).isFalse();
            Key key = run.presentKey();
            Expected expected = run.model.get(key);
            if (kind < 3) {
                expected.uploaded = wideCounters[kind][0];
                expected.downloaded = wideCounters[kind][1];
                expected.left = wideCounters[kind][2];
            } else {
                expected.clientId = 0x10000;
            }
            run.note("wide update", key);
            run.swarm.update(run.swarm.find(key.userId, key.high, key.mid, key.low), expected.uploaded,
                    expected.downloaded, expected.left, expected.ip, expected.port, expected.clientId,
                    (int) expected.lastAnnounce);
            assertThat(run.swarm.isWide()).as("after %s", run).isTrue();
            run.checkAll();
            for (int i = 0; i < 200; i++) {
                run.randomStep(0.5, 0.1);
            }
            run.checkAll();
            run.purge(-1);
            run.checkAll();
            run.add();
            run.checkAll();
        }
    }

    /** A swarm too big for a char index (more than 65,534 slots) switches to an int index and back. */
    @Test
    void swarmBeyondCharIndexCapacity() {
        Run run = new Run(0xB16_5EEDL, 1_000_000);
        while (run.model.size() < 70_000) {
            run.add();
        }
        assertThat(run.swarm.capacity()).isGreaterThan(0xFFFE);
        run.checkAll();
        for (int i = 0; i < 2_000; i++) {
            run.randomStep(0.5, 0.01);
        }
        run.checkAll();
        while (run.model.size() > 20_000) {
            run.remove();
        }
        assertThat(run.swarm.capacity()).isLessThan(0xFFFE);
        run.checkAll();
    }

    private static LongStream seeds(long base, int count) {
        String replay = System.getProperty("seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.trim()));
        }
        return LongStream.range(0, count).map(i -> base + i * 0x9E3779B9L);
    }
}
