package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import io.chihaya.tracker.swarm.TorrentSnapshot;

/**
 * Receives a cache file's contents one entry at a time, so that a large file can be summarised or
 * converted without holding it all. Calls come in file order: {@link #header}, every user, every
 * torrent, every approved client. An entry is delivered only after it has been checked; the whole file's checksum is verified
 * before the first call.
 */
public interface CacheVisitor {
    /** The checked header, before any entry. */
    default void header(CacheHeader header) {
    }

    /** One user. */
    default void user(User user) {
    }

    /** One torrent with its peers (seeders and leechers, in no particular order). */
    default void torrent(TorrentSnapshot torrent) {
    }

    /**
     * Whether this visitor takes each torrent as a {@link Torrent} with its swarm, built straight from
     * the file's bytes ({@link #restoredTorrent}), instead of a {@link TorrentSnapshot}. The tracker's
     * start does: a snapshot object per peer, all alive until the last torrent is read, cost it a
     * second of copying garbage collections at a million peers.
     */
    default boolean restoresTorrents() {
        return false;
    }

    /** One torrent with its swarm, when {@link #restoresTorrents()}; checked as a snapshot would be. */
    default void restoredTorrent(Torrent torrent) {
    }

    /** One approved client ({@code approved_clients.id} and its peer_id prefix), after every torrent. */
    default void approvedClient(int id, String peerIdPrefix) {
    }
}
