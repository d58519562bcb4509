package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.TorrentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed batch merges back under newer changes, and no change is lost while announces and a writer race. */
class PendingRowsTest {
    private static final long T0 = 1_700_000_000L;

    private static void announce(FlushQueues queues, int user, int torrent, long up, long time) {
        queues.transferHistory(user, torrent, up, 0, true, T0, time, 10, 10, true, 0, 0);
    }

    private static long up(List<Deltas.History> batch) {
        return batch.stream().mapToLong(r -> r.up).sum();
    }

    @Test
    void aFailedBatchPutBackMergesUnderNewerChanges() {
        FlushQueues queues = new FlushQueues();
        announce(queues, 1, 2, 100, T0 + 1);
        announce(queues, 1, 3, 50, T0 + 1);
        List<Deltas.History> failed = queues.history.take(10);
        announce(queues, 1, 2, 5, T0 + 9);   // arrives while the batch is failing
        queues.history.putBack(failed);
        assertThat(queues.history.size()).isEqualTo(2);
        Map<Integer, Deltas.History> byTorrent = new HashMap<>();
        queues.history.take(10).forEach(r -> byTorrent.put(Deltas.low(r.key), r));
        assertThat(byTorrent.get(2).up).isEqualTo(105);
        assertThat(byTorrent.get(2).lastAnnounce).isEqualTo(T0 + 9);
        assertThat(byTorrent.get(3).up).isEqualTo(50);
        assertThat(byTorrent.get(3).lastAnnounce).isEqualTo(T0 + 1);
    }

    @Test
    void noChangeIsLostWhileAnnouncesAndAWriterRaceOverTheSameRows() throws Exception {
        FlushQueues queues = new FlushQueues();
        int threads = 4;
        int perThread = 200_000;
        int torrents = 64;   // few rows, so that takes, removals and announces meet all the time
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> announcers = new ArrayList<>();
        for (int n = 0; n < threads; n++) {
            int user = n + 1;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    announce(queues, user, i % torrents + 1, 1, T0 + i);
                    queues.user(user, 1, 0, 1, 0);
                }
            });
            thread.start();
            announcers.add(thread);
        }
        long[] written = new long[2];
        Thread writer = new Thread(() -> {
            int round = 0;
            while (!done.get() || queues.history.size() > 0 || queues.users.size() > 0) {
                List<Deltas.History> batch = queues.history.take(1 + round % 37);
                if (round % 5 == 0) {
                    queues.history.putBack(batch);   // a failed write
                } else {
                    written[0] += up(batch);
                }
                for (Deltas.User u : queues.users.take(3)) {
                    written[1] += u.up;
                }
                round++;
            }
        });
        writer.start();
        start.countDown();
        for (Thread thread : announcers) {
            thread.join();
        }
        done.set(true);
        writer.join();
        assertThat(written[0]).isEqualTo((long) threads * perThread);
        assertThat(written[1]).isEqualTo((long) threads * perThread);
        assertThat(queues.history.size()).isZero();
    }

    /**
     * Random announces, takes, failed batches put back and drains, checked against a plain map:
     * every byte announced is taken exactly once, no batch is larger than asked or holds a key twice,
     * and the size is the number of distinct keys waiting. Enough rows that segments grow, fill with
     * taken slots and are cleaned up.
     */
    @Test
    void randomOperationsAgreeWithAMapModel() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            FlushQueues queues = new FlushQueues();
            Map<Integer, Long> announced = new HashMap<>();
            Map<Integer, Long> written = new HashMap<>();
            Set<Integer> waiting = new HashSet<>();
            int keys = seed % 2 == 0 ? 300 : 30_000;
            for (int step = 0; step < 200_000; step++) {
                int op = random.nextInt(100);
                if (op < 80) {
                    int user = random.nextInt(keys) - keys / 2;   // negative ids too: unsigned in MariaDB
                    long up = 1 + random.nextInt(1000);
                    queues.user(user, up, 0, 0, 0);
                    announced.merge(user, up, Long::sum);
                    waiting.add(user);
                } else if (op < 98) {
                    int max = 1 + random.nextInt(random.nextBoolean() ? 10 : 3000);
                    List<Deltas.User> batch = queues.users.take(max);
                    assertThat(batch.size()).isLessThanOrEqualTo(max);
                    Set<Integer> inBatch = new HashSet<>();
                    for (Deltas.User row : batch) {
                        assertThat(inBatch.add(row.key)).as("key %d twice in a batch", row.key).isTrue();
                        assertThat(waiting.remove(row.key)).as("key %d not waiting", row.key).isTrue();
                    }
                    if (random.nextInt(4) == 0) {
                        queues.users.putBack(batch);
                        batch.forEach(row -> waiting.add(row.key));
                    } else {
                        batch.forEach(row -> written.merge(row.key, row.up, Long::sum));
                    }
                } else {
                    PendingRows.Pass pass = queues.users.pass();
                    for (List<Deltas.User> batch; !(batch = queues.users.take(pass, 1 + random.nextInt(500))).isEmpty(); ) {
                        batch.forEach(row -> {
                            written.merge(row.key, row.up, Long::sum);
                            waiting.remove(row.key);
                        });
                    }
                    assertThat(waiting).isEmpty();
                }
                assertThat(queues.users.size()).isEqualTo(waiting.size());
            }
            for (Deltas.User row : queues.users.take(Integer.MAX_VALUE)) {
                written.merge(row.key, row.up, Long::sum);
            }
            assertThat(written).as("seed %d", seed).isEqualTo(announced);
            assertThat(queues.users.size()).isZero();
        }
    }

    @Test
    void aPassTakesEveryRowPresentAtItsStartAndEndsWhileNewRowsArriveFasterThanItTakes() {
        FlushQueues queues = new FlushQueues();
        for (int torrent = 1; torrent <= 1000; torrent++) {
            announce(queues, 1, torrent, torrent, T0);
        }
        PendingRows.Pass pass = queues.history.pass();
        Set<Long> taken = new HashSet<>();
        int added = 0;
        int next = 0;
        int batches = 0;
        for (List<Deltas.History> batch; !(batch = queues.history.take(pass, 7)).isEmpty(); batches++) {
            batch.forEach(row -> assertThat(taken.add(row.key)).isTrue());
            // More new rows than taken ones, in the segment the pass is in: it grows under the pass.
            PendingRows.Segment current = queues.history.segments[Math.min(pass.segment, PendingRows.SEGMENTS - 1)];
            for (int i = 0; i < 10; i++) {
                do {
                    next++;
                } while (queues.history.segment(PendingRows.hash(LongSet.pair(2, next), 0)) != current);
                added++;
                announce(queues, 2, next, 1, T0);
            }
        }
        for (int torrent = 1; torrent <= 1000; torrent++) {
            assertThat(taken).contains(LongSet.pair(1, torrent));
        }
        assertThat(batches).isLessThanOrEqualTo(PendingRows.SEGMENTS);
        assertThat(added).isGreaterThan(500);
        assertThat(queues.history.size()).isEqualTo(1000 + added - taken.size());
    }

    @Test
    void keysOfTwoLongsDifferingOnlyInTheirSecondHalfAreSeparateRows() {
        FlushQueues queues = new FlushQueues();
        for (int client = 0; client < 100; client++) {
            queues.transferIp(1, 2, 0x7f000001, client, 6881, client, 0, T0, T0 + 1);
            queues.transferIp(1, 2, 0x7f000002, client, 6882, 1, 0, T0, T0 + 2);
        }
        queues.transferIp(1, 2, 0x7f000001, 5, 7000, 10, 0, T0 + 5, T0 + 9);
        List<Deltas.Ip> rows = queues.ips.take(1000);
        assertThat(rows).hasSize(200);
        Deltas.Ip five = rows.stream().filter(r -> r.key.ip() == 0x7f000001 && r.key.clientId() == 5)
                .findFirst().orElseThrow();
        assertThat(five.up).isEqualTo(15);
        assertThat(five.port).isEqualTo(7000);
        assertThat(five.startTime).isEqualTo(T0);
        assertThat(five.lastAnnounce).isEqualTo(T0 + 9);
    }

    @Test
    void aRowTakenAndMadeAgainStartsFromZero() {
        FlushQueues queues = new FlushQueues();
        queues.torrent(7, 3, TorrentType.MUSIC, 5, 6, 2, T0 + 10);
        assertThat(queues.pendingSnatches(7)).isEqualTo(2);
        assertThat(queues.torrents.take(10)).singleElement().satisfies(row -> {
            assertThat(row.type).isEqualTo(TorrentType.MUSIC);
            assertThat(row.snatches).isEqualTo(2);
        });
        assertThat(queues.pendingSnatches(7)).isZero();
        queues.torrent(7, 3, TorrentType.ANIME, 1, 1, 0, T0 + 5);
        assertThat(queues.torrents.take(10)).singleElement().satisfies(row -> {
            assertThat(row.type).isEqualTo(TorrentType.ANIME);
            assertThat(row.snatches).isZero();
            assertThat(row.lastAction).isEqualTo(T0 + 5);
        });
    }

    @Test
    void segmentsGrownByABacklogShrinkOnceTheRowsAreFewAgain() {
        FlushQueues queues = new FlushQueues();
        for (int user = 1; user <= 100_000; user++) {
            queues.user(user, 1, 0, 0, 0);
        }
        assertThat(queues.users.take(Integer.MAX_VALUE)).hasSize(100_000);
        assertThat(slots(queues.users)).isGreaterThanOrEqualTo(4 * 100_000 / 3);
        for (int round = 0; round < 2; round++) {
            for (int user = 1; user <= 640; user++) {
                queues.user(user, 1, 0, 0, 0);
            }
            assertThat(queues.users.take(Integer.MAX_VALUE)).hasSize(640);
        }
        assertThat(slots(queues.users)).isLessThanOrEqualTo(640 * 8);
    }

    private static int slots(PendingRows<?> rows) {
        int slots = 0;
        for (PendingRows.Segment segment : rows.segments) {
            synchronized (segment) {
                slots += segment.state.length;
            }
        }
        return slots;
    }
}
