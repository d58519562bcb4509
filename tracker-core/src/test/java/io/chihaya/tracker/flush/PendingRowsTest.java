package io.chihaya.tracker.flush;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
