package io.chihaya.tracker.announce;

import io.chihaya.bencode.Bencode;
import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.ApprovedClients;
import io.chihaya.tracker.model.GroupFreeleech;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.Multipliers;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.swarm.Torrent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tracker core built in a few lines for tests: a registry with users, torrents and clients added
 * one by one, a settable clock, a recording sink, a seeded random generator.
 */
final class TestTracker {
    static final long START = 1_700_000_000L;

    final TrackerConfig config;
    final Registry registry = new Registry();
    final RecordingSink sink = new RecordingSink();
    final AtomicLong clock = new AtomicLong(START);
    final Random random;
    final AnnounceService announces;
    final ScrapeService scrapes;
    final List<String> recorded = new ArrayList<>();
    private final List<User> users = new ArrayList<>();
    private final List<TorrentRow> torrents = new ArrayList<>();
    private final Map<Integer, String> clients = new HashMap<>();
    private final List<Long> hitAndRuns = new ArrayList<>();
    private final Map<Long, Multipliers> groups = new HashMap<>();
    InetAddress remote;

    TestTracker(TrackerConfig config, long seed) {
        this.config = config;
        this.random = new Random(seed);
        AnnounceObserver observer = (torrentId, userId, ip, port, event, seeding, rawUp, rawDown, up, down, left) -> {
            synchronized (recorded) {
                recorded.add(torrentId + "," + userId + "," + Ipv4.format(ip) + "," + port + "," + event + ","
                        + seeding + "," + rawUp + "," + rawDown + "," + up + "," + down + "," + left);
            }
        };
        announces = new AnnounceService(config, registry, sink, observer, clock::get, () -> random);
        scrapes = new ScrapeService(config, registry);
        remote = address("8.8.4.4");
        client(1, "-TR2");
    }

    /** Default config with no announce drift, so intervals are exact. */
    static TestTracker create() {
        TrackerConfig defaults = TrackerConfig.defaults();
        TrackerConfig.Intervals i = defaults.intervals();
        return new TestTracker(defaults.withIntervals(new TrackerConfig.Intervals(i.announce(), i.minAnnounce(),
                i.peerInactivity(), 0, i.scrape(), i.databaseReload(), i.databaseSerialize(),
                i.purgeInactivePeers(), i.flush())), 42);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    User user(int id, double down, double up, boolean disableDownload, boolean trackerHide) {
        User user = new User(id, passkey(id), down, up, disableDownload, trackerHide);
        users.add(user);
        registry.loadUsers(users);
        return user;
    }

    User user(int id) {
        return user(id, 1, 1, false, false);
    }

    static String passkey(int id) {
        return String.format("pk%030d", id);
    }

    Torrent torrent(int id, int status, double down, double up, int groupId, TorrentType type) {
        torrents.add(new TorrentRow(id, hash(id), down, up, 0, status, groupId, type, 0));
        registry.loadTorrents(torrents, t -> 0);
        return registry.torrents().get(hash(id));
    }

    Torrent torrent(int id) {
        return torrent(id, 0, 1, 1, id, TorrentType.ANIME);
    }

    void client(int id, String prefix) {
        clients.put(id, prefix);
        registry.setApprovedClients(ApprovedClients.of(clients));
    }

    void hitAndRun(int userId, int torrentId) {
        hitAndRuns.add(LongSet.pair(userId, torrentId));
        registry.setHitAndRuns(LongSet.of(hitAndRuns.stream().mapToLong(Long::longValue).toArray(), hitAndRuns.size()));
    }

    void group(int groupId, TorrentType type, double down, double up) {
        groups.put(GroupFreeleech.key(groupId, type), new Multipliers(down, up));
        registry.setGroupFreeleech(GroupFreeleech.of(groups));
    }

    /** A deterministic 20-byte info hash for torrent {@code id}. */
    static byte[] hash(int id) {
        byte[] hash = new byte[20];
        for (int i = 0; i < 20; i++) {
            hash[i] = (byte) (id * 31 + i * 7 + (id >>> 8));
        }
        hash[0] = (byte) id;
        hash[1] = (byte) (id >>> 8);
        return hash;
    }

    /** A 20-byte peer id starting with the approved prefix -TR2. */
    static byte[] peerId(String suffix) {
        String id = "-TR2" + "0".repeat(16 - suffix.length()) + suffix;
        return id.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Percent-encodes every byte. */
    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    /** A standard announce query. */
    static String query(int torrentId, String peer, long uploaded, long downloaded, long left, String extra) {
        return "info_hash=" + encode(hash(torrentId)) + "&peer_id=" + encode(peerId(peer)) + "&port=6881"
                + "&uploaded=" + uploaded + "&downloaded=" + downloaded + "&left=" + left
                + (extra.isEmpty() ? "" : "&" + extra);
    }

    byte[] announce(User user, String query) {
        return announce(user, query, null);
    }

    byte[] announce(User user, String query, String proxyValue) {
        BencodeWriter out = new BencodeWriter();
        announces.announce(user, query, proxyValue, remote, out);
        return out.toByteArray();
    }

    byte[] scrape(User user, String query) {
        BencodeWriter out = new BencodeWriter();
        scrapes.scrape(user, query, out);
        return out.toByteArray();
    }

    /** Decodes a response into plain values with String keys (byte strings as ISO-8859-1 text). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(byte[] response) {
        return (Map<String, Object>) plain(Bencode.decode(response));
    }

    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(text(k), plain(v)));
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            list.forEach(v -> result.add(plain(v)));
            return result;
        }
        if (value instanceof io.chihaya.bencode.BString) {
            return text(value);
        }
        return value;
    }

    private static String text(Object bstring) {
        return new String(((io.chihaya.bencode.BString) bstring).toByteArray(), StandardCharsets.ISO_8859_1);
    }

    /** The bytes as ISO-8859-1 text, for exact comparisons that read well. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String failure(String reason, int interval) {
        return "d14:failure reason" + reason.length() + ":" + reason + "8:intervali" + interval
                + "e12:min intervali" + interval + "ee";
    }
}
