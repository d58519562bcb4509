package io.chihaya.tracker.recorder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The recorder's output: {@code <directory>/events_YYYY-MM-DDTHH.json}, one file per UTC hour, opened
 * for appending (a restart within the hour continues the same file) and switched when a line of
 * another hour arrives. Not thread-safe: only the recorder's writer thread uses it.
 */
final class HourlyFiles implements AutoCloseable {
    private static final long MILLIS_PER_HOUR = 3_600_000L;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private OutputStream out;
    private long openHour = Long.MIN_VALUE;

    HourlyFiles(Path directory) {
        this.directory = directory;
    }

    /** The file holding the lines of the UTC hour that contains {@code epochMillis}. */
    Path fileFor(long epochMillis) {
        long hour = Math.floorDiv(epochMillis, MILLIS_PER_HOUR);
        return directory.resolve("events_" + HOUR.format(Instant.ofEpochMilli(hour * MILLIS_PER_HOUR)) + ".json");
    }

    /** Appends one complete line to the file of its hour. */
    void write(long epochMillis, byte[] line, int length) throws IOException {
        long hour = Math.floorDiv(epochMillis, MILLIS_PER_HOUR);
        if (out == null || hour != openHour) {
            close();
            open(epochMillis);
            openHour = hour;
        }
        out.write(line, 0, length);
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Flushes and closes the open file, if any; the next write opens one again. */
    @Override
    public void close() throws IOException {
        OutputStream current = out;
        out = null;
        openHour = Long.MIN_VALUE;
        if (current != null) {
            current.close();
        }
    }

    private void open(long epochMillis) throws IOException {
        Files.createDirectories(directory);
        Path file = fileFor(epochMillis);
        boolean endsMidLine = endsMidLine(file);
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), BUFFER_BYTES);
        if (endsMidLine) {
            // A crash cut the last line short; start ours on a fresh line so that they stay whole.
            out.write('\n');
        }
    }

    private static boolean endsMidLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }
}
