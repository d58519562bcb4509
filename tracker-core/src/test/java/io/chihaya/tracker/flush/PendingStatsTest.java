package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.TorrentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pending-stats file: a faithful snapshot, an exact replay, a clear error for a bad file. */
class PendingStatsTest {
    @TempDir
    Path directory;

    /** Random changes to a few rows, several per row, replayable in the same order. */
    private static void changes(FlushQueues queues, long seed, int count) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int user = 1 + random.nextInt(4);
            int torrent = 1 + random.nextInt(5);
            long time = 1_700_000_000L + i;
            switch (random.nextInt(6)) {
                case 0 -> queues.user(user, random.nextInt(1000), random.nextInt(1000), random.nextInt(1000),
                        random.nextInt(1000));
                case 1 -> queues.torrent(torrent, 10 + torrent, random.nextBoolean() ? TorrentType.MUSIC
                        : TorrentType.ANIME, random.nextInt(50), random.nextInt(50), random.nextInt(2), time);
                case 2 -> queues.transferHistory(user, torrent, random.nextInt(1000), random.nextInt(1000),
                        random.nextBoolean(), time - random.nextInt(100), time, random.nextInt(60), random.nextInt(60),
                        random.nextBoolean(), random.nextInt(2), random.nextInt(1 << 20));
                case 3 -> queues.transferIp(user, torrent, 0x7f000001 + random.nextInt(3), random.nextInt(2),
                        1024 + random.nextInt(9), random.nextInt(1000), random.nextInt(1000), time - random.nextInt(100),
                        time);
                case 4 -> queues.snatch(user, torrent, time);
                default -> queues.unprune(torrent);
            }
        }
    }

    private static PendingStats snapshot(FlushQueues queues) {
        return new PendingStats(PendingStats.FORMAT, PendingStats.snapshot(queues), List.of());
    }

    private static void assertSameRows(PendingStats.Rows actual, PendingStats.Rows expected) {
        assertThat(actual.users()).containsExactlyInAnyOrderElementsOf(expected.users());
        assertThat(actual.torrents()).containsExactlyInAnyOrderElementsOf(expected.torrents());
        assertThat(actual.history()).containsExactlyInAnyOrderElementsOf(expected.history());
        assertThat(actual.ips()).containsExactlyInAnyOrderElementsOf(expected.ips());
        assertThat(actual.snatches()).containsExactlyInAnyOrderElementsOf(expected.snatches());
        assertThat(actual.unprunes()).containsExactlyInAnyOrderElementsOf(expected.unprunes());
    }

    @Test
    void fileRoundTripReplaysEveryFieldOfEveryRow() throws IOException {
        for (long seed = 1; seed <= 200; seed++) {
            FlushQueues queues = new FlushQueues();
            changes(queues, seed, 300);
            PendingStats stats = snapshot(queues);
            Path file = directory.resolve("pending-" + seed + ".json");
            stats.write(file);
            PendingStats read = PendingStats.read(file);

            FlushQueues replayed = new FlushQueues();
            PendingStats.replayInto(read.rows(), replayed);
            assertSameRows(PendingStats.snapshot(replayed), stats.rows());
            assertThat(read.rows().count()).as("seed " + seed).isEqualTo(stats.rows().count()).isPositive();
        }
    }

    /** Replaying a merged row and then going on gives what one queue receiving every change holds. */
    @Test
    void replayThenMoreChangesEqualsAllChangesInOneQueue() throws IOException {
        for (long seed = 1; seed <= 200; seed++) {
            FlushQueues whole = new FlushQueues();
            changes(whole, seed, 200);
            changes(whole, seed + 10_000, 200);

            FlushQueues before = new FlushQueues();
            changes(before, seed, 200);
            Path file = directory.resolve("pending.json");
            snapshot(before).write(file);
            FlushQueues after = new FlushQueues();
            PendingStats.replayInto(PendingStats.read(file).rows(), after);
            changes(after, seed + 10_000, 200);

            assertSameRows(PendingStats.snapshot(after), PendingStats.snapshot(whole));
        }
    }

    @Test
    void inDoubtBatchesSurviveTheFile() throws IOException {
        PendingStats.Rows batch = new PendingStats.Rows(List.of(new PendingStats.UserRow(3, 1, 2, 3, 4)), List.of(),
                List.of(), List.of(), List.of(), List.of());
        PendingStats stats = new PendingStats(PendingStats.FORMAT, PendingStats.Rows.EMPTY,
                List.of(new PendingStats.InDoubt("users_main", "users_main@abc", 42, batch)));
        Path file = directory.resolve("pending.json");
        stats.write(file);
        assertThat(PendingStats.read(file)).isEqualTo(stats);
        assertThat(stats.summary()).endsWith("in_doubt_batches=1 in_doubt_rows=1");
        try (var listing = Files.list(directory)) {
            assertThat(listing.toList()).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aBadFileGivesOneLineNamingIt() throws IOException {
        Path file = directory.resolve("pending.json");
        for (String content : List.of("", "{", "[]", "{\"version\":2,\"rows\":null,\"inDoubt\":[]}",
                "{\"version\":1,\"inDoubt\":[]}",
                "{\"version\":1,\"rows\":{\"users\":[],\"torrents\":[],\"history\":[],\"ips\":[],\"snatches\":[]},"
                        + "\"inDoubt\":[]}",
                "{\"version\":1,\"rows\":{\"users\":[{\"id\":1}],\"torrents\":[],\"history\":[],\"ips\":[],"
                        + "\"snatches\":[],\"unprunes\":[]},\"inDoubt\":[]}",
                "{\"version\":1,\"rows\":{\"users\":[],\"torrents\":[],\"history\":[],\"ips\":[],\"snatches\":[],"
                        + "\"unprunes\":[]},\"inDoubt\":[{\"table\":\"nope\",\"writer\":\"w\",\"batch\":1,\"rows\":"
                        + "{\"users\":[],\"torrents\":[],\"history\":[],\"ips\":[],\"snatches\":[],\"unprunes\":[]}}]}")) {
            Files.writeString(file, content);
            assertThatThrownBy(() -> PendingStats.read(file)).as(content).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file.toString()).hasMessageNotContaining("\n");
        }
    }
}
