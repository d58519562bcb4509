package io.chihaya.bench;

import io.chihaya.bencode.BencodeWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full announces spread over many torrents of 50 peers each (1,000 torrents, 50,000 peers of 5,000
 * users, alternately seeders and leechers), run by one thread and by two, to show whether anything
 * shared across torrents (registry tables, stat sink, allocation) limits scaling.
 *
 * <p>The torrents are split into {@code max(2, threads)} parts and each thread re-announces the peers
 * of its own part: with two threads, thread 0 owns the even torrents and thread 1 the odd ones, so the
 * threads never want the same torrent lock; with one thread, it announces on the even torrents only,
 * so that it does exactly the work of each of the two threads (same number of torrents and peers, same
 * memory footprint). Any loss of per-thread throughput from one to two threads then comes from state
 * shared across torrents, or from the machine (two threads on two cores also share the last-level
 * cache and memory bandwidth).
 *
 * <p>Each thread visits its peers in its own seeded random order (a shuffled cycle, so every peer
 * announces once per round). {@code -p order=sequential} visits the torrents in ascending order
 * instead, which with two threads keeps them on neighbouring torrents, whose objects were allocated
 * side by side (a worst case for false sharing).
 *
 * <p>Warm-up is 5 × 2 s: with 3 × 2 s some forks were still speeding up in their last warm-up
 * iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ManyTorrentsAnnounceBenchmark {
    static final int TORRENTS = 1_000;
    static final int PEERS_PER_TORRENT = 50;
    static final int USERS = 5_000;

    /** The tracker and every peer, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** {@code random} (default) or {@code sequential}; see the class comment. */
        @Param({"random"})
        public String order;
        Tracker tracker;
        CountingStatSink sink;
        /** Slot-major order: peer {@code s * TORRENTS + t} is slot {@code s} of torrent {@code t}. */
        SimulatedPeer[] peers;
        final AtomicInteger threadsJoined = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            sink = new CountingStatSink();
            tracker = new Tracker(USERS, TORRENTS, 13, sink);
            peers = new SimulatedPeer[TORRENTS * PEERS_PER_TORRENT];
            BencodeWriter out = new BencodeWriter();
            for (int slot = 0; slot < PEERS_PER_TORRENT; slot++) {
                for (int torrent = 0; torrent < TORRENTS; torrent++) {
                    int n = slot * TORRENTS + torrent;
                    // users of one torrent are distinct: slot s of torrent t belongs to user (t * 50 + s) mod 5000
                    int user = (torrent * PEERS_PER_TORRENT + slot) % USERS;
                    peers[n] = tracker.peer(user, torrent, n, slot % 2 == 0);
                    peers[n].start(tracker.registry, tracker.announces, out);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println("sink " + sink.sum());
        }
    }

    /** One thread's own peers and response buffer. */
    @State(Scope.Thread)
    public static class PerThread {
        SimulatedPeer[] peers;
        final BencodeWriter out = new BencodeWriter();
        final ResponseSizes sizes = new ResponseSizes();
        int next;
        int thread;

        @Setup(Level.Trial)
        public void setUp(Shared shared, BenchmarkParams params) {
            int threads = params.getThreads();
            int parts = Math.max(2, threads);
            thread = shared.threadsJoined.getAndIncrement() % threads;
            // Peer n is on torrent n % TORRENTS, so when parts divides TORRENTS (1, 2, 4 or 5 threads)
            // each part is a set of whole torrents.
            List<SimulatedPeer> mine = new ArrayList<>();
            for (int n = thread; n < shared.peers.length; n += parts) {
                mine.add(shared.peers[n]);
            }
            if (shared.order.equals("random")) {
                Collections.shuffle(mine, new Random(thread));
            } else if (!shared.order.equals("sequential")) {
                throw new IllegalArgumentException("order must be random or sequential, not " + shared.order);
            }
            peers = mine.toArray(new SimulatedPeer[0]);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println("thread " + thread + ": " + sizes.summary());
            sizes.requireNoRefusals();
        }
    }

    @Benchmark
    @Threads(1)
    public int oneThread(Shared shared, PerThread me) {
        return announce(shared, me);
    }

    @Benchmark
    @Threads(2)
    public int twoThreads(Shared shared, PerThread me) {
        return announce(shared, me);
    }

    private static int announce(Shared shared, PerThread me) {
        SimulatedPeer peer = me.peers[me.next];
        me.next = me.next + 1 == me.peers.length ? 0 : me.next + 1;
        return me.sizes.record(peer.reannounce(shared.tracker.registry, shared.tracker.announces, me.out),
                me.out.length());
    }
}
