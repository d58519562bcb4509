package io.chihaya.tracker.announce;

import io.chihaya.bencode.BString;
import io.chihaya.bencode.Bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Peer identities that can be traced back from a response, for the property, concurrency and fairness
 * tests: user {@code u} always announces from {@link #userIp(int)} (a public address, so the {@code ip}
 * parameter is honoured) and its peer number {@code i} from port {@link #port(int)} with peer id
 * {@link #peerId(int, int)}. A returned compact peer (ip, port) therefore names its (user, peer) pair.
 */
final class PeerFixtures {
    private static final int FIRST_PORT = 10_000;

    private PeerFixtures() {
    }

    /** 11.x.y.z: public (11/8 is in none of the private ranges), one address per user below 2^24. */
    static int userIp(int userId) {
        if (userId < 0 || userId >= 1 << 24) {
            throw new IllegalArgumentException("user id out of the address plan: " + userId);
        }
        return 11 << 24 | userId;
    }

    /** The user whose address {@code ip} is, or -1 when it is not one of {@link #userIp(int)}. */
    static int userOf(int ip) {
        return ip >>> 24 == 11 ? ip & 0xFFFFFF : -1;
    }

    static String ipText(int ip) {
        return Ipv4.format(ip);
    }

    static int port(int peerIndex) {
        return FIRST_PORT + peerIndex;
    }

    static int peerIndexOf(int port) {
        return port - FIRST_PORT;
    }

    /** "-TR2" (the approved client of {@link TestTracker}) + 8 digits of user + 8 digits of peer number. */
    static byte[] peerId(int userId, int peerIndex) {
        if (userId < 0 || userId > 99_999_999 || peerIndex < 0 || peerIndex > 99_999_999) {
            throw new IllegalArgumentException("peer id out of the plan: " + userId + "/" + peerIndex);
        }
        byte[] id = {'-', 'T', 'R', '2', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < 8; i++) {
            id[11 - i] = (byte) ('0' + userId % 10);
            userId /= 10;
            id[19 - i] = (byte) ('0' + peerIndex % 10);
            peerIndex /= 10;
        }
        return id;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Appends every byte as %XX (String.format per byte would dominate the tests' run time). */
    static void percentEncode(byte[] bytes, StringBuilder out) {
        for (byte b : bytes) {
            out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    /** An announce query for peer {@code peerIndex} of {@code userId}, announcing from the user's address. */
    static StringBuilder query(byte[] infoHash, int userId, int peerIndex, long uploaded, long downloaded, long left) {
        return queryWithoutAddress(infoHash, userId, peerIndex, uploaded, downloaded, left)
                .append("&ip=").append(ipText(userIp(userId)));
    }

    /** The mandatory parameters only; the caller says where the peer is. */
    static StringBuilder queryWithoutAddress(byte[] infoHash, int userId, int peerIndex, long uploaded,
                                             long downloaded, long left) {
        StringBuilder query = new StringBuilder(200);
        query.append("info_hash=");
        percentEncode(infoHash, query);
        query.append("&peer_id=");
        percentEncode(peerId(userId, peerIndex), query);
        query
                .append("&port=").append(port(peerIndex))
                .append("&uploaded=").append(Long.toUnsignedString(uploaded))
                .append("&downloaded=").append(Long.toUnsignedString(downloaded))
                .append("&left=").append(Long.toUnsignedString(left));
        return query;
    }

    /** One peer of a response's {@code peers}; {@code peerId} is null for compact peers and no_peer_id. */
    record ReturnedPeer(int ip, int port, byte[] peerId) {
        int userId() {
            return userOf(ip);
        }

        int peerIndex() {
            return peerIndexOf(port);
        }

        @Override
        public String toString() {
            return Ipv4.format(ip) + ":" + port + (peerId == null ? "" : "/" + new String(peerId, StandardCharsets.ISO_8859_1));
        }
    }

    /** Decodes a whole response strictly; keys as ISO-8859-1 text, byte strings left as {@link BString}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> decodeTopLevel(byte[] response) {
        Map<BString, Object> raw = (Map<BString, Object>) Bencode.decode(response);
        Map<String, Object> result = new LinkedHashMap<>();
        raw.forEach((key, value) -> result.put(new String(key.toByteArray(), StandardCharsets.ISO_8859_1), value));
        return result;
    }

    /**
     * The peers of a {@code peers} value: a compact string (6 bytes each) or a list of
     * {@code {ip, peer id, port}} dictionaries. Throws AssertionError on anything malformed.
     */
    @SuppressWarnings("unchecked")
    static List<ReturnedPeer> peers(Object value) {
        List<ReturnedPeer> result = new ArrayList<>();
        if (value instanceof BString compact) {
            byte[] b = compact.toByteArray();
            if (b.length % 6 != 0) {
                throw new AssertionError("compact peers of " + b.length + " bytes, not a multiple of 6");
            }
            for (int at = 0; at < b.length; at += 6) {
                int ip = (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
                int port = (b[at + 4] & 0xFF) << 8 | (b[at + 5] & 0xFF);
                result.add(new ReturnedPeer(ip, port, null));
            }
            return result;
        }
        if (value instanceof List<?> list) {
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> dict)) {
                    throw new AssertionError("dictionary peer expected, got " + entry);
                }
                Map<BString, Object> peer = (Map<BString, Object>) dict;
                Object ip = peer.get(BString.of("ip"));
                Object port = peer.get(BString.of("port"));
                Object id = peer.get(BString.of("peer id"));
                if (!(ip instanceof BString ipText) || !(port instanceof Long portValue)
                        || (id != null && !(id instanceof BString))
                        || peer.size() != (id == null ? 2 : 3)) {
                    throw new AssertionError("malformed dictionary peer " + peer);
                }
                long parsed = Ipv4.parse(new String(ipText.toByteArray(), StandardCharsets.ISO_8859_1));
                if (parsed == Ipv4.INVALID || portValue < 0 || portValue > 0xFFFF) {
                    throw new AssertionError("malformed dictionary peer " + peer);
                }
                byte[] peerId = id == null ? null : ((BString) id).toByteArray();
                if (peerId != null && peerId.length != 20) {
                    throw new AssertionError("peer id of " + peerId.length + " bytes: " + peer);
                }
                result.add(new ReturnedPeer((int) parsed, portValue.intValue(), peerId));
            }
            return result;
        }
        throw new AssertionError("peers is neither a string nor a list: " + value);
    }

    static boolean samePeerId(byte[] returned, int userId, int peerIndex) {
        return Arrays.equals(returned, peerId(userId, peerIndex));
    }

    /**
     * The seeds a property test runs: {@code count} seeds from {@code base}, or only the one given with
     * {@code -Dseed=N} (to replay a failure whose message printed it).
     */
    static LongStream seeds(long base, int count) {
        String replay = System.getProperty("seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.trim()));
        }
        return LongStream.range(0, count).map(i -> base + i * 0x9E3779B9L);
    }
}
