package io.chihaya.tracker.announce;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.swarm.AnnounceOutcome;

/** Writes the chosen peers as a compact string (6 bytes each) or a list of dictionaries. */
final class PeerWriter {
    private PeerWriter() {
    }

    static void write(AnnounceOutcome peers, boolean compact, boolean noPeerId, BencodeWriter out) {
        int count = peers.peerCount();
        if (compact) {
            int at = out.reserveString(count * 6);
            byte[] buffer = out.buffer();
            for (int i = 0; i < count; i++) {
                int ip = peers.peerIp(i);
                int port = peers.peerPort(i);
                buffer[at++] = (byte) (ip >>> 24);
                buffer[at++] = (byte) (ip >>> 16);
                buffer[at++] = (byte) (ip >>> 8);
                buffer[at++] = (byte) ip;
                buffer[at++] = (byte) (port >>> 8);
                buffer[at++] = (byte) port;
            }
            return;
        }
        out.startList();
        for (int i = 0; i < count; i++) {
            out.startDict().key("ip").string(Ipv4.format(peers.peerIp(i)));
            if (!noPeerId) {
                out.key("peer id").string(peers.peerIds(), i * 20, 20);
            }
            out.key("port").integer(peers.peerPort(i)).end();
        }
        out.end();
    }
}
