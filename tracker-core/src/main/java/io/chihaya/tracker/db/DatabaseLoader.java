package io.chihaya.tracker.db;

import io.chihaya.tracker.model.ApprovedClients;
import io.chihaya.tracker.model.GroupFreeleech;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.Multipliers;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import org.jdbi.v3.core.Jdbi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the tracker needs from MariaDB (SPEC 6.1). Each method runs one query and returns
 * plain values (or, for the torrents, hands them to a sink as they arrive); it changes nothing in
 * memory itself, so a failure leaves the caller's data as it was.
 * Thread-safe.
 */
public final class DatabaseLoader {
    private static final int FETCH_SIZE = 10_000;
    private final Jdbi jdbi;

    public DatabaseLoader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Enabled users. */
    public List<User> users() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT ID, torrent_pass, DownMultiplier, UpMultiplier, DisableDownload, TrackerHide"
                                + " FROM users_main WHERE Enabled = '1'")
                .setFetchSize(FETCH_SIZE)
                .map((rs, ctx) -> new User(rs.getInt(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getBoolean(5), rs.getBoolean(6)))
                .list());
    }

    /** Hit-and-runs of enabled users, as {@link LongSet#pair} keys. */
    public LongSet hitAndRuns() {
        return jdbi.withHandle(handle -> {
            long[][] values = {new long[1024]};
            int[] count = {0};
            handle.createQuery("SELECT h.uid, h.fid FROM transfer_history AS h JOIN users_main AS u ON u.ID = h.uid"
                            + " WHERE h.hnr = 1 AND u.Enabled = '1'")
                    .setFetchSize(FETCH_SIZE)
                    .map((rs, ctx) -> LongSet.pair(rs.getInt(1), rs.getInt(2)))
                    .forEach(pair -> {
                        if (count[0] == values[0].length) {
                            values[0] = java.util.Arrays.copyOf(values[0], count[0] * 2);
                        }
                        values[0][count[0]++] = pair;
                    });
            return LongSet.of(values[0], count[0]);
        });
    }

    /** Every torrent row. */
    public List<TorrentRow> torrents() {
        List<TorrentRow> rows = new java.util.ArrayList<>();
        torrents(rows::add);
        return rows;
    }

    /**
     * Streams every torrent row to {@code sink} as it arrives ({@value #FETCH_SIZE} rows per fetch),
     * skipping rows whose info_hash is not 20 bytes.
     *
     * @return the number of rows passed on
     */
    public int torrents(java.util.function.Consumer<TorrentRow> sink) {
        return jdbi.withHandle(handle -> {
            int[] count = {0};
            handle.createQuery("SELECT ID, info_hash, DownMultiplier, UpMultiplier, Snatched, Status, GroupID,"
                            + " TorrentType, last_action FROM torrents")
                    .setFetchSize(FETCH_SIZE)
                    .map((rs, ctx) -> new TorrentRow(rs.getInt(1), rs.getBytes(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getLong(5), rs.getInt(6), rs.getInt(7), TorrentType.fromSql(rs.getString(8)),
                            rs.getLong(9)))
                    .filter(row -> row.infoHash() != null && row.infoHash().length == 20)
                    .forEach(row -> {
                        sink.accept(row);
                        count[0]++;
                    });
            return count[0];
        });
    }

    /** Group multipliers. */
    public GroupFreeleech groupFreeleech() {
        Map<Long, Multipliers> rows = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "SELECT GroupID, Type, DownMultiplier, UpMultiplier FROM torrent_group_freeleech")
                .map((rs, ctx) -> Map.entry(GroupFreeleech.key(rs.getInt(1), TorrentType.fromSql(rs.getString(2))),
                        new Multipliers(rs.getDouble(3), rs.getDouble(4))))
                .forEach(entry -> rows.put(entry.getKey(), entry.getValue())));
        return GroupFreeleech.of(rows);
    }

    /** Site-wide freeleech: on when the {@code global_freeleech} row exists with a non-zero setting. */
    public boolean globalFreeleech() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT mod_setting FROM mod_core WHERE mod_option = 'global_freeleech'")
                .mapTo(Long.class)
                .findOne()
                .map(setting -> setting != 0)
                .orElse(false));
    }

    /** Approved, non-archived client prefixes by id (rows with a NULL prefix approve nothing). */
    public ApprovedClients approvedClients() {
        Map<Integer, String> prefixes = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "SELECT id, peer_id FROM approved_clients WHERE COALESCE(archived, 0) = 0 AND peer_id IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2)))
                .forEach(entry -> prefixes.put(entry.getKey(), entry.getValue())));
        return ApprovedClients.of(prefixes);
    }
}
