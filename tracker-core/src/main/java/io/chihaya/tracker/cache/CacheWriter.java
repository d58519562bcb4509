package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static io.chihaya.tracker.cache.CacheFormat.CLIENT_FIXED_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.HEADER_CRC_OFFSET;
import static io.chihaya.tracker.cache.CacheFormat.HEADER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.MAGIC;
import static io.chihaya.tracker.cache.CacheFormat.MAX_PASSKEY_LENGTH;
import static io.chihaya.tracker.cache.CacheFormat.MAX_PREFIX_LENGTH;
import static io.chihaya.tracker.cache.CacheFormat.MAX_SECTION_LENGTH;
import static io.chihaya.tracker.cache.CacheFormat.PEER_SEEDING;
import static io.chihaya.tracker.cache.CacheFormat.SECTION_HEADER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.TAG_CLIENTS;
import static io.chihaya.tracker.cache.CacheFormat.TAG_END;
import static io.chihaya.tracker.cache.CacheFormat.TAG_TORRENTS;
import static io.chihaya.tracker.cache.CacheFormat.TAG_USERS;
import static io.chihaya.tracker.cache.CacheFormat.TRAILER_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.USER_DISABLE_DOWNLOAD;
import static io.chihaya.tracker.cache.CacheFormat.USER_FIXED_SIZE;
import static io.chihaya.tracker.cache.CacheFormat.USER_TRACKER_HIDE;
import static io.chihaya.tracker.cache.CacheFormat.VERSION;

/**
 * Streams users and then torrents into a cache file (see {@link CacheFormat}) in one pass: records go
 * into the open section in a buffer, a full buffer closes the section and goes to the file, and
 * {@link #finish} writes the trailer and then the header, which holds the final counts.
 *
 * <p>A value the reader would reject (a non-finite multiplier, a negative Snatched, a passkey that is
 * not 1-255 ISO-8859-1 characters) fails the write with an {@link IllegalArgumentException} naming the
 * entry, so a cache that was written can always be read back. Not thread-safe.
 */
final class CacheWriter {
    private static final int BUFFER_SIZE = 1 << 20;

    private final FileChannel channel;
    private final CRC32C bodyChecksum = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    /** Tag of the section open in the buffer, 0 when none is. */
    private int openTag;
    /** File offset at which the buffer will be written. */
    private long filePosition = HEADER_SIZE;
    private boolean torrentsStarted;
    private int users;
    private int torrents;
    private long peers;

    CacheWriter(FileChannel channel) {
        this.channel = channel;
    }

    int users() {
        return users;
    }

    int torrents() {
        return torrents;
    }

    long peers() {
        return peers;
    }

    void user(User user) throws IOException {
        if (torrentsStarted) {
            throw new IllegalStateException("users must be written before torrents");
        }
        byte[] passkey = passkeyBytes(user);
        checkMultipliers("user " + user.id(), user.downMultiplier(), user.upMultiplier());
        reserve(TAG_USERS, USER_FIXED_SIZE + passkey.length);
        buffer.putInt(user.id());
        buffer.put((byte) ((user.disableDownload() ? USER_DISABLE_DOWNLOAD : 0)
                | (user.trackerHide() ? USER_TRACKER_HIDE : 0)));
        buffer.putDouble(user.downMultiplier());
        buffer.putDouble(user.upMultiplier());
        buffer.put((byte) passkey.length);
        buffer.put(passkey);
        users++;
    }

    void torrent(TorrentSnapshot torrent) throws IOException {
        torrentsStarted = true;
        String name = "torrent " + torrent.id();
        if (torrent.infoHash().length != 20) {
            throw new IllegalArgumentException(name + ": info hash of " + torrent.infoHash().length + " bytes, not 20");
        }
        if (torrent.snatched() < 0) {
            throw new IllegalArgumentException(name + ": negative Snatched " + torrent.snatched());
        }
        if (torrent.type() == null) {
            throw new IllegalArgumentException(name + ": no type");
        }
        checkMultipliers(name, torrent.downMultiplier(), torrent.upMultiplier());
        List<PeerSnapshot> list = torrent.peers();
        int count = list.size();
        long size = CacheFormat.torrentSize(0) + (long) CacheFormat.PEER_SIZE * count;
        if (size > MAX_SECTION_LENGTH) {
            throw new IllegalArgumentException(name + ": " + count + " peers is more than one cache section holds");
        }
        reserve(TAG_TORRENTS, (int) size);
        buffer.putInt(torrent.id());
        buffer.put(torrent.infoHash());
        buffer.putInt(torrent.status());
        buffer.putLong(torrent.snatched());
        buffer.putDouble(torrent.downMultiplier());
        buffer.putDouble(torrent.upMultiplier());
        buffer.putInt(torrent.groupId());
        buffer.put((byte) torrent.type().ordinal());
        buffer.putLong(torrent.lastAction());
        buffer.putInt(count);
        for (int i = 0; i < count; i++) {
            putPeer(name, list.get(i));
        }
        torrents++;
        peers += count;
    }

    /** The approved clients ({@code id → peer_id prefix}), after every torrent. */
    void clients(Map<Integer, String> prefixesById) throws IOException {
        torrentsStarted = true;
        for (Map.Entry<Integer, String> client : prefixesById.entrySet()) {
            byte[] prefix = latin1(client.getValue(), 0, MAX_PREFIX_LENGTH,
                    "approved client " + client.getKey() + ": peer_id prefix");
            reserve(TAG_CLIENTS, CLIENT_FIXED_SIZE + prefix.length);
            buffer.putInt(client.getKey());
            buffer.put((byte) prefix.length);
            buffer.put(prefix);
        }
    }

    private void putPeer(String torrentName, PeerSnapshot peer) {
        if (peer.peerId().length != 20 || peer.port() < 0 || peer.port() > 0xFFFF
                || peer.startTime() < 0 || peer.startTime() > 0xFFFFFFFFL
                || peer.lastAnnounce() < 0 || peer.lastAnnounce() > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(torrentName + ": peer of user " + peer.userId()
                    + " out of range (peer id of " + peer.peerId().length + " bytes, port " + peer.port()
                    + ", start " + peer.startTime() + ", last announce " + peer.lastAnnounce() + ")");
        }
        buffer.putInt(peer.userId());
        buffer.put(peer.peerId());
        buffer.putInt(peer.ip());
        buffer.putShort((short) peer.port());
        buffer.putLong(peer.uploaded());
        buffer.putLong(peer.downloaded());
        buffer.putLong(peer.left());
        buffer.putInt((int) peer.startTime());
        buffer.putInt((int) peer.lastAnnounce());
        buffer.putInt(peer.clientId());
        buffer.put((byte) (peer.seeding() ? PEER_SEEDING : 0));
    }

    /**
     * Writes the last section, the trailer and the header; the caller then forces the channel.
     *
     * @return the size of the file
     */
    long finish(long writtenAtMillis) throws IOException {
        closeSection();
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
        trailer.putInt(TAG_END);
        bodyChecksum.update(trailer.array(), 0, 4);
        trailer.putInt((int) bodyChecksum.getValue());
        writeFully(trailer.flip(), filePosition);
        long size = filePosition + TRAILER_SIZE;

        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.put(MAGIC);
        header.putShort((short) VERSION);
        header.putShort((short) 0);
        header.putLong(writtenAtMillis);
        header.putInt(users);
        header.putInt(torrents);
        header.putLong(peers);
        CRC32C headerChecksum = new CRC32C();
        headerChecksum.update(header.array(), 0, HEADER_CRC_OFFSET);
        header.putInt((int) headerChecksum.getValue());
        writeFully(header.flip(), 0);
        return size;
    }

    /** Makes room for a record of {@code size} bytes in an open section tagged {@code tag}. */
    private void reserve(int tag, int size) throws IOException {
        if (openTag != 0 && (openTag != tag || buffer.remaining() < size)) {
            closeSection();
        }
        if (openTag == 0) {
            int needed = SECTION_HEADER_SIZE + size;
            if (buffer.capacity() < needed) {
                buffer = ByteBuffer.allocate(needed); // one very large swarm; shrunk back after it
            }
            buffer.putInt(tag);
            buffer.putInt(0); // the length, set when the section closes
            openTag = tag;
        }
    }

    private void closeSection() throws IOException {
        if (openTag == 0) {
            return;
        }
        buffer.putInt(4, buffer.position() - SECTION_HEADER_SIZE);
        buffer.flip();
        bodyChecksum.update(buffer.array(), 0, buffer.limit());
        int length = buffer.limit();
        writeFully(buffer, filePosition);
        filePosition += length;
        openTag = 0;
        if (buffer.capacity() > BUFFER_SIZE) {
            buffer = ByteBuffer.allocate(BUFFER_SIZE);
        } else {
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    private static byte[] passkeyBytes(User user) {
        return latin1(user.passkey(), 1, MAX_PASSKEY_LENGTH, "user " + user.id() + ": passkey");
    }

    /**
     * {@code text} as ISO-8859-1 bytes, if it has {@code min} to {@code max} characters, all in
     * ISO-8859-1 (the cache's length-prefixed strings); else an {@link IllegalArgumentException}
     * whose message starts with {@code what}.
     */
    static byte[] latin1(String text, int min, int max, String what) {
        if (text == null || text.length() < min || text.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + "-" + max + " characters, is "
                    + (text == null ? "missing" : text.length()));
        }
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException(what + " character " + (i + 1) + " is not ISO-8859-1");
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    private static void checkMultipliers(String name, double down, double up) {
        if (!Double.isFinite(down) || !Double.isFinite(up)) {
            throw new IllegalArgumentException(name + ": multipliers must be finite, are down " + down + ", up " + up);
        }
    }
}
