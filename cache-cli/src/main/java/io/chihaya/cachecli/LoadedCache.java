package io.chihaya.cachecli;

import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A cache read from JSON and fully validated, ready to be written.
 *
 * @param writtenAt the {@code written_at} of the JSON, or the time of the load when it had none
 * @param users     users in input order
 * @param torrents  torrents with their peers, in input order
 * @param clients   approved clients, {@code id → peer_id prefix}; empty when the JSON had none
 */
record LoadedCache(Instant writtenAt, List<User> users, List<TorrentSnapshot> torrents, Map<Integer, String> clients) {
    long peerCount() {
        long count = 0;
        for (TorrentSnapshot torrent : torrents) {
            count += torrent.peers().size();
        }
        return count;
    }
}
