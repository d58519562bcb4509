package io.chihaya.cachecli;

import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.AnnounceOutcome;
import io.chihaya.tracker.swarm.SwarmAnnouncer;
import io.chihaya.tracker.swarm.Torrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A registry with real swarms, made from a seed the way the tracker makes them: users and torrents
 * loaded as the database loader does, peers joining, re-announcing, completing and stopping through
 * {@link SwarmAnnouncer}; counters above 2^63 and times above 2^31 included.
 */
final class TestSwarms {
    private static final double[] MULTIPLIERS = {1, 0, 0.5, 2, -1.5, 1e-7};

    private TestSwarms() {
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
        SwarmAnnouncer.Input in = new SwarmAnnouncer.Input();
        for (int i = 0; i < announces; i++) {
            // Skewed: a few big swarms and many small ones.
            TorrentRow row = rows.get((int) (rows.size() * Math.pow(random.nextDouble(), 3)));
            Torrent torrent = registry.torrents().get(row.infoHash());
            in.userId = users.get(random.nextInt(users.size())).id();
            in.peerId = new byte[20];
            random.nextBytes(in.peerId);
            in.peerId[0] = (byte) random.nextInt(4); // repeats, so that some announces update a peer
            in.peerId[1] = 0;
            for (int k = 2; k < 20 && random.nextInt(8) == 0; k++) {
                in.peerId[k] = 0;
            }
            in.ip = random.nextInt();
            in.port = random.nextInt(65536);
            in.clientId = random.nextInt(20);
            in.uploaded = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << 30);
            in.downloaded = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << 30);
            in.left = random.nextInt(5) < 2 ? 0 : (random.nextBoolean() ? random.nextLong() | 1 : 1 + random.nextInt(1 << 20));
            in.completed = in.left == 0 && random.nextBoolean();
            in.stopped = random.nextInt(40) == 0;
            in.now = (random.nextBoolean() ? 1_700_000_000L : 3_000_000_000L) + random.nextInt(100_000);
            in.peerInactivity = 3900;
            announcer.announce(torrent, in, random, outcome);
        }
        for (TorrentRow row : rows) {
            if (random.nextInt(6) == 0) {
                Torrent torrent = registry.torrents().get(row.infoHash());
                torrent.updateFromDatabase(1, 5_000_000_000L + random.nextInt(1000), row.downMultiplier(),
                        row.upMultiplier(), row.groupId(), row.type());
            }
        }
        return registry;
    }

    private static double pick(Random random) {
        return MULTIPLIERS[random.nextInt(MULTIPLIERS.length)];
    }
}
