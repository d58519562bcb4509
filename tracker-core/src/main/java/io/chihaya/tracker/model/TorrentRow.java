package io.chihaya.tracker.model;

/**
 * One {@code torrents} row as loaded from MariaDB.
 *
 * @param id             {@code ID}
 * @param infoHash       raw 20 bytes
 * @param downMultiplier {@code DownMultiplier}
 * @param upMultiplier   {@code UpMultiplier}
 * @param snatched       {@code Snatched}
 * @param status         {@code Status}
 * @param groupId        {@code GroupID}
 * @param type           {@code TorrentType}
 * @param lastAction     {@code last_action}
 */
public record TorrentRow(int id, byte[] infoHash, double downMultiplier, double upMultiplier, long snatched,
                         int status, int groupId, TorrentType type, long lastAction) {
}
