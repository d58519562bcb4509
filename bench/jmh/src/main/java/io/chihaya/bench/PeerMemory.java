package io.chihaya.bench;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.stats.StatSink;
import io.chihaya.tracker.swarm.Torrent;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Measures heap bytes per peer: loads {@code torrents × peersPerTorrent} peers through real announces
 * ({@code event=started}, distinct users within a torrent, the first peer of each torrent a seeder
 * and the rest leechers) and compares heap used after full GCs with the same tracker before any
 * announce. Not a JMH benchmark; run it with a fixed heap and a stop-the-world collector, e.g.
 * {@code java -Xmx2g -XX:+UseParallelGC -cp benchmarks.jar io.chihaya.bench.PeerMemory [torrents [peersPerTorrent]]}.
 */
public final class PeerMemory {
    private static final int USERS = 100_000;

    private PeerMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        int torrents = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int peersPerTorrent = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (peersPerTorrent > USERS) {
            throw new IllegalArgumentException("at most " + USERS + " peers per torrent");
        }
        long peers = (long) torrents * peersPerTorrent;
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        System.out.println("JVM options: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("collectors: " + ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        System.out.println("UseCompressedOops=" + vmOption("UseCompressedOops")
                + " ObjectAlignmentInBytes=" + vmOption("ObjectAlignmentInBytes"));
        System.out.printf("loading %,d torrents x %d peers = %,d peers, %,d users%n", torrents, peersPerTorrent,
                peers, USERS);

        Tracker tracker = new Tracker(USERS, torrents, 17, StatSink.NONE);
        BencodeWriter out = new BencodeWriter();
        // A malformed announce (no parameters) creates the service's per-thread scratch before the
        // baseline, so that only the swarms differ between the two measurements.
        tracker.announces.announce(null, "", null, null, out);

        long before = usedAfterFullGc();
        System.out.printf("heap used after GC, torrents without peers: %,d bytes%n", before);

        long started = System.nanoTime();
        int address = 0;
        for (int torrent = 0; torrent < torrents; torrent++) {
            for (int slot = 0; slot < peersPerTorrent; slot++) {
                int user = (int) (((long) torrent * peersPerTorrent + slot) % USERS);
                tracker.peer(user, torrent, address++ & 0xFFFFFF, slot == 0)
                        .start(tracker.registry, tracker.announces, out);
            }
        }
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        long after = usedAfterFullGc();
        System.out.printf("heap used after GC, with peers: %,d bytes (load took %,d ms)%n", after, loadMillis);
        long total = 0;
        for (byte[] hash : tracker.infoHashes) {
            Torrent torrent = tracker.registry.torrents().get(hash);
            total += torrent.seeders() + torrent.leechers();
        }
        if (total != peers) {
            throw new IllegalStateException("swarms hold " + total + " peers, expected " + peers);
        }
        System.out.printf("peers in swarms: %,d%n", total);
        System.out.printf("bytes per peer: %.1f%n", (double) (after - before) / peers);
        printSwarmHistogram(peers);
        Reference.reachabilityFence(tracker);
    }

    /** Heap used after repeated full collections, once two successive readings agree within 0.1%. */
    private static long usedAfterFullGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = -1;
        for (int round = 0; round < 10; round++) {
            System.gc();
            Thread.sleep(200);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (previous > 0 && Math.abs(used - previous) * 1000 < previous) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /**
     * Prints the class-histogram rows of the swarm package (live objects, after a full GC) with their
     * bytes per peer, to show where the bytes go.
     */
    private static void printSwarmHistogram(long peers) {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            System.out.println("no class histogram: " + e);
            return;
        }
        System.out.println("class histogram, swarm package (instances, bytes, bytes per peer):");
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].contains("io.chihaya.tracker.swarm.")) {
                long bytes = Long.parseLong(columns[2]);
                System.out.printf("  %-45s %,12d %,14d %8.1f%n", columns[3], Long.parseLong(columns[1]), bytes,
                        (double) bytes / peers);
            }
        }
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
