package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.ByteKeyTable;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracker's cache file ({@value #FILE_NAME}), which carries users and swarms across restarts: written
 * from a {@link Registry} every {@code database_serialize} seconds and at shutdown, read back at start
 * before the first database load.
 *
 * <p>A write streams into a temporary file beside the cache, forces it to disk, renames it over the old
 * file in one atomic step and syncs the directory, so a crash at any moment leaves either the old or
 * the new cache, never a torn one; a leftover temporary file is never read. Torrents are copied one at
 * a time under each torrent's own lock, so a write never holds up announces on more than one swarm.
 *
 * <p>Thread-safe: concurrent writes each use their own temporary file and the last rename wins; a read
 * sees one complete file.
 */
public final class CacheStore {
    /** The cache file's name in the tracker's working directory. */
    public static final String FILE_NAME = "chihaya-cache.bin";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = CacheFormat.VERSION;

    private static final Logger log = LoggerFactory.getLogger(CacheStore.class);
    private static final DateTimeFormatter QUARANTINE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;

    /**
     * @param file  the cache file
     * @param clock gives the written-at time and the quarantine time stamp
     */
    public CacheStore(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** A store for {@code file} on the system clock. */
    public CacheStore(Path file) {
        this(file, Clock.systemUTC());
    }

    /** The store of {@value #FILE_NAME} in {@code directory}. */
    public static CacheStore inDirectory(Path directory) {
        return new CacheStore(directory.resolve(FILE_NAME));
    }

    /** The cache file (absolute). */
    public Path file() {
        return file;
    }

    /**
     * Writes the registry's users and torrents, with every peer, and logs one line with the counts.
     *
     * @throws IOException the write failed; the previous cache is untouched
     */
    public CacheWriteSummary write(Registry registry) throws IOException {
        ByteKeyTable<User> users = registry.users();
        ByteKeyTable<Torrent> torrents = registry.torrents();
        return write(now(), CacheProgress.NONE, (long) users.size() + torrents.size(), writer -> {
            try {
                users.forEach((passkey, user) -> writeUnchecked(() -> writer.user(user)));
                torrents.forEach((infoHash, torrent) -> writeUnchecked(() -> writer.torrent(torrent.snapshot())));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.clients(storableClients(registry.approvedClients().prefixesById()));
        });
    }

    /**
     * The clients the cache can hold: a prefix from MariaDB with more than 255 characters or one
     * outside ISO-8859-1 is left out (with a warning) rather than failing every periodic write.
     */
    private Map<Integer, String> storableClients(Map<Integer, String> clients) {
        Map<Integer, String> storable = new java.util.TreeMap<>();
        int skipped = 0;
        for (Map.Entry<Integer, String> client : clients.entrySet()) {
            try {
                CacheWriter.latin1(client.getValue(), 0, CacheFormat.MAX_PREFIX_LENGTH, "prefix");
                storable.put(client.getKey(), client.getValue());
            } catch (IllegalArgumentException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            log.warn("{} approved clients left out of the cache: their peer_id prefix has more than {} characters"
                    + " or characters outside ISO-8859-1", skipped, CacheFormat.MAX_PREFIX_LENGTH);
        }
        return storable;
    }

    /**
     * Writes the given users and torrents (as {@code cc load} does), recording {@code writtenAt}.
     *
     * @param progress told of entries written (users, torrents and peers)
     * @throws IllegalArgumentException an entry holds a value the cache cannot (see {@link CacheFormat})
     * @throws IOException              the write failed; the previous cache is untouched
     */
    public CacheWriteSummary write(Instant writtenAt, Collection<User> users, Collection<TorrentSnapshot> torrents,
                                   CacheProgress progress) throws IOException {
        return write(writtenAt, users, torrents, Map.of(), progress);
    }

    /**
     * Writes the given users, torrents and approved clients ({@code id → peer_id prefix}), as
     * {@code cc load} does, recording {@code writtenAt}.
     *
     * @param progress told of entries written (users, torrents and peers)
     * @throws IllegalArgumentException an entry holds a value the cache cannot (see {@link CacheFormat})
     * @throws IOException              the write failed; the previous cache is untouched
     */
    public CacheWriteSummary write(Instant writtenAt, Collection<User> users, Collection<TorrentSnapshot> torrents,
                                   Map<Integer, String> clients, CacheProgress progress) throws IOException {
        long total = entries(users, torrents);
        return write(writtenAt.truncatedTo(ChronoUnit.MILLIS), progress, total, writer -> {
            long reported = 0;
            for (User user : users) {
                writer.user(user);
                reported = report(writer, progress, total, reported);
            }
            for (TorrentSnapshot torrent : torrents) {
                writer.torrent(torrent);
                reported = report(writer, progress, total, reported);
            }
            writer.clients(new java.util.TreeMap<>(clients));
        });
    }

    /**
     * Reads and checks the whole file.
     *
     * @return the contents, or empty when there is no file
     * @throws CacheCorruptException the file is damaged or not a cache this build can read
     * @throws IOException           the file could not be read
     */
    public Optional<CacheContents> read() throws IOException {
        return read(CacheProgress.NONE);
    }

    /**
     * Reads and checks the whole file, telling {@code progress} of the entries read.
     *
     * @return the contents, or empty when there is no file
     * @throws CacheCorruptException the file is damaged or not a cache this build can read
     * @throws IOException           the file could not be read
     */
    public Optional<CacheContents> read(CacheProgress progress) throws IOException {
        ArrayList<User> users = new ArrayList<>();
        ArrayList<TorrentSnapshot> torrents = new ArrayList<>();
        Map<Integer, String> clients = new java.util.TreeMap<>();
        Optional<CacheHeader> header = read(new CacheVisitor() {
            @Override
            public void header(CacheHeader header) {
                users.ensureCapacity(header.users()); // bounded: checked against the file size
                torrents.ensureCapacity(header.torrents());
            }

            @Override
            public void user(User user) {
                users.add(user);
            }

            @Override
            public void torrent(TorrentSnapshot torrent) {
                torrents.add(torrent);
            }

            @Override
            public void approvedClient(int id, String peerIdPrefix) {
                clients.put(id, peerIdPrefix);
            }
        }, progress);
        return header.map(h -> new CacheContents(h.version(), h.writtenAt(), users, torrents, clients));
    }

    /**
     * Reads and checks the whole file as {@link #read()} does, building each torrent's swarm straight
     * from the file (no snapshot per peer): what the tracker's start installs.
     *
     * @return the contents, or empty when there is no file
     * @throws CacheCorruptException the file is damaged or not a cache this build can read
     * @throws IOException           the file could not be read
     */
    public Optional<RestoredCache> restore() throws IOException {
        ArrayList<User> users = new ArrayList<>();
        List<ByteKeyTable.Builder<Torrent>> torrents = new ArrayList<>(1);
        Map<Integer, String> clients = new java.util.TreeMap<>();
        Optional<CacheHeader> header = read(new CacheVisitor() {
            @Override
            public void header(CacheHeader header) {
                users.ensureCapacity(header.users()); // bounded: checked against the file size
                torrents.add(new ByteKeyTable.Builder<>(header.torrents()));
            }

            @Override
            public void user(User user) {
                users.add(user);
            }

            @Override
            public boolean restoresTorrents() {
                return true;
            }

            @Override
            public void restoredTorrent(Torrent torrent) {
                torrents.get(0).put(torrent.infoHash(), torrent);
            }

            @Override
            public void approvedClient(int id, String peerIdPrefix) {
                clients.put(id, peerIdPrefix);
            }
        }, CacheProgress.NONE);
        return header.map(h -> new RestoredCache(h.writtenAt(), List.copyOf(users), torrents.get(0).build(),
                java.util.Collections.unmodifiableMap(clients), h.peers()));
    }

    /**
     * Streams the file through {@code visitor}, checking everything (the checksums before the first
     * entry), for tools that summarise or convert large caches without holding them.
     *
     * @return the header, or empty when there is no file
     * @throws CacheCorruptException the file is damaged or not a cache this build can read
     * @throws IOException           the file could not be read
     */
    public Optional<CacheHeader> read(CacheVisitor visitor, CacheProgress progress) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try (channel) {
            return Optional.of(new CacheReader(file, channel).read(visitor, progress));
        }
    }

    /**
     * Reads the header and verifies both checksums without decoding any entry.
     *
     * @return the header, or empty when there is no file
     */
    public Optional<CacheHeader> readHeader() throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try (channel) {
            return Optional.of(new CacheReader(file, channel).readHeader());
        }
    }

    /**
     * What the tracker calls at start: the contents, or empty when there is no file (logged at info) or
     * when the file cannot be read. An unreadable file is renamed to
     * {@code <name>.corrupt-<yyyyMMddTHHmmssZ>} beside it and one warning names the problem, so the
     * tracker starts with empty swarms instead of refusing to start, and the file is kept for
     * {@code cc inspect}. Temporary files left beside it by a write that a crash interrupted (never
     * read) are deleted, so that repeated crashes cannot fill the disk. Never throws.
     */
    public Optional<RestoredCache> readOrQuarantine() {
        long started = System.nanoTime();
        removeLeftoverTemporaryFiles();
        try {
            Optional<RestoredCache> contents = restore();
            if (contents.isEmpty()) {
                log.info("no cache at {}: starting with empty swarms", file);
            } else {
                RestoredCache c = contents.get();
                log.info("cache read from {}: {} users, {} torrents, {} peers, written at {}, in {} ms", file,
                        c.users().size(), c.torrents().size(), c.peers(), c.writtenAt(),
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
            return contents;
        } catch (IOException | RuntimeException e) {
            String problem = e instanceof CacheCorruptException ? e.getMessage() : file + ": " + e;
            log.warn("cache unreadable, {}; {}; starting with empty swarms", problem, quarantine());
            return Optional.empty();
        }
    }

    /** Deletes {@code <name>.*.tmp} beside the cache: what a write killed half-way leaves behind. */
    private void removeLeftoverTemporaryFiles() {
        Path directory = file.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        String prefix = file.getFileName() + ".";
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
                entry -> entry.getFileName().toString().startsWith(prefix)
                        && entry.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(entry))) {
            for (Path leftover : leftovers) {
                try {
                    Files.delete(leftover);
                    removed.add(leftover.getFileName().toString());
                } catch (IOException e) {
                    log.warn("cannot delete the leftover temporary cache file {}: {}", leftover, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot look for leftover temporary cache files in {}: {}", directory, e.toString());
        }
        if (!removed.isEmpty()) {
            log.warn("deleted {} temporary cache file(s) left by an interrupted write: {}", removed.size(), removed);
        }
    }

    /** Moves the cache aside; says where to, or why it could not. */
    private String quarantine() {
        String base = file.getFileName() + ".corrupt-" + QUARANTINE_STAMP.format(clock.instant());
        for (int attempt = 1; attempt < 100; attempt++) {
            Path target = file.resolveSibling(attempt == 1 ? base : base + "-" + attempt);
            try {
                Files.move(file, target);
                return "moved it to " + target.getFileName();
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                return "could not move it aside (" + e + ")";
            }
        }
        return "could not move it aside (too many quarantined caches named " + base + "*)";
    }

    private CacheWriteSummary write(Instant writtenAt, CacheProgress progress, long total, Body body) throws IOException {
        long started = System.nanoTime();
        Path directory = file.getParent();
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "the cache's directory does not exist");
        }
        Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
        boolean renamed = false;
        try {
            CacheWriter writer;
            long size;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writer = new CacheWriter(channel);
                body.writeTo(writer);
                size = writer.finish(writtenAt.toEpochMilli());
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            syncDirectory(directory);
            progress.update(writer.users() + writer.torrents() + writer.peers(),
                    Math.max(total, writer.users() + writer.torrents() + writer.peers()));
            CacheWriteSummary summary = new CacheWriteSummary(file, writtenAt, writer.users(), writer.torrents(),
                    writer.peers(), size, Duration.ofNanos(System.nanoTime() - started));
            log.info("cache written to {}: {} users, {} torrents, {} peers, {} bytes in {} ms", file, summary.users(),
                    summary.torrents(), summary.peers(), summary.bytes(), summary.elapsed().toMillis());
            return summary;
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.warn("could not delete the temporary cache file {}: {}", temporary, e.toString());
                }
            }
        }
    }

    /** Makes the rename durable; not every platform can open a directory, and then the rename is all we have. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("could not sync directory {}: {}", directory, e.toString());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static long entries(Collection<User> users, Collection<TorrentSnapshot> torrents) {
        long total = (long) users.size() + torrents.size();
        for (TorrentSnapshot torrent : torrents) {
            total += torrent.peers().size();
        }
        return total;
    }

    /** Reports every 64k entries or so; returns the count last reported. */
    private static long report(CacheWriter writer, CacheProgress progress, long total, long reported) {
        long done = writer.users() + writer.torrents() + writer.peers();
        if (done - reported < 1 << 16) {
            return reported;
        }
        progress.update(done, total);
        return done;
    }

    private static void writeUnchecked(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a write puts between the header and the trailer. */
    private interface Body {
        void writeTo(CacheWriter writer) throws IOException;
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
