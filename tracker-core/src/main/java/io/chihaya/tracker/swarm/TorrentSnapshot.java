package io.chihaya.tracker.swarm;

import io.chihaya.tracker.model.TorrentType;

import java.util.List;

/**
 * An immutable copy of a {@link Torrent} and its peers, as the cache stores it.
 *
 * @param id             {@code torrents.ID}
 * @param infoHash       20 bytes
 * @param status         {@code Status} (0 active, 1 pruned)
 * @param snatched       Snatched as reported to clients
 * @param downMultiplier torrent download multiplier
 * @param upMultiplier   torrent upload multiplier
 * @param groupId        {@code GroupID}
 * @param type           {@code TorrentType}
 * @param lastAction     last seeder announce, seconds since the epoch
 * @param peers          seeders and leechers
 */
public record TorrentSnapshot(int id, byte[] infoHash, int status, long snatched, double downMultiplier,
                              double upMultiplier, int groupId, TorrentType type, long lastAction,
                              List<PeerSnapshot> peers) {
}
