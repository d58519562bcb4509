package io.chihaya.bench;

import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.db.Database;
import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.flush.Flusher;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.stats.TrackerMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many merged rows per second the real flush writers get into MariaDB. Each round queues one
 * announce's changes for each of P peers (P distinct transfer_history and transfer_ips rows, the
 * users and torrents they touch), as the tracker's announces would, then times until the writers
 * report every row written. The first round inserts the transfer rows, later rounds update them —
 * the steady state of a tracker. Prints rows/s and the CPU seconds of mariadbd and of this JVM.
 *
 * <pre>
 * bench/load/generate-dataset          # database chihaya_bench: 20,000 users, 100,000 torrents
 * java -cp bench/jmh/target/benchmarks.jar io.chihaya.bench.FlushThroughput \
 *     'jdbc:mariadb://127.0.0.1:3306/chihaya_bench' root 100000 20000 100000 5
 * </pre>
 * Arguments: JDBC URL, user, peers, users, torrents, rounds. The transfer tables of that database
 * are emptied first.
 */
public final class FlushThroughput {
    private FlushThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int peers = Integer.parseInt(args[2]);
        int users = Integer.parseInt(args[3]);
        int torrents = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        AtomicLong written = new AtomicLong();
        java.util.Map<String, Double> tableSeconds = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.Map<String, Integer> tableBatches = new java.util.concurrent.ConcurrentSkipListMap<>();
        TrackerMetrics counting = new TrackerMetrics() {
            @Override
            public void flushed(String table, int rows, double seconds) {
                written.addAndGet(rows);
                tableSeconds.merge(table, seconds, Double::sum);
                tableBatches.merge(table, 1, Integer::sum);
            }
        };
        TrackerConfig config = TrackerConfig.defaults();
        try (Database database = new Database(url, user, "")) {
            database.jdbi().useHandle(handle -> {
                handle.execute("TRUNCATE transfer_history");
                handle.execute("TRUNCATE transfer_ips");
            });
            FlushQueues queues = new FlushQueues();
            Flusher flusher = new Flusher(queues, database.jdbi(), config.channels(),
                    new Flusher.Settings(3000, 5, 1, false, false), counting);
            flusher.start();
            long now = System.currentTimeMillis() / 1000;
            System.out.println("round\tkind\trows\tseconds\trows_per_s\tmariadb_cpu_s\tjvm_cpu_s");
            for (int round = 1; round <= rounds; round++) {
                long expected = written.get();
                long mariaBefore = mariadbCpuTicks();
                long jvmBefore = ownCpuTicks();
                long started = System.nanoTime();
                int touchedTorrents = Math.min(peers, torrents);
                int touchedUsers = Math.min(peers, users);
                for (int p = 0; p < peers; p++) {
                    int userId = p % users + 1;
                    int torrentId = p % torrents + 1;
                    queues.user(userId, 1000, 1000, 1000, 1000);
                    queues.torrent(torrentId, torrentId, TorrentType.ANIME, 3, 2, 0, now);
                    queues.transferHistory(userId, torrentId, 1000, 1000, p % 10 < 6, now - 100, now + round, 30,
                            30, true, 0, 5000);
                    queues.transferIp(userId, torrentId, 0x7F000001, 1, 6881 + p % 1000, 1000, 1000, now - 100,
                            now + round);
                }
                expected += touchedUsers + touchedTorrents + 2L * peers;
                while (written.get() < expected) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long rows = touchedUsers + touchedTorrents + 2L * peers;
                System.out.printf("%d\t%s\t%d\t%.2f\t%.0f\t%.2f\t%.2f%n", round, round == 1 ? "insert" : "update",
                        rows, seconds, rows / seconds, (mariadbCpuTicks() - mariaBefore) / 100.0,
                        (ownCpuTicks() - jvmBefore) / 100.0);
                StringBuilder perTable = new StringBuilder("  time in batches per table:");
                tableSeconds.forEach((table, total) -> perTable.append(String.format(" %s %.2f s (%d batches)", table,
                        total, tableBatches.get(table))));
                System.out.println(perTable);
                tableSeconds.clear();
                tableBatches.clear();
            }
            flusher.stop(60_000);
        }
    }

    private static long ownCpuTicks() throws IOException {
        return cpuTicks(Path.of("/proc/self/stat"));
    }

    private static long mariadbCpuTicks() throws IOException {
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) processes::iterator) {
                Path comm = dir.resolve("comm");
                if (dir.getFileName().toString().matches("\\d+") && Files.isReadable(comm)) {
                    String name = Files.readString(comm).trim();
                    if (name.equals("mariadbd") || name.equals("mysqld")) {
                        return cpuTicks(dir.resolve("stat"));
                    }
                }
            }
        }
        return 0;
    }

    /** utime + stime in clock ticks (100 per second on Linux). */
    private static long cpuTicks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
