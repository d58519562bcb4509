package io.chihaya.tracker.model;

/**
 * An enabled user as loaded from {@code users_main}: what an announce needs to know about its sender.
 * Immutable; a reload replaces the whole user table.
 *
 * @param id              {@code users_main.ID}
 * @param passkey         the 32-character {@code torrent_pass}
 * @param downMultiplier  {@code DownMultiplier}; its absolute value scales download deltas
 * @param upMultiplier    {@code UpMultiplier}; its absolute value scales upload deltas
 * @param disableDownload {@code DisableDownload}: the user may only leech torrents it has a hit-and-run on
 * @param trackerHide     {@code TrackerHide}: its address is written to {@code transfer_ips} as 127.0.0.1
 */
public record User(int id, String passkey, double downMultiplier, double upMultiplier,
                   boolean disableDownload, boolean trackerHide) {
}
