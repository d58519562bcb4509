package io.chihaya.tracker.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AnnounceRecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IP_10_0_0_1 = 0x0A000001;

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-05T14:30:00Z"));

    private AnnounceRecorder start(int capacity) {
        return AnnounceRecorder.start(directory.resolve("events"), clock, capacity);
    }

    private Path file(String hour) {
        return directory.resolve("events").resolve("events_" + hour + ".json");
    }

    @Test
    void writesOneExactLinePerAnnounce() throws IOException {
        try (AnnounceRecorder recorder = start(1024)) {
            recorder.announced(1, 2, IP_10_0_0_1, 51413, "started", false, 0, 0, 0, 1024, 4096);
            recorder.announced(7, 9, 0xC0A8FFFE, 6881, "", true, -5, 123, 1000, 2000, 0);
            recorder.announced(3, 4, 0xFFFFFFFF, 65535, "a\"b\\c\u0001d\ne\u00ff\u007f\t", false,
                    Long.MIN_VALUE, Long.MAX_VALUE, -1L, Long.MIN_VALUE, 0x8000000000000001L);
            recorder.announced(Integer.MAX_VALUE, -1, 0, 0, "completed", true, 0, 0, 1, 0, 0);
        }

        assertThat(Files.readString(file("2024-03-05T14"), StandardCharsets.US_ASCII)).isEqualTo("""
                [1,2,"10.0.0.1",51413,"started",0,0,0,0,1024,4096]
                [7,9,"192.168.255.254",6881,"",1,-5,123,1000,2000,0]
                [3,4,"255.255.255.255",65535,"a\\"b\\\\c\\u0001d\\ne\\u00ff\\u007f\\t",0,-9223372036854775808,\
                9223372036854775807,18446744073709551615,9223372036854775808,9223372036854775809]
                [2147483647,4294967295,"0.0.0.0",0,"completed",1,0,0,1,0,0]
                """);
    }

    @Test
    void announcesWithNothingUploadedOrDownloadedAreSkipped() {
        try (AnnounceRecorder recorder = start(1024)) {
            recorder.announced(1, 2, IP_10_0_0_1, 51413, "started", false, 0, 0, 0, 0, 4096);
            recorder.announced(1, 2, IP_10_0_0_1, 51413, "stopped", false, 10, 10, 0, 0, 0);
            recorder.close();
            assertThat(recorder.written()).isZero();
            assertThat(recorder.dropped()).isZero();
        }

        assertThat(directory.resolve("events")).doesNotExist();
    }

    @Test
    void aNewFileEveryUtcHour() throws IOException {
        try (AnnounceRecorder recorder = start(1024)) {
            clock.set(Instant.parse("2024-03-05T14:59:59.999Z"));
            recorder.announced(1, 1, IP_10_0_0_1, 1, "", false, 0, 0, 1, 0, 0);
            clock.set(Instant.parse("2024-03-05T15:00:00Z"));
            recorder.announced(2, 2, IP_10_0_0_1, 2, "", false, 0, 0, 2, 0, 0);
            clock.set(Instant.parse("2024-03-06T00:00:00Z"));
            recorder.announced(3, 3, IP_10_0_0_1, 3, "", false, 0, 0, 3, 0, 0);
        }

        assertThat(Files.readString(file("2024-03-05T14"))).isEqualTo("[1,1,\"10.0.0.1\",1,\"\",0,0,0,1,0,0]\n");
        assertThat(Files.readString(file("2024-03-05T15"))).isEqualTo("[2,2,\"10.0.0.1\",2,\"\",0,0,0,2,0,0]\n");
        assertThat(Files.readString(file("2024-03-06T00"))).isEqualTo("[3,3,\"10.0.0.1\",3,\"\",0,0,0,3,0,0]\n");
    }

    @Test
    void appendsToTheHourFileAndStartsAFreshLineAfterACutOne() throws IOException {
        Files.createDirectories(file("2024-03-05T14").getParent());
        Files.writeString(file("2024-03-05T14"), "[1,1,\"10.0.0.1\",1,\"\",0,0,0,1,0,0]\n[1,2");

        try (AnnounceRecorder recorder = start(1024)) {
            recorder.announced(5, 6, IP_10_0_0_1, 7, "", false, 0, 0, 8, 0, 0);
        }

        assertThat(Files.readString(file("2024-03-05T14"))).isEqualTo(
                "[1,1,\"10.0.0.1\",1,\"\",0,0,0,1,0,0]\n[1,2\n[5,6,\"10.0.0.1\",7,\"\",0,0,0,8,0,0]\n");
    }

    @Test
    void closeDrainsEveryLineFromManyThreadsWithoutInterleaving() throws Exception {
        int threads = 8;
        int perThread = 12_500;
        AnnounceRecorder recorder = start(AnnounceRecorder.DEFAULT_CAPACITY);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> announcers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int torrent = t;
            Thread thread = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    recorder.announced(torrent, i, IP_10_0_0_1 + i, i & 0xFFFF, i % 7 == 0 ? "started" : "",
                            i % 2 == 0, i, -i, (long) i * 1_000_003L, 1, i);
                }
            });
            thread.start();
            announcers.add(thread);
        }
        go.countDown();
        for (Thread thread : announcers) {
            thread.join();
        }
        recorder.close();

        assertThat(recorder.written()).isEqualTo((long) threads * perThread);
        assertThat(recorder.dropped()).isZero();
        assertThat(recorder.pending()).isZero();
        BitSet[] seen = new BitSet[threads];
        for (int t = 0; t < threads; t++) {
            seen[t] = new BitSet(perThread);
        }
        List<String> lines = Files.readAllLines(file("2024-03-05T14"));
        assertThat(lines).hasSize(threads * perThread);
        List<String> bad = new ArrayList<>();
        for (String line : lines) {
            JsonNode array = JSON.readTree(line);
            if (!array.isArray() || array.size() != 11) {
                bad.add(line);
                continue;
            }
            int torrent = array.get(0).asInt();
            int index = array.get(1).asInt();
            if (array.get(8).asLong() != index * 1_000_003L || seen[torrent].get(index)) {
                bad.add(line);
            }
            seen[torrent].set(index);
        }
        assertThat(bad).as("malformed, mixed up or repeated lines").isEmpty();
        for (BitSet bits : seen) {
            assertThat(bits.cardinality()).isEqualTo(perThread);
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        AnnounceRecorder recorder = start(4);
        int threads = 4;
        int perThread = 20_000;
        List<Thread> announcers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    recorder.announced(1, i, IP_10_0_0_1, 1, "", false, 0, 0, 1, 1, 0);
                }
            });
            thread.start();
            announcers.add(thread);
        }
        for (Thread thread : announcers) {
            thread.join();
        }
        recorder.close();

        assertThat(recorder.written() + recorder.dropped()).isEqualTo((long) threads * perThread);
        try (Stream<String> lines = Files.lines(file("2024-03-05T14"))) {
            assertThat(lines.count()).isEqualTo(recorder.written());
        }
    }

    @Test
    void announcesAfterCloseAreDroppedQuietly() {
        AnnounceRecorder recorder = start(16);
        recorder.close();
        recorder.close();

        recorder.announced(1, 2, IP_10_0_0_1, 3, "", false, 0, 0, 4, 5, 6);

        assertThat(recorder.dropped()).isEqualTo(1);
        assertThat(recorder.written()).isZero();
    }

    /** Random event texts of chars 0-255 survive the trip through the file and a JSON parser. */
    @Test
    void everyEventTextRoundTrips() throws IOException {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> events = new ArrayList<>();
        try (AnnounceRecorder recorder = start(1 << 14)) {
            for (int i = 0; i < 5_000; i++) {
                char[] chars = new char[random.nextInt(65)];
                for (int c = 0; c < chars.length; c++) {
                    chars[c] = (char) random.nextInt(256);
                }
                String event = new String(chars);
                events.add(event);
                recorder.announced(i, i, random.nextInt(), random.nextInt(65536), event, random.nextBoolean(),
                        random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong() | 1,
                        random.nextLong());
            }
        }

        List<String> lines = Files.readAllLines(file("2024-03-05T14"), StandardCharsets.US_ASCII);
        assertThat(lines).as("seed %d", seed).hasSize(events.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode array = JSON.readTree(lines.get(i));
            assertThat(array.get(4).textValue()).as("seed %d, line %s", seed, lines.get(i)).isEqualTo(events.get(i));
            assertThat(Long.parseUnsignedLong(array.get(9).asText())).isOdd();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
