package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged and hostile cache files: every one must end in a {@link CacheCorruptException} with a message
 * that says what and where, never in another exception or a huge allocation.
 */
class CacheCorruptionTest {
    private static final Instant WRITTEN = Instant.parse("2024-03-01T12:00:00Z");
    /** Where things are in {@link #smallCache()}: one user, then one torrent with two peers. */
    private static final int USER_AT = CacheFormat.HEADER_SIZE + CacheFormat.SECTION_HEADER_SIZE;
    private static final int TORRENTS_SECTION_AT = USER_AT + CacheFormat.USER_FIXED_SIZE + 32;
    private static final int TORRENT_AT = TORRENTS_SECTION_AT + CacheFormat.SECTION_HEADER_SIZE;
    private static final int PEER_AT = TORRENT_AT + CacheFormat.TORRENT_FIXED_SIZE;

    @TempDir
    Path dir;
    private CacheStore store;

    @BeforeEach
    void setUp() {
        store = CacheStore.inDirectory(dir);
    }

    @Test
    void aCacheTruncatedAtAnyOffsetIsCorrupt() throws IOException {
        store.write(SampleSwarms.registry(2, 4, 5, 14));
        byte[] whole = Files.readAllBytes(store.file());
        for (int length = 0; length < whole.length; length++) {
            // A new file per length: truncating a file in place makes the file system flush it (slow).
            CacheStore cut = new CacheStore(dir.resolve("cut-" + length));
            Files.write(cut.file(), Arrays.copyOf(whole, length));
            assertThatThrownBy(cut::read, "cut at %d", length).isExactlyInstanceOf(CacheCorruptException.class);
        }
    }

    @Test
    void everySingleBitFlipIsDetected() throws IOException {
        store.write(SampleSwarms.registry(3, 3, 3, 8));
        byte[] whole = Files.readAllBytes(store.file());
        assertThat(whole.length).isGreaterThan(300);
        try (FileChannel channel = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
            for (int bit = 0; bit < whole.length * 8; bit++) {
                byte[] flipped = whole.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                channel.write(ByteBuffer.wrap(flipped), 0); // same length: overwrite in place, no truncation
                int at = bit;
                assertThatThrownBy(() -> store.read(), "bit %d", at).isExactlyInstanceOf(CacheCorruptException.class);
            }
        }
    }

    @Test
    void bytesAfterTheEndAreCorrupt() throws IOException {
        write(smallCache());
        byte[] whole = Files.readAllBytes(store.file());
        Files.write(store.file(), Arrays.copyOf(whole, whole.length + 3));
        assertCorrupt("no end marker");
    }

    @Test
    void aFileThatIsNotACacheSaysSo() throws IOException {
        Files.writeString(store.file(), "{\"users\": [], \"torrents\": []}");
        assertCorrupt("at byte 0: not a chihaya cache file (it starts with 7b227573657273");
        Files.write(store.file(), new byte[0]);
        assertCorrupt("0 bytes long");
    }

    @Test
    void aChecksumMismatchNamesTheRange() throws IOException {
        byte[] bytes = smallCache();
        bytes[PEER_AT + 30] ^= 1;
        Files.write(store.file(), bytes);
        assertCorrupt("checksum mismatch over bytes 40-");
        bytes = smallCache();
        bytes[21] ^= 1;
        Files.write(store.file(), bytes);
        assertCorrupt("at byte 36: header checksum mismatch");
    }

    @Test
    void aNewerVersionIsRefusedByName() throws IOException {
        byte[] bytes = smallCache();
        bytes[9] = 2;
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("at byte 8: format version 2 is not supported (this build reads version 1)");
    }

    @Test
    void hugeDeclaredLengthsAreCleanErrorsNotAllocations() throws IOException {
        byte[] bytes = smallCache();
        ByteBuffer.wrap(bytes).putInt(TORRENTS_SECTION_AT + 4, Integer.MAX_VALUE);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("at byte " + (TORRENTS_SECTION_AT + 4) + ": section TRNT declares 2147483647 bytes but");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putInt(TORRENTS_SECTION_AT + 4, -8);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("section TRNT declares 4294967288 bytes");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putInt(TORRENT_AT + 65, 0x7FFF_FFF0);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("torrent #0 (id 70): 2147483632 peers declared but its section has room for 2");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putLong(28, Long.MAX_VALUE);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("at byte 20: the header declares 1 users, 1 torrents and 9223372036854775807 peers, more than");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putInt(20, -1);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("the header declares 4294967295 users");
    }

    @Test
    void countsThatDisagreeWithTheSectionsAreCorrupt() throws IOException {
        byte[] bytes = smallCache();
        ByteBuffer.wrap(bytes).putLong(28, 1);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("torrent #0 (id 70): more peers than the 1 the header declares");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putInt(20, 2);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("the header declares 2 users, 1 torrents and 2 peers, the sections hold 1, 1 and 2");
    }

    @Test
    void valuesOutOfRangeNameTheEntry() throws IOException {
        byte[] bytes = smallCache();
        bytes[TORRENT_AT + 56] = 7;
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("at byte " + (TORRENT_AT + 56) + ": torrent #0 (id 70): unknown torrent type 7");

        bytes = smallCache();
        bytes[PEER_AT + 2 * CacheFormat.PEER_SIZE - 1] = (byte) 0x80;
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("torrent #0 (id 70), peer #1: unknown flags 0x80");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putLong(TORRENT_AT + 28, -5);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("torrent #0 (id 70): negative Snatched -5");

        bytes = smallCache();
        ByteBuffer.wrap(bytes).putDouble(USER_AT + 13, Double.NaN);
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("at byte " + (USER_AT + 5) + ": user #0 (id 7): multipliers must be finite, are down 1.0, up NaN");

        bytes = smallCache();
        bytes[USER_AT + 4] = 4;
        Files.write(store.file(), reseal(bytes));
        assertCorrupt("user #0 (id 7): unknown flags 0x04");
    }

    @Test
    void duplicatesAreCorrupt() throws IOException {
        PeerSnapshot peer = peer(5, "-TR2940-aaaaaaaaaaaa", true);
        write(List.of(user(7, "a")), List.of(torrent(70, 1, List.of(peer, peer(6, "-TR2940-aaaaaaaaaaaa", false), peer))));
        // The passkey is 1 byte here, not 32: the torrent starts 31 bytes earlier than in smallCache().
        assertCorrupt("at byte " + (TORRENT_AT - 31 + 69 + 2 * 67) + ": torrent #0 (id 70), peer #2: the same user 5 and peer id "
                + "2d5452323934302d616161616161616161616161 as peer #0");

        // A swarm big enough to be indexed finds the repeat through its index.
        List<PeerSnapshot> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(peer(5 + i % 3, String.format("-TR2940-%012d", i), i % 2 == 0));
        }
        many.add(peer(8, String.format("-TR2940-%012d", 3), true)); // peer #3's peer id under another user: no repeat
        many.add(peer(5, String.format("-TR2940-%012d", 3), false));
        write(List.of(user(7, "a")), List.of(torrent(70, 1, many)));
        assertCorrupt("torrent #0 (id 70), peer #41: the same user 5 and peer id "
                + "2d5452323934302d303030303030303030303033 as peer #3");

        write(List.of(user(7, "a")), List.of(torrent(70, 1, List.of()), torrent(70, 2, List.of())));
        assertCorrupt("torrent #1 (id 70): the same id as torrent #0");
        write(List.of(user(7, "a")), List.of(torrent(70, 1, List.of()), torrent(71, 1, List.of())));
        assertCorrupt("torrent #1 (id 71): the same info hash as torrent #0");
        write(List.of(user(7, "a"), user(7, "b")), List.of());
        assertCorrupt("user #1 (id 7): the same id as user #0");
        write(List.of(user(7, "a"), user(8, "a")), List.of());
        assertCorrupt("user #1 (id 8): the same passkey as user #0");
    }

    @Test
    void unknownSectionsAreSkippedWhenOptionalAndRefusedOtherwise() throws IOException {
        byte[] small = smallCache();
        Files.write(store.file(), reseal(withSectionBeforeTrailer(small, "pend")));
        assertThat(store.read().orElseThrow().peerCount()).isEqualTo(2);

        Files.write(store.file(), reseal(withSectionBeforeTrailer(small, "PEND")));
        assertCorrupt("unknown section PEND (written by a newer version?)");

        Files.write(store.file(), reseal(withSectionBeforeTrailer(small, "P\u0001ND")));
        assertCorrupt("section tag 0x50014e44 is not four ASCII letters");
    }

    @Test
    void aUsersSectionAfterTheTorrentsIsCorrupt() throws IOException {
        byte[] small = smallCache();
        byte[] users = Arrays.copyOfRange(small, CacheFormat.HEADER_SIZE, TORRENTS_SECTION_AT);
        byte[] torrents = Arrays.copyOfRange(small, TORRENTS_SECTION_AT, small.length - CacheFormat.TRAILER_SIZE);
        ByteBuffer swapped = ByteBuffer.allocate(small.length);
        swapped.put(small, 0, CacheFormat.HEADER_SIZE).put(torrents).put(users)
                .put(small, small.length - CacheFormat.TRAILER_SIZE, CacheFormat.TRAILER_SIZE);
        Files.write(store.file(), reseal(swapped.array()));
        assertCorrupt("a users section after the torrents");
    }

    @Test
    void aNonFiniteMultiplierOrBadPasskeyIsRefusedAtWriteTime() {
        assertThatThrownBy(() -> write(List.of(new User(1, "a", Double.POSITIVE_INFINITY, 1, false, false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("user 1: multipliers must be finite, are down Infinity, up 1.0");
        assertThatThrownBy(() -> write(List.of(new User(1, "", 1, 1, false, false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("user 1: passkey must be 1-255 characters, is 0");
        assertThatThrownBy(() -> write(List.of(new User(1, "\u20ac", 1, 1, false, false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("user 1: passkey character 1 is not ISO-8859-1");
        assertThat(store.file()).doesNotExist();
    }

    /** Both readers, the snapshots of {@code cc} and the swarms of the tracker's start, refuse it alike. */
    private void assertCorrupt(String expected) {
        assertThatThrownBy(() -> store.read()).isExactlyInstanceOf(CacheCorruptException.class)
                .hasMessageStartingWith(store.file().toString() + ": ").hasMessageContaining(expected);
        assertThatThrownBy(() -> store.restore()).isExactlyInstanceOf(CacheCorruptException.class)
                .hasMessageStartingWith(store.file().toString() + ": ").hasMessageContaining(expected);
    }

    /** One user and one torrent with two peers, at the offsets the constants above name. */
    private byte[] smallCache() throws IOException {
        write(List.of(user(7, String.format("pk%030d", 7))),
                List.of(torrent(70, 1, List.of(peer(5, "-TR2940-aaaaaaaaaaaa", true), peer(6, "-TR2940-bbbbbbbbbbbb", false)))));
        return Files.readAllBytes(store.file());
    }

    private void write(List<User> users, List<TorrentSnapshot> torrents) throws IOException {
        store.write(WRITTEN, users, torrents, CacheProgress.NONE);
    }

    private void write(byte[] bytes) throws IOException {
        Files.write(store.file(), bytes);
    }

    private static User user(int id, String passkey) {
        return new User(id, passkey, 1, 1, false, true);
    }

    private static TorrentSnapshot torrent(int id, int hashByte, List<PeerSnapshot> peers) {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) hashByte);
        return new TorrentSnapshot(id, hash, 0, 3, 1, 0.5, 12, TorrentType.MUSIC, 1_700_000_000L, peers);
    }

    private static PeerSnapshot peer(int userId, String peerId, boolean seeding) {
        return new PeerSnapshot(userId, peerId.getBytes(StandardCharsets.ISO_8859_1), 0x0A000001, 6881, -1, 5,
                seeding ? 0 : 100, 1_700_000_000L, 4_000_000_000L, 3, seeding);
    }

    /** The file with an extra empty section of that tag just before the trailer. */
    private static byte[] withSectionBeforeTrailer(byte[] bytes, String tag) {
        int trailerAt = bytes.length - CacheFormat.TRAILER_SIZE;
        ByteBuffer out = ByteBuffer.allocate(bytes.length + 12);
        out.put(bytes, 0, trailerAt).put(tag.getBytes(StandardCharsets.ISO_8859_1)).putInt(4).putInt(0xCAFEBABE)
                .put(bytes, trailerAt, CacheFormat.TRAILER_SIZE);
        return out.array();
    }

    /** Recomputes both checksums, so that a test reaches the checks behind them. */
    static byte[] reseal(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        CRC32C header = new CRC32C();
        header.update(bytes, 0, CacheFormat.HEADER_CRC_OFFSET);
        buffer.putInt(CacheFormat.HEADER_CRC_OFFSET, (int) header.getValue());
        CRC32C body = new CRC32C();
        body.update(bytes, CacheFormat.HEADER_SIZE, bytes.length - 4 - CacheFormat.HEADER_SIZE);
        buffer.putInt(bytes.length - 4, (int) body.getValue());
        return bytes;
    }
}
