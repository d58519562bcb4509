package io.chihaya.tracker.swarm;

/**
 * An immutable copy of one peer of a {@link Swarm}: what the cache stores and {@code cc dump} prints.
 *
 * @param userId       owner ({@code users_main.ID})
 * @param peerId       the 20-byte peer_id
 * @param ip           IPv4 address as an int
 * @param port         0-65535
 * @param uploaded     last reported uploaded (unsigned 64-bit)
 * @param downloaded   last reported downloaded (unsigned 64-bit)
 * @param left         last reported left (unsigned 64-bit)
 * @param startTime    first announce, seconds since the epoch
 * @param lastAnnounce last announce, seconds since the epoch
 * @param clientId     {@code approved_clients.id}
 * @param seeding      seeder or leecher
 */
public record PeerSnapshot(int userId, byte[] peerId, int ip, int port, long uploaded, long downloaded, long left,
                           long startTime, long lastAnnounce, int clientId, boolean seeding) {
}
