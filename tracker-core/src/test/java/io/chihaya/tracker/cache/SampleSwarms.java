package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.AnnounceOutcome;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.SwarmAnnouncer;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Registries full of real swarms, built from a seed through the tracker's own classes: users and
 * torrents loaded as the database loader does, peers created and moved by {@link SwarmAnnouncer}
 * (joins, re-announces, completions, stops), then some torrents pruned by a reload. Counters reach
 * above 2^63 and times above 2^31 so that unsigned handling is exercised.
 */
final class SampleSwarms {
    private static final double[] MULTIPLIERS = {1, 0, 0.5, 2, -1.5, 0.25, 1e-7};

    private SampleSwarms() {
    }

    static Registry registry(long seed, int userCount, int torrentCount, int announces) {
        Random random = new Random(seed);
        Registry registry = new Registry();
        List<User> users = new ArrayList<>();
        for (int i = 1; i <= userCount; i++) {
            users.add(new User(i * 3, String.format("pk%030d", i * 3L), pick(random), pick(random),
                    random.nextInt(4) == 0, random.nextInt(5) == 0));
        }
        registry.loadUsers(users);
        registry.setApprovedClients(io.chihaya.tracker.model.ApprovedClients.of(
                java.util.Map.of(1, "-TR", 2, "-qB4", 4, "-DE\u00e9", 9, "")));
        List<TorrentRow> rows = new ArrayList<>();
        for (int i = 1; i <= torrentCount; i++) {
            byte[] infoHash = new byte[20];
            random.nextBytes(infoHash);
            rows.add(new TorrentRow(i * 7, infoHash, pick(random), pick(random), random.nextInt(1_000_000), 0,
                    random.nextInt(500), random.nextBoolean() ? TorrentType.ANIME : TorrentType.MUSIC,
                    random.nextInt(Integer.MAX_VALUE)));
        }
        registry.loadTorrents(rows, id -> 0);

        SwarmAnnouncer announcer = new SwarmAnnouncer();
        AnnounceOutcome outcome = new AnnounceOutcome(0);
        List<byte[]> peerIds = new ArrayList<>();
        for (int i = 0; i < announces; i++) {
            // A skewed choice of torrent: a few big swarms and many small ones, as on a real site.
            TorrentRow row = rows.get((int) (rows.size() * Math.pow(random.nextDouble(), 3)));
            Torrent torrent = registry.torrents().get(row.infoHash());
            SwarmAnnouncer.Input in = new SwarmAnnouncer.Input();
            User user = users.get(random.nextInt(users.size()));
            in.userId = user.id();
            if (peerIds.isEmpty() || random.nextInt(4) != 0) {
                byte[] peerId = new byte[20];
                random.nextBytes(peerId);
                peerIds.add(peerId);
                in.peerId = peerId;
            } else {
                in.peerId = peerIds.get(random.nextInt(peerIds.size())); // a re-announce, or the same client elsewhere
            }
            in.ip = random.nextInt();
            in.port = random.nextInt(65536);
            in.clientId = random.nextInt(20);
            in.uploaded = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << 30);
            in.downloaded = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << 30);
            in.left = random.nextInt(5) < 2 ? 0 : (random.nextBoolean() ? random.nextLong() | 1 : 1 + random.nextInt(1 << 20));
            in.completed = in.left == 0 && random.nextBoolean();
            in.stopped = random.nextInt(40) == 0;
            in.now = random.nextBoolean() ? 1_700_000_000L + random.nextInt(100_000) : 3_000_000_000L + random.nextInt(100_000);
            in.peerInactivity = 3900;
            announcer.announce(torrent, in, random, outcome);
        }
        for (TorrentRow row : rows) {
            if (random.nextInt(6) == 0) {
                Torrent torrent = registry.torrents().get(row.infoHash());
                long snatched = random.nextBoolean() ? torrent.snatched() : 5_000_000_000L + random.nextInt(1000);
                torrent.updateFromDatabase(1 + random.nextInt(2), snatched, row.downMultiplier(), row.upMultiplier(),
                        row.groupId(), row.type());
            }
        }
        return registry;
    }

    private static double pick(Random random) {
        return MULTIPLIERS[random.nextInt(MULTIPLIERS.length)];
    }

    /** Every torrent of the registry, snapshotted, as comparable text sorted by id. */
    static List<String> describeTorrents(Registry registry) {
        List<TorrentSnapshot> snapshots = new ArrayList<>();
        registry.torrents().forEach((hash, torrent) -> snapshots.add(torrent.snapshot()));
        return describe(snapshots);
    }

    /** Comparable text for each torrent, sorted by id, with its peers sorted by (user, peer id). */
    static List<String> describe(List<TorrentSnapshot> torrents) {
        return torrents.stream().sorted(Comparator.comparingInt(TorrentSnapshot::id)).map(SampleSwarms::describe).toList();
    }

    static String describe(TorrentSnapshot t) {
        HexFormat hex = HexFormat.of();
        StringBuilder text = new StringBuilder();
        text.append(t.id()).append(' ').append(hex.formatHex(t.infoHash())).append(" status=").append(t.status())
                .append(" snatched=").append(t.snatched()).append(" down=").append(t.downMultiplier())
                .append(" up=").append(t.upMultiplier()).append(" group=").append(t.groupId())
                .append(" type=").append(t.type()).append(" lastAction=").append(t.lastAction());
        t.peers().stream().map(p -> "\n  " + p.userId() + ' ' + hex.formatHex(p.peerId()) + " ip=" + p.ip()
                        + " port=" + p.port() + " up=" + Long.toUnsignedString(p.uploaded())
                        + " down=" + Long.toUnsignedString(p.downloaded()) + " left=" + Long.toUnsignedString(p.left())
                        + " start=" + p.startTime() + " last=" + p.lastAnnounce() + " client=" + p.clientId()
                        + " seeding=" + p.seeding())
                .sorted().forEach(text::append);
        return text.toString();
    }

    /** Every user of the registry, sorted by id. */
    static List<User> users(Registry registry) {
        List<User> users = new ArrayList<>();
        registry.users().forEach((passkey, user) -> users.add(user));
        users.sort(Comparator.comparingInt(User::id));
        return users;
    }

    static List<PeerSnapshot> allPeers(Registry registry) {
        List<PeerSnapshot> peers = new ArrayList<>();
        registry.torrents().forEach((hash, torrent) -> peers.addAll(torrent.snapshot().peers()));
        return peers;
    }
}
