package io.chihaya.bench;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.announce.Outcome;
import io.chihaya.tracker.model.Registry;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One client (a user's peer_id on one torrent) that announces with ever-growing counters: a seeder
 * uploads, a leecher downloads and uploads a little, and {@code left} stays as it was so the peer keeps
 * its side of the swarm. Not thread-safe: one thread announces as a given peer.
 */
final class SimulatedPeer {
    private static final long PIECE = 262_144;

    private final String passkey;
    private final InetAddress address;
    private final AnnounceQuery query;
    private final boolean seeder;
    private long uploaded;
    private long downloaded;

    SimulatedPeer(String passkey, byte[] infoHash, byte[] peerId, int addressNumber, boolean seeder, String key) {
        this.passkey = passkey;
        try {
            this.address = InetAddress.getByAddress(Queries.address(addressNumber));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        this.seeder = seeder;
        this.query = new AnnounceQuery(infoHash, peerId, 6881 + (addressNumber & 0x3FFF), seeder ? 0 : 734_003_200L, key);
    }

    /** The first announce of this peer ({@code event=started}); fails loudly if the tracker refuses it. */
    void start(Registry registry, AnnounceService announces, BencodeWriter out) {
        Outcome outcome = announces.announce(registry.user(passkey), query + "&event=started", null, address, out);
        if (outcome != Outcome.OK) {
            throw new IllegalStateException("set-up announce refused: "
                    + new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** A regular announce with counters grown by one piece; the user is looked up as the server would. */
    Outcome reannounce(Registry registry, AnnounceService announces, BencodeWriter out) {
        if (seeder) {
            uploaded += PIECE;
        } else {
            downloaded += PIECE;
            uploaded += PIECE / 4;
        }
        query.counters(uploaded, downloaded);
        return announces.announce(registry.user(passkey), query, null, address, out);
    }
}
