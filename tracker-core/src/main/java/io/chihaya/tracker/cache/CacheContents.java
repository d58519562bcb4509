package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.ByteKeyTable;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.time.Instant;
import java.util.List;

/**
 * Everything a cache file held, checked and ready to install into a {@link Registry}.
 *
 * @param version   format version of the file
 * @param writtenAt when the file was written
 * @param users     the users, in file order
 * @param torrents  the torrents with their peers, in file order
 */
public record CacheContents(int version, Instant writtenAt, List<User> users, List<TorrentSnapshot> torrents) {
    public CacheContents {
        users = List.copyOf(users);
        torrents = List.copyOf(torrents);
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
     * Replaces the registry's users and torrents with these, swarms included. Meant for start-up, before
     * the first database load, which then keeps the swarm of every torrent still in the database.
     */
    public void installInto(Registry registry) {
        registry.loadUsers(users);
        ByteKeyTable.Builder<Torrent> builder = new ByteKeyTable.Builder<>(torrents.size());
        for (TorrentSnapshot torrent : torrents) {
            Torrent restored = Torrent.restore(torrent);
            builder.put(restored.infoHash(), restored);
        }
        registry.setTorrents(builder.build());
    }
}
