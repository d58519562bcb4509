package io.chihaya.tracker.flush;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What an announce costs in the flush queues: one {@code transfer_history} and one
 * {@code transfer_ips} change, merged into their pending rows, as {@link FlushQueues} does for every
 * announce. {@code peers} distinct (user, torrent) pairs, users one fifth as many as torrents,
 * announce in a fixed shuffled order; after every eighth of them the queues are taken out, as the
 * writers take their batches, so that operations both create rows and find them. In this package
 * (the jar's classes sit beside tracker-core's) to reach the queues' rows.
 *
 * <p>Allocation and GC dominate it, and its error bars are wide on the 2-CPU machine: four
 * alternating runs gave 284-378 ns per operation at 100,000 peers and 1,114-1,270 ns at 1,000,000,
 * each with an error of 15-40 % (100,000) and more (1,000,000). It could not tell a better hash
 * for the (uid, fid) keys from the plain one (docs/PERFORMANCE.md, fifth session).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PendingRowsBenchmark {
    @Param({"100000", "1000000"})
    int peers;

    private int[] userIds;
    private int[] torrentIds;
    private FlushQueues queues;
    private int next;
    private int sinceTake;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        int torrents = peers;
        int users = Math.max(1, peers / 5);
        Set<Long> seen = new HashSet<>();
        userIds = new int[peers];
        torrentIds = new int[peers];
        for (int i = 0; i < peers; ) {
            int user = 1 + random.nextInt(users);
            int torrent = 1 + random.nextInt(torrents);
            if (seen.add(((long) user << 32) | torrent)) {
                userIds[i] = user;
                torrentIds[i] = torrent;
                i++;
            }
        }
        queues = new FlushQueues();
    }

    @Benchmark
    public int announce() {
        int i = next;
        next = i + 1 == peers ? 0 : i + 1;
        int user = userIds[i];
        int torrent = torrentIds[i];
        queues.transferHistory(user, torrent, 1_000, 0, true, 1_700_000_000L, 1_700_000_000L + i, 30, 30, true, 0, 0);
        queues.transferIp(user, torrent, 0x7f000001, 1, 6881, 1_000, 0, 1_700_000_000L, 1_700_000_000L + i);
        if (++sinceTake == peers / 8) {
            sinceTake = 0;
            return queues.history.take(Integer.MAX_VALUE).size() + queues.ips.take(Integer.MAX_VALUE).size();
        }
        return 0;
    }
}
