package io.chihaya.cachecli;

import io.chihaya.tracker.announce.Ipv4;
import io.chihaya.tracker.cache.CacheContents;
import io.chihaya.tracker.cache.CacheProgress;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON form of a cache (docs/cc.md), written so that the same cache always gives the same bytes:
 * users sorted by id, torrents by id, peers by (user id, peer id); one user or peer per line, so the
 * output diffs and greps well. Stateless.
 */
final class JsonDump {
    /** The layout version of the JSON form, written as {@code "version"} and checked by {@code cc load}. */
    static final int JSON_VERSION = 1;

    private static final Comparator<PeerSnapshot> PEER_ORDER = Comparator.comparingInt(PeerSnapshot::userId)
            .thenComparing(PeerSnapshot::peerId, Arrays::compareUnsigned);

    private JsonDump() {
    }

    static void write(CacheContents contents, OutputStream stream, CacheProgress progress) throws IOException {
        List<User> users = new ArrayList<>(contents.users());
        users.sort(Comparator.comparingInt(User::id));
        List<TorrentSnapshot> torrents = new ArrayList<>(contents.torrents());
        torrents.sort(Comparator.comparingInt(TorrentSnapshot::id));
        long total = users.size() + torrents.size() + contents.peerCount();
        long done = 0;
        long reported = 0;

        JsonOut out = new JsonOut(stream);
        out.raw("{\n  \"version\": ").number(JSON_VERSION)
                .raw(",\n  \"written_at\": ").string(contents.writtenAt().toString())
                .raw(",\n  \"users\": [");
        for (int i = 0; i < users.size(); i++) {
            User user = users.get(i);
            out.raw(i == 0 ? "\n    " : ",\n    ")
                    .raw("{\"id\": ").number(user.id())
                    .raw(", \"passkey\": ").string(user.passkey())
                    .raw(", \"down_multiplier\": ").number(user.downMultiplier())
                    .raw(", \"up_multiplier\": ").number(user.upMultiplier())
                    .raw(", \"disable_download\": ").bool(user.disableDownload())
                    .raw(", \"tracker_hide\": ").bool(user.trackerHide()).raw("}");
        }
        out.raw(users.isEmpty() ? "],\n  \"torrents\": [" : "\n  ],\n  \"torrents\": [");
        done += users.size();
        for (int i = 0; i < torrents.size(); i++) {
            TorrentSnapshot torrent = torrents.get(i);
            out.raw(i == 0 ? "\n    " : ",\n    ")
                    .raw("{\"id\": ").number(torrent.id())
                    .raw(", \"info_hash\": ").hex(torrent.infoHash())
                    .raw(", \"status\": ").number(torrent.status())
                    .raw(", \"snatched\": ").number(torrent.snatched())
                    .raw(", \"last_action\": ").number(torrent.lastAction())
                    .raw(", \"group_id\": ").number(torrent.groupId())
                    .raw(", \"type\": ").string(typeName(torrent.type()))
                    .raw(", \"down_multiplier\": ").number(torrent.downMultiplier())
                    .raw(", \"up_multiplier\": ").number(torrent.upMultiplier())
                    .raw(", \"peers\": [");
            List<PeerSnapshot> peers = new ArrayList<>(torrent.peers());
            peers.sort(PEER_ORDER);
            for (int k = 0; k < peers.size(); k++) {
                PeerSnapshot peer = peers.get(k);
                out.raw(k == 0 ? "\n      " : ",\n      ")
                        .raw("{\"user_id\": ").number(peer.userId())
                        .raw(", \"peer_id\": ").hex(peer.peerId())
                        .raw(", \"ip\": ").string(Ipv4.format(peer.ip()))
                        .raw(", \"port\": ").number(peer.port())
                        .raw(", \"seeding\": ").bool(peer.seeding())
                        .raw(", \"uploaded\": ").unsigned(peer.uploaded())
                        .raw(", \"downloaded\": ").unsigned(peer.downloaded())
                        .raw(", \"left\": ").unsigned(peer.left())
                        .raw(", \"start_time\": ").number(peer.startTime())
                        .raw(", \"last_announce\": ").number(peer.lastAnnounce())
                        .raw(", \"client_id\": ").number(peer.clientId()).raw("}");
            }
            out.raw(peers.isEmpty() ? "]}" : "\n    ]}");
            done += 1 + peers.size();
            if (done - reported >= 1 << 16) {
                progress.update(done, total);
                reported = done;
            }
        }
        out.raw(torrents.isEmpty() ? "]" : "\n  ]");
        if (!contents.clients().isEmpty()) {   // left out when there are none, as older caches have; by id
            out.raw(",\n  \"approved_clients\": [");
            boolean first = true;
            for (java.util.Map.Entry<Integer, String> client : contents.clients().entrySet()) {
                out.raw(first ? "\n    " : ",\n    ").raw("{\"id\": ").number(client.getKey())
                        .raw(", \"prefix\": ").string(client.getValue()).raw("}");
                first = false;
            }
            out.raw("\n  ]");
        }
        out.raw("\n}\n");
        out.flush();
        progress.update(total, total);
    }

    static String typeName(TorrentType type) {
        return type.sqlName();
    }
}
