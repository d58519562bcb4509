package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static io.chihaya.tracker.cache.CacheFormat.HEADER_CRC_OFFSET;
import static io.chihaya.tracker.cache.CacheFormat.HEADER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.MAGIC;
import static io.chihaya.tracker.cache.CacheFormat.MAX_SECTION_LENGTH;
import static io.chihaya.tracker.cache.CacheFormat.MIN_USER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.PEER_SEEDING;
import static io.chihaya.tracker.cache.CacheFormat.PEER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.SECTION_HEADER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.CLIENT_FIXED_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.TAG_CLIENTS;
import static io.chihaya.tracker.cache.CacheFormat.TAG_END;
import static io.chihaya.tracker.cache.CacheFormat.TAG_TORRENTS;
import static io.chihaya.tracker.cache.CacheFormat.TAG_USERS;
import static io.chihaya.tracker.cache.CacheFormat.TORRENT_FIXED_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.TRAILER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.USER_DISABLE_DOWNLOAD;
import static io.chihaya.tracker.cache.CacheFormat.USER_FIXED_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.USER_TRACKER_HIDE;
import static io.chihaya.tracker.cache.CacheFormat.VERSION;

/**
 * Reads and checks one cache file (see {@link CacheFormat}): the header and both checksums first, then
 * every section, handing each checked entry to a {@link CacheVisitor}. Anything wrong is a
 * {@link CacheCorruptException} naming the byte offset and the entry. No allocation is sized by a
 * length read from the file before that length has been checked against the bytes actually left, so
 * a corrupt length cannot exhaust memory. Not thread-safe; one instance per read.
 */
final class CacheReader {
    private static final int CHUNK = 1 << 20;
    private static final int PROGRESS_STEP = 1 << 16;
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final PeerKeySet peerKeys = new PeerKeySet();
    private ByteBuffer body = ByteBuffer.allocate(0);

    private CacheHeader header;
    private CacheProgress progress = CacheProgress.NONE;
    private long entriesDone;
    private long lastReported;
    private int users;
    private int torrents;
    private long peers;
    private boolean torrentsStarted;
    private final Map<Integer, Integer> userIds = new HashMap<>();
    private final java.util.Set<Integer> clientIds = new java.util.HashSet<>();
    private boolean clientsStarted;
    private final Map<String, Integer> passkeys = new HashMap<>();
    private TorrentKeys torrentKeys;

    CacheReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Checks the header and the checksums only. */
    CacheHeader readHeader() throws IOException {
        if (size < MAGIC.length) {
            throw corrupt(-1, "the file is " + size + " bytes long, too short to be a cache (truncated?)");
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEADER_SIZE));
        readFully(head, 0);
        if (!Arrays.equals(head.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw corrupt(0, "not a chihaya cache file (it starts with "
                    + HEX.formatHex(head.array(), 0, MAGIC.length) + ")");
        }
        if (size < HEADER_SIZE + TRAILER_SIZE) {
            throw corrupt(size, "the file ends after " + size + " bytes, inside its header (truncated)");
        }
        int version = head.getShort(8) & 0xFFFF;
        if (version != VERSION) {
            throw corrupt(8, "format version " + version + " is not supported (this build reads version " + VERSION + ")");
        }
        CRC32C checksum = new CRC32C();
        checksum.update(head.array(), 0, HEADER_CRC_OFFSET);
        int stored = head.getInt(HEADER_CRC_OFFSET);
        if (stored != (int) checksum.getValue()) {
            throw corrupt(HEADER_CRC_OFFSET, String.format("header checksum mismatch (stored %08x, computed %08x)",
                    stored, (int) checksum.getValue()));
        }
        int flags = head.getShort(10) & 0xFFFF;
        if (flags != 0) {
            throw corrupt(10, String.format("unknown header flags 0x%04x", flags));
        }
        int bodyChecksum = verifyBody();
        long writtenAt = head.getLong(12);
        int userCount = head.getInt(20);
        int torrentCount = head.getInt(24);
        long peerCount = head.getLong(28);
        long bodySize = size - HEADER_SIZE - TRAILER_SIZE;
        if (userCount < 0 || torrentCount < 0 || peerCount < 0 || peerCount > bodySize / PEER_SIZE
                || (long) userCount * MIN_USER_SIZE + (long) torrentCount * TORRENT_FIXED_SIZE
                + peerCount * PEER_SIZE > bodySize) {
            throw corrupt(20, "the header declares " + Integer.toUnsignedString(userCount) + " users, "
                    + Integer.toUnsignedString(torrentCount) + " torrents and " + peerCount
                    + " peers, more than the " + bodySize + " bytes of sections can hold");
        }
        header = new CacheHeader(version, Instant.ofEpochMilli(writtenAt), userCount, torrentCount, peerCount, size,
                bodyChecksum);
        torrentKeys = new TorrentKeys(torrentCount); // bounded: checked against the file size above
        return header;
    }

    /** Reads everything, delivering checked entries to {@code visitor}. */
    CacheHeader read(CacheVisitor visitor, CacheProgress progressListener) throws IOException {
        readHeader();
        this.progress = progressListener;
        visitor.header(header);
        long end = size - TRAILER_SIZE;
        long at = HEADER_SIZE;
        while (at < end) {
            if (end - at < SECTION_HEADER_SIZE) {
                throw corrupt(at, (end - at) + " stray bytes before the end marker");
            }
            ByteBuffer sectionHeader = ByteBuffer.allocate(SECTION_HEADER_SIZE);
            readFully(sectionHeader, at);
            int tag = sectionHeader.getInt(0);
            int length = sectionHeader.getInt(4);
            long bodyStart = at + SECTION_HEADER_SIZE;
            if (CacheFormat.tagName(tag).startsWith("0x")) {
                throw corrupt(at, "section tag " + CacheFormat.tagName(tag) + " is not four ASCII letters");
            }
            if (length < 0 || length > end - bodyStart || length > MAX_SECTION_LENGTH) {
                throw corrupt(at + 4, "section " + CacheFormat.tagName(tag) + " declares "
                        + Integer.toUnsignedString(length) + " bytes but " + (end - bodyStart)
                        + " remain before the end marker");
            }
            if (tag == TAG_USERS) {
                if (torrentsStarted) {
                    throw corrupt(at, "a users section after the torrents");
                }
                readUsers(visitor, loadBody(bodyStart, length), bodyStart);
            } else if (tag == TAG_TORRENTS) {
                if (clientsStarted) {
                    throw corrupt(at, "a torrents section after the approved clients");
                }
                torrentsStarted = true;
                readTorrents(visitor, loadBody(bodyStart, length), bodyStart);
            } else if (tag == TAG_CLIENTS) {
                torrentsStarted = true;
                clientsStarted = true;
                readClients(visitor, loadBody(bodyStart, length), bodyStart);
            } else if (!CacheFormat.isOptional(tag)) {
                throw corrupt(at, "unknown section " + CacheFormat.tagName(tag) + " (written by a newer version?)");
            }
            at = bodyStart + length;
        }
        if (users != header.users() || torrents != header.torrents() || peers != header.peers()) {
            throw corrupt(end, "the header declares " + header.users() + " users, " + header.torrents()
                    + " torrents and " + header.peers() + " peers, the sections hold " + users + ", " + torrents
                    + " and " + peers);
        }
        progress.update(entriesDone, header.entries());
        return header;
    }

    private int verifyBody() throws IOException {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
        readFully(trailer, size - TRAILER_SIZE);
        if (trailer.getInt(0) != TAG_END) {
            throw corrupt(size - TRAILER_SIZE, "no end marker: the file is truncated or has bytes after its end");
        }
        CRC32C checksum = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, size));
        long end = size - 4;
        for (long at = HEADER_SIZE; at < end; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
            readFully(chunk, at);
            checksum.update(chunk.array(), 0, chunk.limit());
            at += chunk.limit();
        }
        int stored = trailer.getInt(4);
        if (stored != (int) checksum.getValue()) {
            throw corrupt(end, String.format("checksum mismatch over bytes %d-%d (stored %08x, computed %08x): "
                    + "the file is damaged", HEADER_SIZE, end - 1, stored, (int) checksum.getValue()));
        }
        return stored;
    }

    private ByteBuffer loadBody(long bodyStart, int length) throws IOException {
        if (body.capacity() < length) {
            body = ByteBuffer.allocate(length); // bounded: length was checked against the bytes left in the file
        }
        body.clear().limit(length);
        readFully(body, bodyStart);
        return body.flip();
    }

    private void readClients(CacheVisitor visitor, ByteBuffer in, long base) throws CacheCorruptException {
        while (in.hasRemaining()) {
            long at = base + in.position();
            String name = "approved client #" + clientIds.size();
            need(in, CLIENT_FIXED_SIZE, at, name);
            int id = in.getInt();
            name += " (id " + id + ")";
            int length = in.get() & 0xFF;
            need(in, length, at, name);
            byte[] prefix = new byte[length];
            in.get(prefix);
            if (!clientIds.add(id)) {
                throw corrupt(at, name + ": the same id as an earlier approved client");
            }
            visitor.approvedClient(id, new String(prefix, StandardCharsets.ISO_8859_1));
        }
    }

    private void readUsers(CacheVisitor visitor, ByteBuffer in, long base) throws CacheCorruptException {
        while (in.hasRemaining()) {
            long at = base + in.position();
            String name = "user #" + users;
            if (users == header.users()) {
                throw corrupt(at, "more users than the " + header.users() + " the header declares");
            }
            need(in, USER_FIXED_SIZE, at, name);
            int id = in.getInt();
            name += " (id " + id + ")";
            int flags = in.get() & 0xFF;
            double down = in.getDouble();
            double up = in.getDouble();
            int length = in.get() & 0xFF;
            if ((flags & ~(USER_DISABLE_DOWNLOAD | USER_TRACKER_HIDE)) != 0) {
                throw corrupt(at + 4, name + String.format(": unknown flags 0x%02x", flags));
            }
            checkMultipliers(at + 5, name, down, up);
            if (length == 0) {
                throw corrupt(at + USER_FIXED_SIZE - 1, name + ": empty passkey");
            }
            need(in, length, at, name);
            byte[] passkeyBytes = new byte[length];
            in.get(passkeyBytes);
            String passkey = new String(passkeyBytes, StandardCharsets.ISO_8859_1);
            Integer earlier = userIds.putIfAbsent(id, users);
            if (earlier != null) {
                throw corrupt(at, name + ": the same id as user #" + earlier);
            }
            earlier = passkeys.putIfAbsent(passkey, users);
            if (earlier != null) {
                throw corrupt(at + USER_FIXED_SIZE, name + ": the same passkey as user #" + earlier);
            }
            visitor.user(new User(id, passkey, down, up, (flags & USER_DISABLE_DOWNLOAD) != 0,
                    (flags & USER_TRACKER_HIDE) != 0));
            users++;
            advance(1);
        }
    }

    private void readTorrents(CacheVisitor visitor, ByteBuffer in, long base) throws CacheCorruptException {
        while (in.hasRemaining()) {
            long at = base + in.position();
            String name = "torrent #" + torrents;
            if (torrents == header.torrents()) {
                throw corrupt(at, "more torrents than the " + header.torrents() + " the header declares");
            }
            need(in, TORRENT_FIXED_SIZE, at, name);
            int id = in.getInt();
            name += " (id " + id + ")";
            byte[] infoHash = new byte[20];
            in.get(infoHash);
            int status = in.getInt();
            long snatched = in.getLong();
            double down = in.getDouble();
            double up = in.getDouble();
            int groupId = in.getInt();
            int type = in.get() & 0xFF;
            long lastAction = in.getLong();
            int count = in.getInt();
            if (snatched < 0) {
                throw corrupt(at + 28, name + ": negative Snatched " + snatched);
            }
            checkMultipliers(at + 36, name, down, up);
            if (type >= TorrentType.values().length) {
                throw corrupt(at + 56, name + ": unknown torrent type " + type);
            }
            if (count < 0 || count > in.remaining() / PEER_SIZE) {
                throw corrupt(at + 65, name + ": " + Integer.toUnsignedString(count) + " peers declared but its section has room for "
                        + in.remaining() / PEER_SIZE);
            }
            if (peers + count > header.peers()) {
                throw corrupt(at + 65, name + ": more peers than the " + header.peers() + " the header declares");
            }
            int earlier = torrentKeys.addId(id, torrents);
            if (earlier >= 0) {
                throw corrupt(at, name + ": the same id as torrent #" + earlier);
            }
            earlier = torrentKeys.addHash(infoHash, torrents);
            if (earlier >= 0) {
                throw corrupt(at + 4, name + ": the same info hash as torrent #" + earlier);
            }
            if (visitor.restoresTorrents()) {
                Torrent torrent = new Torrent(id, infoHash, status, snatched, down, up, groupId,
                        TorrentType.values()[type], lastAction);
                torrent.reservePeers(count);
                restorePeers(in, base, name, count, torrent);
                visitor.restoredTorrent(torrent);
            } else {
                PeerSnapshot[] list = readPeers(in, base, name, count);
                visitor.torrent(new TorrentSnapshot(id, infoHash, status, snatched, down, up, groupId,
                        TorrentType.values()[type], lastAction, List.of(list)));
            }
            torrents++;
            peers += count;
            advance(1 + count);
        }
    }

    private PeerSnapshot[] readPeers(ByteBuffer in, long base, String torrentName, int count) throws CacheCorruptException {
        PeerSnapshot[] list = new PeerSnapshot[count];
        if (count > 1) {
            peerKeys.reset(list, count);
        }
        for (int i = 0; i < count; i++) {
            long at = base + in.position();
            int userId = in.getInt();
            byte[] peerId = new byte[20];
            in.get(peerId);
            int ip = in.getInt();
            int port = in.getShort() & 0xFFFF;
            long uploaded = in.getLong();
            long downloaded = in.getLong();
            long left = in.getLong();
            long start = in.getInt() & 0xFFFFFFFFL;
            long lastAnnounce = in.getInt() & 0xFFFFFFFFL;
            int clientId = in.getInt();
            int flags = in.get() & 0xFF;
            if ((flags & ~PEER_SEEDING) != 0) {
                throw corrupt(at + PEER_SIZE - 1, torrentName + ", peer #" + i + String.format(": unknown flags 0x%02x", flags));
            }
            list[i] = new PeerSnapshot(userId, peerId, ip, port, uploaded, downloaded, left, start, lastAnnounce,
                    clientId, (flags & PEER_SEEDING) != 0);
            if (count > 1) {
                int earlier = peerKeys.add(i);
                if (earlier >= 0) {
                    throw corrupt(at, torrentName + ", peer #" + i + ": the same user " + userId + " and peer id "
                            + HEX.formatHex(peerId) + " as peer #" + earlier);
                }
            }
        }
        return list;
    }

    /**
     * Reads {@code count} peers into {@code torrent}'s swarm straight from the section's bytes, with the
     * checks and messages of {@link #readPeers} (the swarm itself finds a repeated key).
     */
    private void restorePeers(ByteBuffer in, long base, String torrentName, int count, Torrent torrent)
            throws CacheCorruptException {
        byte[] bytes = in.array(); // a heap buffer from loadBody, array offset 0
        int first = in.position();
        for (int i = 0; i < count; i++) {
            long at = base + in.position();
            int userId = in.getInt();
            int peerIdAt = in.position();
            in.position(peerIdAt + 20);
            int ip = in.getInt();
            int port = in.getShort() & 0xFFFF;
            long uploaded = in.getLong();
            long downloaded = in.getLong();
            long left = in.getLong();
            long start = in.getInt() & 0xFFFFFFFFL;
            long lastAnnounce = in.getInt() & 0xFFFFFFFFL;
            int clientId = in.getInt();
            int flags = in.get() & 0xFF;
            if ((flags & ~PEER_SEEDING) != 0) {
                throw corrupt(at + PEER_SIZE - 1, torrentName + ", peer #" + i + String.format(": unknown flags 0x%02x", flags));
            }
            if (!torrent.restorePeer(userId, bytes, peerIdAt, ip, port, uploaded, downloaded, left, start,
                    lastAnnounce, clientId, (flags & PEER_SEEDING) != 0)) {
                throw corrupt(at, torrentName + ", peer #" + i + ": the same user " + userId + " and peer id "
                        + HEX.formatHex(bytes, peerIdAt, peerIdAt + 20) + " as peer #"
                        + earlierPeer(bytes, first, i));
            }
        }
    }

    /** The first of the torrent's peers before peer #{@code i} with its user id and peer_id (an error path). */
    private static int earlierPeer(byte[] bytes, int first, int i) {
        int record = first + i * PEER_SIZE;
        for (int j = 0; j < i; j++) {
            int other = first + j * PEER_SIZE;
            if (Arrays.equals(bytes, other, other + 24, bytes, record, record + 24)) {
                return j;
            }
        }
        throw new IllegalStateException("the swarm reported a repeated key that the bytes do not show");
    }

    private void need(ByteBuffer in, int bytes, long at, String name) throws CacheCorruptException {
        if (in.remaining() < bytes) {
            throw corrupt(at, name + ": record cut off at the end of its section (" + in.remaining() + " of "
                    + bytes + " bytes left)");
        }
    }

    private void checkMultipliers(long at, String name, double down, double up) throws CacheCorruptException {
        if (!Double.isFinite(down) || !Double.isFinite(up)) {
            throw corrupt(at, name + ": multipliers must be finite, are down " + down + ", up " + up);
        }
    }

    private void advance(long entries) {
        entriesDone += entries;
        if (entriesDone - lastReported >= PROGRESS_STEP) {
            lastReported = entriesDone;
            progress.update(entriesDone, header.entries());
        }
    }

    private void readFully(ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw corrupt(at, "the file ended early (was it truncated while being read?)");
            }
            at += read;
        }
    }

    private CacheCorruptException corrupt(long offset, String detail) {
        return new CacheCorruptException(file, offset, detail);
    }
}
