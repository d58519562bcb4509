package io.chihaya.bench;

import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.announce.ScrapeService;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.ApprovedClients;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.stats.StatSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An in-memory tracker with default configuration, {@code users} users (ids 1..n, multipliers 1) and
 * {@code torrents} torrents (ids 1..n, random info hashes), built from a seed so every run sees the
 * same data. No database; the clock is the system clock in seconds.
 */
final class Tracker {
    final TrackerConfig config = TrackerConfig.defaults();
    final Registry registry = new Registry();
    final AnnounceService announces;
    final ScrapeService scrapes;
    /** Passkey of user {@code i + 1}. */
    final String[] passkeys;
    /** Info hash of torrent {@code i + 1}. */
    final byte[][] infoHashes;
    final SplittableRandom random;

    Tracker(int users, int torrents, long seed, StatSink sink) {
        random = new SplittableRandom(seed);
        passkeys = new String[users];
        List<User> userRows = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            passkeys[i] = Queries.passkey(random);
            userRows.add(new User(i + 1, passkeys[i], 1, 1, false, false));
        }
        registry.loadUsers(userRows);
        infoHashes = new byte[torrents][];
        List<TorrentRow> torrentRows = new ArrayList<>(torrents);
        for (int i = 0; i < torrents; i++) {
            infoHashes[i] = Queries.infoHash(random);
            torrentRows.add(new TorrentRow(i + 1, infoHashes[i], 1.0, 1.0, 0, 0, i / 3 + 1, TorrentType.ANIME, 0));
        }
        registry.loadTorrents(torrentRows, torrentId -> 0);
        registry.setApprovedClients(ApprovedClients.of(Map.of(1, Queries.CLIENT_PREFIX)));
        announces = new AnnounceService(config, registry, sink, AnnounceObserver.NONE,
                () -> System.currentTimeMillis() / 1000, ThreadLocalRandom::current);
        scrapes = new ScrapeService(config, registry);
    }

    /**
     * A new client of user {@code userIndex} (0-based) on torrent {@code torrentIndex} (0-based), not
     * yet announced. {@code addressNumber} makes its address distinct.
     */
    SimulatedPeer peer(int userIndex, int torrentIndex, int addressNumber, boolean seeder) {
        return new SimulatedPeer(passkeys[userIndex], infoHashes[torrentIndex], Queries.peerId(random), addressNumber,
                seeder, Queries.text(random, 8));
    }
}
