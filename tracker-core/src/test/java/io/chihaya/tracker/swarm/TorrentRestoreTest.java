package io.chihaya.tracker.swarm;

import io.chihaya.tracker.model.TorrentType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A cache restore sizes the swarm once for all its peers, and every peer comes back as it was. */
class TorrentRestoreTest {
    @Test
    void aRestoredSwarmIsSizedForItsPeersAndHoldsThemAll() {
        List<PeerSnapshot> peers = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] peerId = ByteBuffer.allocate(20).putInt(0, i).putInt(12, i * 7).array();
            peers.add(new PeerSnapshot(1 + i % 500, peerId, 0x0a000000 + i, 6881 + i % 100, i * 1_000L, i * 10L,
                    i % 3 == 0 ? 0 : 1_000_000L - i, 1_700_000_000L + i, 1_700_000_100L + i, 1 + i % 4, i % 3 == 0));
        }
        TorrentSnapshot snapshot = new TorrentSnapshot(9, new byte[20], 0, 4, 1.0, 1.0, 3, TorrentType.ANIME,
                1_700_000_200L, List.copyOf(peers));

        Torrent torrent = Torrent.restore(snapshot);

        // Grown one sixteenth at a time from empty, the array would not end at exactly 3,000.
        assertThat(torrent.swarm.capacity()).isEqualTo(3_000);
        assertThat(torrent.swarm.size()).isEqualTo(3_000);
        TorrentSnapshot again = torrent.snapshot();
        assertThat(again.peers().stream().map(TorrentRestoreTest::describe).sorted().toList())
                .isEqualTo(peers.stream().map(TorrentRestoreTest::describe).sorted().toList());
    }

    /** Every field of a peer, the peer id as hex. */
    private static String describe(PeerSnapshot p) {
        return java.util.HexFormat.of().formatHex(p.peerId()) + " " + p.userId() + " " + p.ip() + " " + p.port() + " "
                + p.uploaded() + " " + p.downloaded() + " " + p.left() + " " + p.startTime() + " " + p.lastAnnounce()
                + " " + p.clientId() + " " + p.seeding();
    }
}
