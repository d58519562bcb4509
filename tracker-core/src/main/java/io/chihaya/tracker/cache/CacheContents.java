package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.ApprovedClients;
import io.chihaya.tracker.model.ByteKeyTable;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a cache file held, checked and ready to install into a {@link Registry}.
 *
 * @param version   format version of the file
 * @param writtenAt when the file was written
 * @param users     the users, in file order
 * @param torrents  the torrents with their peers, in file order
 * @param clients   the approved clients, {@code id → peer_id prefix}; empty when the file held none
 */
public record CacheContents(int version, Instant writtenAt, List<User> users, List<TorrentSnapshot> torrents,
                            Map<Integer, String> clients) {
    public CacheContents {
        users = List.copyOf(users);
        torrents = List.copyOf(torrents);
        clients = Collections.unmodifiableMap(new TreeMap<>(clients));
    }

    /** Contents without approved clients. */
    public CacheContents(int version, Instant writtenAt, List<User> users, List<TorrentSnapshot> torrents) {
        this(version, writtenAt, users, torrents, Map.of());
    }

    /** Number of peers over all torrents. */
    public long peerCount() {
        long count = 0;
        for (TorrentSnapshot torrent : torrents) {
            count += torrent.peers().size();
        }
        return count;
    }

    /**
     * Replaces the registry's users and torrents with these, swarms included, and its approved clients
     * when the file held any. Meant for start-up, before the first database load, which then keeps the
     * swarm of every torrent still in the database and replaces the clients.
     */
    public void installInto(Registry registry) {
        registry.loadUsers(users);
        if (!clients.isEmpty()) {
            registry.setApprovedClients(ApprovedClients.of(clients));
        }
        ByteKeyTable.Builder<Torrent> builder = new ByteKeyTable.Builder<>(torrents.size());
        for (TorrentSnapshot torrent : torrents) {
            Torrent restored = Torrent.restore(torrent);
            builder.put(restored.infoHash(), restored);
        }
        registry.setTorrents(builder.build());
    }
}
