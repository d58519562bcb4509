package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.TorrentType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The SQL of each flush: multi-row statements with bound parameters, the column effects of SPEC 6.2.
 * {@code users_main} and {@code torrents} are updated through a join on a derived table, so that a
 * row deleted meanwhile is not re-created half-empty; the transfer tables are upserted.
 */
final class FlushStatements {
    /** MariaDB allows 65,535 placeholders per statement; stay well below. */
    private static final int MAX_PLACEHOLDERS = 60_000;

    private FlushStatements() {
    }

    interface Writer<D> {
        /** Writes the whole batch on {@code connection}, inside the caller's transaction. */
        void write(Connection connection, List<D> batch) throws SQLException;
    }

    static final Writer<Deltas.User> USERS = (connection, batch) -> {
        for (List<Deltas.User> chunk : chunks(batch, 5)) {
            StringBuilder sql = new StringBuilder("UPDATE users_main AS u JOIN (");
            derivedTable(sql, chunk.size(), "id", "up", "down", "rawup", "rawdl");
            sql.append(") AS d ON u.ID = d.id SET u.Uploaded = u.Uploaded + d.up, u.Downloaded = u.Downloaded + d.down,"
                    + " u.rawup = u.rawup + d.rawup, u.rawdl = u.rawdl + d.rawdl");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Deltas.User row : chunk) {
                    statement.setInt(p++, row.key);
                    statement.setLong(p++, row.up);
                    statement.setLong(p++, row.down);
                    statement.setLong(p++, row.rawUp);
                    statement.setLong(p++, row.rawDown);
                }
                statement.executeUpdate();
            }
        }
    };

    static final Writer<Deltas.Torrent> TORRENTS = (connection, batch) -> {
        for (List<Deltas.Torrent> chunk : chunks(batch, 5)) {
            StringBuilder sql = new StringBuilder("UPDATE torrents AS t JOIN (");
            derivedTable(sql, chunk.size(), "id", "seeders", "leechers", "snatched", "last_action");
            sql.append(") AS d ON t.ID = d.id SET t.Seeders = d.seeders, t.Leechers = d.leechers,"
                    + " t.Snatched = t.Snatched + d.snatched, t.last_action = GREATEST(t.last_action, d.last_action)");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Deltas.Torrent row : chunk) {
                    statement.setInt(p++, row.key);
                    statement.setInt(p++, row.seeders);
                    statement.setInt(p++, row.leechers);
                    statement.setLong(p++, row.snatches);
                    statement.setLong(p++, row.lastAction);
                }
                statement.executeUpdate();
            }
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
        for (List<Deltas.History> chunk : chunks(batch, 12)) {
            StringBuilder sql = new StringBuilder("INSERT INTO transfer_history (uid, fid, uploaded, downloaded, seeding,"
                    + " starttime, last_announce, activetime, seedtime, active, snatched, remaining) VALUES ");
            values(sql, chunk.size(), 12);
            // starttime is insert-only, but the snatch writer may have created the row first with
            // starttime 0 (a value no announce has): then the first real start time fills it in.
            sql.append(" ON DUPLICATE KEY UPDATE uploaded = uploaded + VALUES(uploaded),"
                    + " starttime = IF(starttime = 0, VALUES(starttime), starttime),"
                    + " downloaded = downloaded + VALUES(downloaded), seeding = VALUES(seeding),"
                    + " last_announce = VALUES(last_announce), activetime = activetime + VALUES(activetime),"
                    + " seedtime = seedtime + VALUES(seedtime), active = VALUES(active),"
                    + " snatched = snatched + VALUES(snatched), remaining = VALUES(remaining)");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Deltas.History row : chunk) {
                    statement.setInt(p++, Deltas.high(row.key));
                    statement.setInt(p++, Deltas.low(row.key));
                    statement.setLong(p++, row.up);
                    statement.setLong(p++, row.down);
                    statement.setInt(p++, row.seeding ? 1 : 0);
                    statement.setLong(p++, row.startTime);
                    statement.setLong(p++, row.lastAnnounce);
                    statement.setLong(p++, row.activeTime);
                    statement.setLong(p++, row.seedTime);
                    statement.setInt(p++, row.active ? 1 : 0);
                    statement.setLong(p++, row.snatches);
                    statement.setLong(p++, row.remaining);
                }
                statement.executeUpdate();
            }
        }
    };

    static final Writer<Deltas.Ip> IPS = (connection, batch) -> {
        for (List<Deltas.Ip> chunk : chunks(batch, 9)) {
            StringBuilder sql = new StringBuilder("INSERT INTO transfer_ips (uid, fid, ip, client_id, port, uploaded,"
                    + " downloaded, starttime, last_announce) VALUES ");
            values(sql, chunk.size(), 9);
            sql.append(" ON DUPLICATE KEY UPDATE port = VALUES(port), last_announce = VALUES(last_announce),"
                    + " uploaded = uploaded + VALUES(uploaded), downloaded = downloaded + VALUES(downloaded)");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Deltas.Ip row : chunk) {
                    statement.setLong(p++, Integer.toUnsignedLong(row.key.userId()));
                    statement.setLong(p++, Integer.toUnsignedLong(row.key.torrentId()));
                    statement.setLong(p++, Integer.toUnsignedLong(row.key.ip()));
                    statement.setInt(p++, row.key.clientId());
                    statement.setInt(p++, row.port);
                    statement.setLong(p++, row.up);
                    statement.setLong(p++, row.down);
                    statement.setLong(p++, row.startTime);
                    statement.setLong(p++, row.lastAnnounce);
                }
                statement.executeUpdate();
            }
        }
    };

    static final Writer<Deltas.Snatch> SNATCHES = (connection, batch) -> {
        for (List<Deltas.Snatch> chunk : chunks(batch, 3)) {
            StringBuilder sql = new StringBuilder("INSERT INTO transfer_history (uid, fid, snatched_time) VALUES ");
            values(sql, chunk.size(), 3);
            sql.append(" ON DUPLICATE KEY UPDATE snatched_time = VALUES(snatched_time)");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (Deltas.Snatch row : chunk) {
                    statement.setInt(p++, Deltas.high(row.key));
                    statement.setInt(p++, Deltas.low(row.key));
                    statement.setLong(p++, row.time);
                }
                statement.executeUpdate();
            }
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

    private static void derivedTable(StringBuilder sql, int rows, String... columns) {
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "SELECT " : " UNION ALL SELECT ");
            for (int c = 0; c < columns.length; c++) {
                sql.append(c == 0 ? "?" : ", ?");
                if (r == 0) {
                    sql.append(" AS ").append(columns[c]);
                }
            }
        }
    }

    private static void values(StringBuilder sql, int rows, int columns) {
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "(" : ",(");
            for (int c = 0; c < columns; c++) {
                sql.append(c == 0 ? "?" : ",?");
            }
            sql.append(')');
        }
    }

    private static <D> List<List<D>> chunks(List<D> batch, int columns) {
        int perStatement = Math.max(1, Math.min(MAX_PLACEHOLDERS / columns, 2000));
        List<List<D>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < batch.size(); from += perStatement) {
            chunks.add(batch.subList(from, Math.min(batch.size(), from + perStatement)));
        }
        return chunks;
    }
}
