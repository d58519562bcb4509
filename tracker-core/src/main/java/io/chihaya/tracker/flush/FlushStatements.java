package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.TorrentType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The SQL of each flush: multi-row statements, the column effects of SPEC 6.2. {@code users_main}
 * and {@code torrents} are updated through a join on a derived table, so that a row deleted
 * meanwhile is not re-created half-empty; the transfer tables are upserted.
 *
 * <p>Every value of a flushed row is a Java {@code int} or {@code long} that the tracker computed —
 * never text a client sent — so the values are written into the statement as decimal literals
 * rather than bound: the driver then neither parses the statement for placeholders nor encodes
 * tens of thousands of parameters per batch, which made up most of a flush's cost in the tracker
 * (FlushThroughput in bench/jmh measures it).
 *
 * <p>Each batch is written in primary-key order. InnoDB then walks its index forwards instead of
 * jumping around it: 7 % less of MariaDB's CPU for the same transfer_history upserts
 * (bench/flush-sql), about a tenth less per row under the load benchmark (docs/PERFORMANCE.md).
 * Two transactions on the same table (the history and the snatch writers both write
 * transfer_history) also lock their rows in the same order.
 */
final class FlushStatements {
    /** Rows per statement: about 100-200 KB of SQL, far below max_allowed_packet (16 MB by default). */
    private static final int ROWS_PER_STATEMENT = 2000;
    private static final String[] USER_COLUMNS = {"id", "up", "down", "rawup", "rawdl"};
    private static final String[] TORRENT_COLUMNS = {"id", "seeders", "leechers", "snatched", "last_action"};

    private FlushStatements() {
    }

    interface Writer<D> {
        /** Writes the whole batch on {@code connection}, inside the caller's transaction. */
        void write(Connection connection, List<D> batch) throws SQLException;
    }

    /** Unsigned, as the id columns are. */
    private static final Comparator<Delta<Integer, ?>> BY_ID = (a, b) -> Integer.compareUnsigned(a.key, b.key);
    /** (uid, fid): {@code transfer_history}'s primary key, signed int columns. */
    private static final Comparator<Delta<Long, ?>> BY_USER_TORRENT =
            Comparator.<Delta<Long, ?>>comparingInt(d -> Deltas.high(d.key)).thenComparingInt(d -> Deltas.low(d.key));
    /** (uid, fid, ip, client_id): {@code transfer_ips}'s primary key, unsigned columns. */
    private static final Comparator<Deltas.Ip> BY_IP_KEY = (a, b) -> {
        int c = Integer.compareUnsigned(a.key.userId(), b.key.userId());
        if (c == 0) {
            c = Integer.compareUnsigned(a.key.torrentId(), b.key.torrentId());
        }
        if (c == 0) {
            c = Integer.compareUnsigned(a.key.ip(), b.key.ip());
        }
        return c != 0 ? c : Integer.compareUnsigned(a.key.clientId(), b.key.clientId());
    };

    static final Writer<Deltas.User> USERS = (connection, batch) -> {
        for (List<Deltas.User> chunk : chunks(batch, BY_ID)) {
            StringBuilder sql = new StringBuilder(64 + chunk.size() * 80).append("UPDATE users_main AS u JOIN (");
            boolean first = true;
            for (Deltas.User row : chunk) {
                derivedRow(sql, first, USER_COLUMNS,
                        row.key, row.up, row.down, row.rawUp, row.rawDown);
                first = false;
            }
            sql.append(") AS d ON u.ID = d.id SET u.Uploaded = u.Uploaded + d.up, u.Downloaded = u.Downloaded + d.down,"
                    + " u.rawup = u.rawup + d.rawup, u.rawdl = u.rawdl + d.rawdl");
            execute(connection, sql);
        }
    };

    static final Writer<Deltas.Torrent> TORRENTS = (connection, batch) -> {
        for (List<Deltas.Torrent> chunk : chunks(batch, BY_ID)) {
            StringBuilder sql = new StringBuilder(64 + chunk.size() * 80).append("UPDATE torrents AS t JOIN (");
            boolean first = true;
            for (Deltas.Torrent row : chunk) {
                derivedRow(sql, first, TORRENT_COLUMNS,
                        row.key, row.seeders, row.leechers, row.snatches, row.lastAction);
                first = false;
            }
            sql.append(") AS d ON t.ID = d.id SET t.Seeders = d.seeders, t.Leechers = d.leechers,"
                    + " t.Snatched = t.Snatched + d.snatched, t.last_action = GREATEST(t.last_action, d.last_action)");
            execute(connection, sql);
        }
    };

    /** {@code flush_groups}: Time = UNIX_TIMESTAMP() for the groups of the flushed torrents. */
    static void touchGroups(Connection connection, List<Deltas.Torrent> batch) throws SQLException {
        TreeSet<Integer> anime = new TreeSet<>();
        TreeSet<Integer> music = new TreeSet<>();
        for (Deltas.Torrent row : batch) {
            (row.type == TorrentType.MUSIC ? music : anime).add(row.groupId);
        }
        touch(connection, "torrents_group", anime);
        touch(connection, "torrents_group2", music);
    }

    private static void touch(Connection connection, String table, TreeSet<Integer> groups) throws SQLException {
        if (groups.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET Time = UNIX_TIMESTAMP() WHERE ID IN (");
        for (int i = 0; i < groups.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (int group : groups) {
                statement.setInt(p++, group);
            }
            statement.executeUpdate();
        }
    }

    static final Writer<Deltas.History> HISTORY = (connection, batch) -> {
        for (List<Deltas.History> chunk : chunks(batch, BY_USER_TORRENT)) {
            StringBuilder sql = new StringBuilder(512 + chunk.size() * 96).append("INSERT INTO transfer_history (uid,"
                    + " fid, uploaded, downloaded, seeding, starttime, last_announce, activetime, seedtime, active,"
                    + " snatched, remaining) VALUES ");
            boolean first = true;
            for (Deltas.History row : chunk) {
                valuesRow(sql, first, Deltas.high(row.key), Deltas.low(row.key), row.up, row.down, row.seeding ? 1 : 0,
                        row.startTime, row.lastAnnounce, row.activeTime, row.seedTime, row.active ? 1 : 0,
                        row.snatches, row.remaining);
                first = false;
            }
            // starttime is insert-only, but the snatch writer may have created the row first with
            // starttime 0 (a value no announce has): then the first real start time fills it in.
            sql.append(" ON DUPLICATE KEY UPDATE uploaded = uploaded + VALUES(uploaded),"
                    + " starttime = IF(starttime = 0, VALUES(starttime), starttime),"
                    + " downloaded = downloaded + VALUES(downloaded), seeding = VALUES(seeding),"
                    + " last_announce = VALUES(last_announce), activetime = activetime + VALUES(activetime),"
                    + " seedtime = seedtime + VALUES(seedtime), active = VALUES(active),"
                    + " snatched = snatched + VALUES(snatched), remaining = VALUES(remaining)");
            execute(connection, sql);
        }
    };

    static final Writer<Deltas.Ip> IPS = (connection, batch) -> {
        for (List<Deltas.Ip> chunk : chunks(batch, BY_IP_KEY)) {
            StringBuilder sql = new StringBuilder(256 + chunk.size() * 80).append("INSERT INTO transfer_ips (uid, fid,"
                    + " ip, client_id, port, uploaded, downloaded, starttime, last_announce) VALUES ");
            boolean first = true;
            for (Deltas.Ip row : chunk) {
                valuesRow(sql, first, Integer.toUnsignedLong(row.key.userId()),
                        Integer.toUnsignedLong(row.key.torrentId()), Integer.toUnsignedLong(row.key.ip()),
                        row.key.clientId(), row.port, row.up, row.down, row.startTime, row.lastAnnounce);
                first = false;
            }
            sql.append(" ON DUPLICATE KEY UPDATE port = VALUES(port), last_announce = VALUES(last_announce),"
                    + " uploaded = uploaded + VALUES(uploaded), downloaded = downloaded + VALUES(downloaded)");
            execute(connection, sql);
        }
    };

    static final Writer<Deltas.Snatch> SNATCHES = (connection, batch) -> {
        for (List<Deltas.Snatch> chunk : chunks(batch, BY_USER_TORRENT)) {
            StringBuilder sql = new StringBuilder(128 + chunk.size() * 32)
                    .append("INSERT INTO transfer_history (uid, fid, snatched_time) VALUES ");
            boolean first = true;
            for (Deltas.Snatch row : chunk) {
                valuesRow(sql, first, Deltas.high(row.key), Deltas.low(row.key), row.time);
                first = false;
            }
            sql.append(" ON DUPLICATE KEY UPDATE snatched_time = VALUES(snatched_time)");
            execute(connection, sql);
        }
    };

    /** {@code Status = 0} for torrents un-pruned by an announce. */
    static void unprune(Connection connection, List<Integer> torrentIds) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE torrents SET Status = 0 WHERE ID IN (");
        for (int i = 0; i < torrentIds.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (int id : torrentIds) {
                statement.setInt(p++, id);
            }
            statement.executeUpdate();
        }
    }

    /** The table where each writer's transactions record their batch id (see {@link TableWriter}). */
    static final String CREATE_FLUSH_LOG = "CREATE TABLE IF NOT EXISTS chihaya_flush_log ("
            + " writer varchar(64) NOT NULL PRIMARY KEY,"
            + " batch bigint unsigned NOT NULL,"
            + " written_at int unsigned NOT NULL)";

    /** Records, inside the batch's own transaction, that batch {@code batchId} of {@code writer} committed. */
    static void markBatch(Connection connection, String writer, long batchId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO chihaya_flush_log (writer, batch, written_at) VALUES (?, ?, UNIX_TIMESTAMP())"
                        + " ON DUPLICATE KEY UPDATE batch = VALUES(batch), written_at = VALUES(written_at)")) {
            statement.setString(1, writer);
            statement.setLong(2, batchId);
            statement.executeUpdate();
        }
    }

    /** Clears {@code active} on history rows idle since before {@code cutoff}. */
    static int deactivate(Connection connection, long cutoff) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE transfer_history SET active = 0 WHERE last_announce < ? AND active = 1")) {
            statement.setLong(1, cutoff);
            return statement.executeUpdate();
        }
    }

    /** One row of a derived table: {@code SELECT 1 AS id, 2 AS up} first, {@code UNION ALL SELECT 3, 4} after. */
    private static void derivedRow(StringBuilder sql, boolean first, String[] columns, long... values) {
        sql.append(first ? "SELECT " : " UNION ALL SELECT ");
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                sql.append(", ");
            }
            sql.append(values[c]);
            if (first) {
                sql.append(" AS ").append(columns[c]);
            }
        }
    }

    /** One row of a VALUES list: {@code (1,2,3)}, preceded by a comma after the first. */
    private static void valuesRow(StringBuilder sql, boolean first, long... values) {
        sql.append(first ? "(" : ",(");
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                sql.append(',');
            }
            sql.append(values[c]);
        }
        sql.append(')');
    }

    private static void execute(Connection connection, CharSequence sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql.toString());
        }
    }

    /**
     * The batch in key order, cut into statements of at most ROWS_PER_STATEMENT rows. It sorts a
     * copy: the caller's list, which a failed write puts back, is left as it is.
     */
    private static <D> List<List<D>> chunks(List<D> batch, Comparator<? super D> order) {
        List<D> sorted = new ArrayList<>(batch);
        sorted.sort(order);
        List<List<D>> chunks = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }
}
