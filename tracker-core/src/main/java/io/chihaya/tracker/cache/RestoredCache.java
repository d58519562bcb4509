package io.chihaya.tracker.cache;

import io.chihaya.tracker.model.ApprovedClients;
import io.chihaya.tracker.model.ByteKeyTable;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A cache file read for the tracker's start ({@link CacheStore#readOrQuarantine}): the torrents come
 * with their swarms already built from the file's bytes, so installing them is a swap of tables.
 *
 * @param writtenAt when the file was written
 * @param users     the users, in file order
 * @param torrents  the torrents by info hash, each with its swarm; not shared with anything else yet
 * @param clients   the approved clients, {@code id → peer_id prefix}; empty when the file held none
 * @param peers     the number of peers over all torrents
 */
public record RestoredCache(Instant writtenAt, List<User> users, ByteKeyTable<Torrent> torrents,
                            Map<Integer, String> clients, long peers) {
    /**
     * Replaces the registry's users and torrents with these, swarms included, and its approved clients
     * when the file held any. Meant for start-up, before the first database load, which then keeps the
     * swarm of every torrent still in the database and replaces the clients. Call it once: the
     * registry takes the torrents themselves, not copies.
     */
    public void installInto(Registry registry) {
        registry.loadUsers(users);
        if (!clients.isEmpty()) {
            registry.setApprovedClients(ApprovedClients.of(clients));
        }
        registry.setTorrents(torrents);
    }
}
