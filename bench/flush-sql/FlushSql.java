import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * How much of MariaDB's CPU one form of the tracker's transfer_history flush takes per row.
 * Writes {@code batches} batches of 5,000 upserts of existing rows (peers re-announcing), each in
 * one transaction as the tracker's history writer does, and reads the server's CPU time from
 * /proc/<pid>/stat before and after. Run by bench/flush-sql/run, which alternates the forms.
 *
 * <p>Forms: {@code sorted} (multi-row text statements of 2,000 rows in primary-key order, what the
 * tracker writes), {@code unsorted} (the same in hash order, as before 5179697), {@code bulk} (one
 * server-side prepared single-row statement, executeBatch with useBulkStmts).
 *
 * <p>HEAD and TAIL are a copy of the statement FlushStatements.HISTORY writes (this file runs on
 * its own, with only the driver on the class path): a change there must be made here too.
 *
 * <p>Arguments: form, batches, MariaDB pid, JDBC URL of the benchmark database.
 */
public final class FlushSql {
    private static final int BATCH = 5000;
    private static final int ROWS_PER_STATEMENT = 2000;
    private static final int PEERS = 100_000;
    private static final String HEAD = "INSERT INTO transfer_history (uid, fid, uploaded, downloaded, seeding,"
            + " starttime, last_announce, activetime, seedtime, active, snatched, remaining) VALUES ";
    private static final String TAIL = " ON DUPLICATE KEY UPDATE uploaded = uploaded + VALUES(uploaded),"
            + " starttime = IF(starttime = 0, VALUES(starttime), starttime),"
            + " downloaded = downloaded + VALUES(downloaded), seeding = VALUES(seeding),"
            + " last_announce = VALUES(last_announce), activetime = activetime + VALUES(activetime),"
            + " seedtime = seedtime + VALUES(seedtime), active = VALUES(active),"
            + " snatched = snatched + VALUES(snatched), remaining = VALUES(remaining)";

    private FlushSql() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FlushSql sorted|unsorted|bulk|fill BATCHES MARIADB_PID JDBC_URL");
            System.exit(2);
        }
        String form = args[0];
        int batches = Integer.parseInt(args[1]);
        String pid = args[2];
        String url = args[3] + (form.equals("bulk") ? "&useServerPrepStmts=true&useBulkStmts=true" : "");
        if (!Arrays.asList("sorted", "unsorted", "bulk", "fill").contains(form)) {
            throw new IllegalArgumentException("unknown form " + form);
        }
        Random random = new Random(7);
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            long ticks = serverTicks(pid);
            for (int b = 0; b < batches; b++) {
                long[][] rows = batch(random, b, form.equals("fill"));
                if (!form.equals("unsorted")) {
                    Arrays.sort(rows, Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
                }
                if (form.equals("bulk")) {
                    bulk(connection, rows);
                } else {
                    text(connection, rows);
                }
                connection.commit();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            long cpuMs = (serverTicks(pid) - ticks) * 1000 / Long.parseLong(System.getenv().getOrDefault("CLK_TCK", "100"));
            int total = batches * BATCH;
            System.out.printf("%s\t%d\t%d\t%d\t%.2f%n", form, total, ms, cpuMs, cpuMs * 1000.0 / total);
        }
    }

    /** One batch: random peers (so mostly existing rows), or with {@code fill} every peer once in turn. */
    private static long[][] batch(Random random, int b, boolean fill) {
        long[][] rows = new long[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            int peer = fill ? (b * BATCH + i) % PEERS : random.nextInt(PEERS);
            rows[i] = new long[]{1 + peer % 20_000, 1 + peer, random.nextInt(1 << 20), random.nextInt(1 << 16), 1,
                    1_700_000_000L, 1_700_000_000L + b, 30, 30, 1, 0, 0};
        }
        return rows;
    }

    private static void text(Connection connection, long[][] rows) throws SQLException {
        for (int from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
            StringBuilder sql = new StringBuilder(HEAD.length() + ROWS_PER_STATEMENT * 64).append(HEAD);
            for (int i = from; i < Math.min(rows.length, from + ROWS_PER_STATEMENT); i++) {
                sql.append(i == from ? "(" : ",(");
                for (int c = 0; c < rows[i].length; c++) {
                    if (c > 0) {
                        sql.append(',');
                    }
                    sql.append(rows[i][c]);
                }
                sql.append(')');
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate(sql.append(TAIL).toString());
            }
        }
    }

    private static void bulk(Connection connection, long[][] rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HEAD + "(?,?,?,?,?,?,?,?,?,?,?,?)" + TAIL)) {
            for (long[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    statement.setLong(c + 1, row[c]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** utime + stime of the server process, in clock ticks ({@code getconf CLK_TCK} per second, passed as CLK_TCK). */
    private static long serverTicks(String pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
}
