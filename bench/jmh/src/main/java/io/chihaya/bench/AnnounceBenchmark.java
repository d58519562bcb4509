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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A full announce (user lookup, query parse, address, client and torrent checks, swarm update, stat
 * emission, compact response with the default numwant of 25) on one torrent whose swarm holds
 * {@code swarmSize} peers of distinct users, alternately seeders and leechers.
 *
 * <p>The swarm is filled by real {@code event=started} announces in set-up; each benchmark operation is
 * a regular re-announce of the next existing peer in rotation, counters grown by one piece, so the
 * swarm keeps its size and composition. A one-peer swarm is a lone seeder re-announcing: it gets no
 * peers back. Response sizes are printed at tear-down.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class AnnounceBenchmark {
    @Param({"1", "50", "5000"})
    public int swarmSize;

    private Tracker tracker;
    private SimulatedPeer[] peers;
    private final BencodeWriter out = new BencodeWriter();
    private final ResponseSizes sizes = new ResponseSizes();
    private CountingStatSink sink;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        sink = new CountingStatSink();
        tracker = new Tracker(swarmSize, 1, 7, sink);
        peers = new SimulatedPeer[swarmSize];
        for (int i = 0; i < swarmSize; i++) {
            peers[i] = tracker.peer(i, 0, i, i % 2 == 0);
            peers[i].start(tracker.registry, tracker.announces, out);
        }
        int size = tracker.registry.torrents().get(tracker.infoHashes[0]).seeders()
                + tracker.registry.torrents().get(tracker.infoHashes[0]).leechers();
        if (size != swarmSize) {
            throw new IllegalStateException("swarm has " + size + " peers, expected " + swarmSize);
        }
    }

    @Benchmark
    public int announce() {
        SimulatedPeer peer = peers[next];
        next = next + 1 == peers.length ? 0 : next + 1;
        return sizes.record(peer.reannounce(tracker.registry, tracker.announces, out), out.length());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("swarmSize=" + swarmSize + " " + sizes.summary() + " (sink " + sink.sum() + ")");
        sizes.requireNoRefusals();
    }
}
