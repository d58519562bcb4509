package io.chihaya.tracker.flush;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.TorrentType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Statistic changes that could not be written to MariaDB at shutdown, kept in a file so that the next
 * start writes them, exactly once (SPEC 6.2: nothing is lost).
 *
 * <p>{@link #rows} are merged pending rows with every field (adds, overwrites, insert-only starttime,
 * last_action), so replaying them gives the same SQL effects as writing them would have. Each
 * {@link InDoubt} batch is one whose write failed in a way that may have committed: its transaction
 * also stored {@code batch} in {@code chihaya_flush_log} under {@code writer}, which the next start
 * checks before writing it again (see {@link Flusher#restore}).
 *
 * <p>Immutable value (its lists are not copied; do not change them); {@link #write} and {@link #read}
 * may be called from any thread.
 *
 * @param version  the file format, {@link #FORMAT}
 * @param rows     changes certainly not written
 * @param inDoubt  batches that may or may not have been committed, at most one per table
 */
public record PendingStats(int version, Rows rows, List<InDoubt> inDoubt) {
    /** The file format this code writes and reads. */
    public static final int FORMAT = 1;
    private static final Set<String> TABLES = Set.of("users_main", "torrents", "transfer_history", "transfer_ips",
            "snatches");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Pending rows per table, and torrents waiting to be un-pruned. */
    public record Rows(List<UserRow> users, List<TorrentRow> torrents, List<HistoryRow> history, List<IpRow> ips,
                       List<SnatchRow> snatches, List<Integer> unprunes) {
        static final Rows EMPTY = new Rows(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        /** Number of rows (un-prunes included). */
        public int count() {
            return users.size() + torrents.size() + history.size() + ips.size() + snatches.size() + unprunes.size();
        }
    }

    /** A batch of one table that may have been committed; {@code rows} holds only that table's rows. */
    public record InDoubt(String table, String writer, long batch, Rows rows) {
    }

    /** {@code users_main}: additive counters. */
    public record UserRow(int id, long up, long down, long rawUp, long rawDown) {
    }

    /** {@code torrents}: counts overwrite, snatches add, lastAction max. */
    public record TorrentRow(int id, int groupId, TorrentType type, int seeders, int leechers, long snatches,
                             long lastAction) {
    }

    /** {@code transfer_history}: every field of the merged row. */
    public record HistoryRow(int userId, int torrentId, long up, long down, boolean seeding, long startTime,
                             long lastAnnounce, long activeTime, long seedTime, boolean active, long snatches,
                             long remaining) {
    }

    /** {@code transfer_ips}: every field of the merged row. */
    public record IpRow(int userId, int torrentId, int ip, int clientId, int port, long up, long down, long startTime,
                        long lastAnnounce) {
    }

    /** {@code transfer_history.snatched_time}. */
    public record SnatchRow(int userId, int torrentId, long time) {
    }

    /** Nothing pending. */
    @JsonIgnore
    public boolean isEmpty() {
        return rows.count() == 0 && inDoubt.isEmpty();
    }

    /** Rows in doubt, over all batches. */
    public int inDoubtCount() {
        int count = 0;
        for (InDoubt batch : inDoubt) {
            count += batch.rows().count();
        }
        return count;
    }

    /** For log lines: the counts an operator needs. */
    public String summary() {
        return "users=" + rows.users().size() + " torrents=" + rows.torrents().size() + " transfer_history="
                + rows.history().size() + " transfer_ips=" + rows.ips().size() + " snatches=" + rows.snatches().size()
                + " unprunes=" + rows.unprunes().size() + " in_doubt_batches=" + inDoubt.size() + " in_doubt_rows="
                + inDoubtCount();
    }

    /**
     * Writes this to {@code file} atomically: a temporary file in the same directory, forced to disk,
     * then renamed over {@code file}, so a crash leaves either the old file or the complete new one.
     */
    public void write(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            ByteBuffer json = ByteBuffer.wrap(MAPPER.writeValueAsBytes(this));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                while (json.hasRemaining()) {
                    channel.write(json);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename durable; not every platform can open a directory, and then there is nothing to do. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is on disk
        }
    }

    /**
     * Reads and validates a file written by {@link #write}.
     *
     * @throws IOException with a one-line message naming the file and what is wrong with it
     */
    public static PendingStats read(Path file) throws IOException {
        PendingStats stats;
        try {
            stats = MAPPER.readValue(file.toFile(), PendingStats.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a pending-stats file: " + e.getOriginalMessage().replace('\n', ' '));
        }
        String problem = stats == null ? "empty" : stats.problem();
        if (problem != null) {
            throw new IOException(file + ": " + problem);
        }
        return stats;
    }

    private String problem() {
        if (version != FORMAT) {
            return "format version " + version + ", this tracker reads version " + FORMAT;
        }
        if (rows == null || inDoubt == null) {
            return "rows or inDoubt missing";
        }
        String problem = problem(rows);
        if (problem != null) {
            return problem;
        }
        Set<String> tables = new HashSet<>();
        for (InDoubt batch : inDoubt) {
            if (batch == null || batch.table() == null || batch.writer() == null || batch.rows() == null) {
                return "in-doubt batch with a missing field";
            }
            if (!TABLES.contains(batch.table()) || !tables.add(batch.table())) {
                return "unknown or repeated in-doubt table " + batch.table();
            }
            problem = problem(batch.rows());
            if (problem != null) {
                return problem;
            }
            if (batch.rows().count() != tableRows(batch.rows(), batch.table())) {
                return "in-doubt batch of " + batch.table() + " holds rows of other tables";
            }
        }
        return null;
    }

    private static String problem(Rows rows) {
        if (rows.users() == null || rows.torrents() == null || rows.history() == null || rows.ips() == null
                || rows.snatches() == null || rows.unprunes() == null) {
            return "a table's row list is missing";
        }
        if (hasNull(rows.users()) || hasNull(rows.torrents()) || hasNull(rows.history()) || hasNull(rows.ips())
                || hasNull(rows.snatches()) || hasNull(rows.unprunes())) {
            return "null row";
        }
        return null;
    }

    private static boolean hasNull(List<?> list) {
        for (Object element : list) {
            if (element == null) {
                return true;
            }
        }
        return false;
    }

    private static int tableRows(Rows rows, String table) {
        return switch (table) {
            case "users_main" -> rows.users().size();
            case "torrents" -> rows.torrents().size();
            case "transfer_history" -> rows.history().size();
            case "transfer_ips" -> rows.ips().size();
            default -> rows.snatches().size();
        };
    }

    // --- conversion from and to the pending rows; package-private, used by Flusher ---

    /** The rows of {@code queues}; call only while no writer takes rows (they may still be added to). */
    static Rows snapshot(FlushQueues queues) {
        return new Rows(list(queues.users, PendingStats::userRow), list(queues.torrents, PendingStats::torrentRow),
                list(queues.history, PendingStats::historyRow), list(queues.ips, PendingStats::ipRow),
                list(queues.snatches, PendingStats::snatchRow), List.copyOf(queues.unprunes));
    }

    private static <D extends Delta<?, D>, R> List<R> list(PendingRows<D> rows, Function<D, R> convert) {
        List<D> snapshot = rows.snapshot();
        List<R> list = new ArrayList<>(snapshot.size());
        for (D row : snapshot) {
            list.add(convert.apply(row));
        }
        return list;
    }

    /** Rows of a batch in doubt, converted with the same functions. */
    static <D> Rows batch(String table, List<D> batch) {
        List<UserRow> users = new ArrayList<>();
        List<TorrentRow> torrents = new ArrayList<>();
        List<HistoryRow> history = new ArrayList<>();
        List<IpRow> ips = new ArrayList<>();
        List<SnatchRow> snatches = new ArrayList<>();
        for (D row : batch) {
            switch (table) {
                case "users_main" -> users.add(userRow((Deltas.User) row));
                case "torrents" -> torrents.add(torrentRow((Deltas.Torrent) row));
                case "transfer_history" -> history.add(historyRow((Deltas.History) row));
                case "transfer_ips" -> ips.add(ipRow((Deltas.Ip) row));
                default -> snatches.add(snatchRow((Deltas.Snatch) row));
            }
        }
        return new Rows(users, torrents, history, ips, snatches, List.of());
    }

    /** Puts the certain rows back into {@code queues}, merged under any change already there. */
    static void replayInto(Rows rows, FlushQueues queues) {
        queues.users.putBack(users(rows));
        queues.torrents.putBack(torrents(rows));
        queues.history.putBack(history(rows));
        queues.ips.putBack(ips(rows));
        queues.snatches.putBack(snatches(rows));
        queues.unprunes.addAll(rows.unprunes());
    }

    static List<Deltas.User> users(Rows rows) {
        List<Deltas.User> out = new ArrayList<>();
        for (UserRow r : rows.users()) {
            Deltas.User d = new Deltas.User(r.id());
            d.up = r.up();
            d.down = r.down();
            d.rawUp = r.rawUp();
            d.rawDown = r.rawDown();
            out.add(d);
        }
        return out;
    }

    static List<Deltas.Torrent> torrents(Rows rows) {
        List<Deltas.Torrent> out = new ArrayList<>();
        for (TorrentRow r : rows.torrents()) {
            Deltas.Torrent d = new Deltas.Torrent(r.id());
            d.groupId = r.groupId();
            d.type = r.type();
            d.seeders = r.seeders();
            d.leechers = r.leechers();
            d.snatches = r.snatches();
            d.lastAction = r.lastAction();
            out.add(d);
        }
        return out;
    }

    static List<Deltas.History> history(Rows rows) {
        List<Deltas.History> out = new ArrayList<>();
        for (HistoryRow r : rows.history()) {
            Deltas.History d = new Deltas.History(LongSet.pair(r.userId(), r.torrentId()));
            d.up = r.up();
            d.down = r.down();
            d.seeding = r.seeding();
            d.startTime = r.startTime();
            d.lastAnnounce = r.lastAnnounce();
            d.activeTime = r.activeTime();
            d.seedTime = r.seedTime();
            d.active = r.active();
            d.snatches = r.snatches();
            d.remaining = r.remaining();
            out.add(d);
        }
        return out;
    }

    static List<Deltas.Ip> ips(Rows rows) {
        List<Deltas.Ip> out = new ArrayList<>();
        for (IpRow r : rows.ips()) {
            Deltas.Ip d = new Deltas.Ip(new Deltas.IpKey(r.userId(), r.torrentId(), r.ip(), r.clientId()));
            d.port = r.port();
            d.up = r.up();
            d.down = r.down();
            d.startTime = r.startTime();
            d.lastAnnounce = r.lastAnnounce();
            out.add(d);
        }
        return out;
    }

    static List<Deltas.Snatch> snatches(Rows rows) {
        List<Deltas.Snatch> out = new ArrayList<>();
        for (SnatchRow r : rows.snatches()) {
            Deltas.Snatch d = new Deltas.Snatch(LongSet.pair(r.userId(), r.torrentId()));
            d.time = r.time();
            out.add(d);
        }
        return out;
    }

    private static UserRow userRow(Deltas.User d) {
        return new UserRow(d.key, d.up, d.down, d.rawUp, d.rawDown);
    }

    private static TorrentRow torrentRow(Deltas.Torrent d) {
        return new TorrentRow(d.key, d.groupId, d.type, d.seeders, d.leechers, d.snatches, d.lastAction);
    }

    private static HistoryRow historyRow(Deltas.History d) {
        return new HistoryRow(Deltas.high(d.key), Deltas.low(d.key), d.up, d.down, d.seeding, d.startTime,
                d.lastAnnounce, d.activeTime, d.seedTime, d.active, d.snatches, d.remaining);
    }

    private static IpRow ipRow(Deltas.Ip d) {
        return new IpRow(d.key.userId(), d.key.torrentId(), d.key.ip(), d.key.clientId(), d.port, d.up, d.down,
                d.startTime, d.lastAnnounce);
    }

    private static SnatchRow snatchRow(Deltas.Snatch d) {
        return new SnatchRow(Deltas.high(d.key), Deltas.low(d.key), d.time);
    }
}
