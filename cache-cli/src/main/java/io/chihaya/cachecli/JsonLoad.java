package io.chihaya.cachecli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.chihaya.tracker.announce.Ipv4;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads the JSON form of a cache (as {@code cc dump} writes it) strictly and in one streaming pass,
 * stopping at the first bad value with its JSON path: unknown, missing or repeated fields, wrong types,
 * bad hex, wrong lengths, negative or out-of-range numbers, duplicate users, passkeys, torrents, info
 * hashes, or peers (same user id and peer id in one torrent). The values accepted are exactly those a
 * cache file can hold, so whatever loads also writes. One instance per input; not thread-safe.
 */
final class JsonLoad {
    private static final String[] ROOT_FIELDS = {"version", "written_at", "users", "torrents"};
    private static final String[] USER_FIELDS = {"id", "passkey", "down_multiplier", "up_multiplier",
            "disable_download", "tracker_hide"};
    private static final String[] TORRENT_FIELDS = {"id", "info_hash", "status", "snatched", "last_action",
            "group_id", "type", "down_multiplier", "up_multiplier", "peers"};
    private static final String[] PEER_FIELDS = {"user_id", "peer_id", "ip", "port", "seeding", "uploaded",
            "downloaded", "left", "start_time", "last_announce", "client_id"};
    private static final int MAX_PASSKEY_LENGTH = 255;

    private final JsonParser parser;
    private final LongConsumer entriesRead;
    /** Where the parser is, for the message of a syntax error. */
    private String path = "";
    private long entries;

    private JsonLoad(JsonParser parser, LongConsumer entriesRead) {
        this.parser = parser;
        this.entriesRead = entriesRead;
    }

    /**
     * Reads and validates a whole document.
     *
     * @param entriesRead told the number of users, torrents and peers read so far, now and then
     * @param now         the written-at time when the document has none
     */
    static LoadedCache read(InputStream in, LongConsumer entriesRead, Instant now) throws IOException, InvalidInputException {
        JsonFactory factory = JsonFactory.builder().build();
        try (JsonParser parser = factory.createParser(in)) {
            return new JsonLoad(parser, entriesRead).document(now);
        }
    }

    private LoadedCache document(Instant now) throws IOException, InvalidInputException {
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("", "expected a JSON object, got " + describeToken());
            }
            Fields fields = new Fields("", ROOT_FIELDS);
            Instant writtenAt = now;
            List<User> users = null;
            List<TorrentSnapshot> torrents = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = fields.take(parser.currentName());
                path = name;
                parser.nextToken();
                switch (name) {
                    case "version" -> {
                        long version = integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
                        if (version != JsonDump.JSON_VERSION) {
                            throw new InvalidInputException(name, "expected " + JsonDump.JSON_VERSION
                                    + " (the only layout this cc reads), got " + version);
                        }
                    }
                    case "written_at" -> writtenAt = instant(name);
                    case "users" -> users = users();
                    case "torrents" -> torrents = torrents();
                    default -> throw new IllegalStateException(name);
                }
                path = "";
            }
            fields.requireAll("version", "written_at");
            path = "";
            if (parser.nextToken() != null) {
                throw new InvalidInputException("", "expected the end of the input after the object, got " + describeToken());
            }
            entriesRead.accept(entries);
            return new LoadedCache(writtenAt, users, torrents);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new InvalidInputException(path, "malformed JSON" + at + ": " + jacksonReason(e));
        }
    }

    /** Jackson's own reason, without its source-location boilerplate (the line and column are given already). */
    private static String jacksonReason(JsonProcessingException e) {
        String reason = e.getOriginalMessage().lines().findFirst().orElse("");
        return reason.replaceAll(" ?\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll(" ?(at )?\\[Source:[^\\]]*\\]", "");
    }

    private List<User> users() throws IOException, InvalidInputException {
        expectArray("users");
        List<User> users = new ArrayList<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<String, Integer> passkeys = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int index = users.size();
            String at = "users[" + index + "]";
            User user = user(at);
            Integer earlier = ids.putIfAbsent(user.id(), index);
            if (earlier != null) {
                throw new InvalidInputException(at + ".id", user.id() + " is also users[" + earlier + "]");
            }
            earlier = passkeys.putIfAbsent(user.passkey(), index);
            if (earlier != null) {
                throw new InvalidInputException(at + ".passkey", "the same passkey as users[" + earlier + "]");
            }
            users.add(user);
            counted(1);
            path = "users";
        }
        return users;
    }

    private User user(String at) throws IOException, InvalidInputException {
        expectObject(at);
        Fields fields = new Fields(at, USER_FIELDS);
        int id = 0;
        String passkey = null;
        double down = 0;
        double up = 0;
        boolean disableDownload = false;
        boolean trackerHide = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = fields.take(parser.currentName());
            String field = path = at + "." + name;
            parser.nextToken();
            switch (name) {
                case "id" -> id = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                case "passkey" -> passkey = passkey(field);
                case "down_multiplier" -> down = multiplier(field);
                case "up_multiplier" -> up = multiplier(field);
                case "disable_download" -> disableDownload = bool(field);
                case "tracker_hide" -> trackerHide = bool(field);
                default -> throw new IllegalStateException(name);
            }
            path = at;
        }
        fields.requireAll();
        return new User(id, passkey, down, up, disableDownload, trackerHide);
    }

    private List<TorrentSnapshot> torrents() throws IOException, InvalidInputException {
        expectArray("torrents");
        List<TorrentSnapshot> torrents = new ArrayList<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<ByteBuffer, Integer> hashes = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int index = torrents.size();
            String at = "torrents[" + index + "]";
            TorrentSnapshot torrent = torrent(at);
            Integer earlier = ids.putIfAbsent(torrent.id(), index);
            if (earlier != null) {
                throw new InvalidInputException(at + ".id", torrent.id() + " is also torrents[" + earlier + "]");
            }
            earlier = hashes.putIfAbsent(ByteBuffer.wrap(torrent.infoHash()), index);
            if (earlier != null) {
                throw new InvalidInputException(at + ".info_hash", "the same info hash as torrents[" + earlier + "]");
            }
            torrents.add(torrent);
            path = "torrents";
        }
        return torrents;
    }

    private TorrentSnapshot torrent(String at) throws IOException, InvalidInputException {
        expectObject(at);
        Fields fields = new Fields(at, TORRENT_FIELDS);
        int id = 0;
        byte[] infoHash = null;
        int status = 0;
        long snatched = 0;
        long lastAction = 0;
        int groupId = 0;
        TorrentType type = null;
        double down = 0;
        double up = 0;
        List<PeerSnapshot> peers = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = fields.take(parser.currentName());
            String field = path = at + "." + name;
            parser.nextToken();
            switch (name) {
                case "id" -> id = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                case "info_hash" -> infoHash = hex20(field);
                case "status" -> status = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                case "snatched" -> snatched = integer(field, 0, Long.MAX_VALUE, "a non-negative integer");
                case "last_action" -> lastAction = integer(field, Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer");
                case "group_id" -> groupId = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                case "type" -> type = type(field);
                case "down_multiplier" -> down = multiplier(field);
                case "up_multiplier" -> up = multiplier(field);
                case "peers" -> peers = peers(field);
                default -> throw new IllegalStateException(name);
            }
            path = at;
        }
        fields.requireAll();
        counted(1);
        return new TorrentSnapshot(id, infoHash, status, snatched, down, up, groupId, type, lastAction, peers);
    }

    private List<PeerSnapshot> peers(String at) throws IOException, InvalidInputException {
        expectArray(at);
        List<PeerSnapshot> peers = new ArrayList<>();
        Map<PeerKey, Integer> keys = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int index = peers.size();
            String peerAt = at + "[" + index + "]";
            PeerSnapshot peer = peer(peerAt);
            Integer earlier = keys.putIfAbsent(new PeerKey(peer.userId(), ByteBuffer.wrap(peer.peerId())), index);
            if (earlier != null) {
                throw new InvalidInputException(peerAt, "duplicate peer: user_id " + peer.userId() + " with peer_id "
                        + java.util.HexFormat.of().formatHex(peer.peerId()) + " is also peers[" + earlier + "]");
            }
            peers.add(peer);
            counted(1);
            path = at;
        }
        return peers;
    }

    private PeerSnapshot peer(String at) throws IOException, InvalidInputException {
        expectObject(at);
        Fields fields = new Fields(at, PEER_FIELDS);
        int userId = 0;
        byte[] peerId = null;
        int ip = 0;
        int port = 0;
        boolean seeding = false;
        long uploaded = 0;
        long downloaded = 0;
        long left = 0;
        long startTime = 0;
        long lastAnnounce = 0;
        int clientId = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = fields.take(parser.currentName());
            String field = path = at + "." + name;
            parser.nextToken();
            switch (name) {
                case "user_id" -> userId = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                case "peer_id" -> peerId = hex20(field);
                case "ip" -> ip = ipv4(field);
                case "port" -> port = (int) integer(field, 0, 65535, "a port from 0 to 65535");
                case "seeding" -> seeding = bool(field);
                case "uploaded" -> uploaded = unsigned64(field);
                case "downloaded" -> downloaded = unsigned64(field);
                case "left" -> left = unsigned64(field);
                case "start_time" -> startTime = integer(field, 0, 0xFFFFFFFFL, "seconds from 0 to 4294967295");
                case "last_announce" -> lastAnnounce = integer(field, 0, 0xFFFFFFFFL, "seconds from 0 to 4294967295");
                case "client_id" -> clientId = (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
                default -> throw new IllegalStateException(name);
            }
            path = at;
        }
        fields.requireAll();
        return new PeerSnapshot(userId, peerId, ip, port, uploaded, downloaded, left, startTime, lastAnnounce, clientId,
                seeding);
    }

    // Values. Each reads the current token.

    private long integer(String at, long min, long max, String expected) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + describeToken());
        }
        String text = parser.getText();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + text);
        }
        if (value < min || value > max) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + text);
        }
        return value;
    }

    private long unsigned64(String at) throws IOException, InvalidInputException {
        String expected = "an unsigned 64-bit integer (0 to 18446744073709551615)";
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + describeToken());
        }
        String text = parser.getText();
        if (text.startsWith("-")) {
            throw new InvalidInputException(at, "expected " + expected + ", got negative " + text);
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + text);
        }
    }

    private double multiplier(String at) throws IOException, InvalidInputException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidInputException(at, "expected a number, got " + describeToken());
        }
        double value = Double.parseDouble(parser.getText());
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(at, "expected a finite number, got " + parser.getText());
        }
        return value;
    }

    private boolean bool(String at) throws IOException, InvalidInputException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new InvalidInputException(at, "expected true or false, got " + describeToken());
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private String string(String at, String expected) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(at, "expected " + expected + ", got " + describeToken());
        }
        return parser.getText();
    }

    private byte[] hex20(String at) throws IOException, InvalidInputException {
        String text = string(at, "a string of 40 hex digits");
        if (text.length() != 40) {
            throw new InvalidInputException(at, "expected 40 hex digits, got " + text.length());
        }
        byte[] bytes = new byte[20];
        for (int i = 0; i < 40; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                throw new InvalidInputException(at, "expected 40 hex digits, got " + quote(text.substring(i, i + 1))
                        + " at position " + (i + 1));
            }
            bytes[i / 2] = (byte) (bytes[i / 2] << 4 | digit);
        }
        return bytes;
    }

    private String passkey(String at) throws IOException, InvalidInputException {
        String text = string(at, "a string");
        if (text.isEmpty() || text.length() > MAX_PASSKEY_LENGTH) {
            throw new InvalidInputException(at, "expected 1 to " + MAX_PASSKEY_LENGTH + " characters, got " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw new InvalidInputException(at, "character " + (i + 1) + " is not ISO-8859-1 (U+"
                        + String.format("%04X", (int) text.charAt(i)) + ")");
            }
        }
        return text;
    }

    private int ipv4(String at) throws IOException, InvalidInputException {
        String text = string(at, "an IPv4 address");
        long address = text.indexOf(':') >= 0 ? Ipv4.INVALID : Ipv4.parse(text);
        if (address == Ipv4.INVALID) {
            throw new InvalidInputException(at, "expected an IPv4 address like 192.0.2.1, got " + quote(text));
        }
        return (int) address;
    }

    private TorrentType type(String at) throws IOException, InvalidInputException {
        String text = string(at, "\"anime\" or \"music\"");
        for (TorrentType type : TorrentType.values()) {
            if (type.sqlName().equals(text)) {
                return type;
            }
        }
        throw new InvalidInputException(at, "expected \"anime\" or \"music\", got " + quote(text));
    }

    private Instant instant(String at) throws IOException, InvalidInputException {
        String text = string(at, "a time like 2024-01-31T12:00:00Z");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(at, "expected a time like 2024-01-31T12:00:00Z, got " + quote(text));
        }
    }

    private void expectArray(String at) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(at, "expected an array, got " + describeToken());
        }
    }

    private void expectObject(String at) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidInputException(at, "expected an object, got " + describeToken());
        }
    }

    private String describeToken() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> parser.getText();
            default -> parser.getText();
        };
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private void counted(int count) {
        entries += count;
        if ((entries & 0xFFFF) < count) {
            entriesRead.accept(entries);
        }
    }

    /** A peer's identity within one torrent. */
    private record PeerKey(int userId, ByteBuffer peerId) {
    }

    /** The fields of one object: which are known, which were seen, which are missing. */
    private static final class Fields {
        private final String at;
        private final String[] names;
        private final boolean[] seen;

        Fields(String at, String[] names) {
            this.at = at;
            this.names = names;
            this.seen = new boolean[names.length];
        }

        /** The field's canonical name, after checking that it is known and new. */
        String take(String name) throws InvalidInputException {
            String field = at.isEmpty() ? name : at + "." + name;
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    if (seen[i]) {
                        throw new InvalidInputException(field, "appears twice");
                    }
                    seen[i] = true;
                    return names[i];
                }
            }
            throw new InvalidInputException(field, "unknown field (expected " + String.join(", ", names) + ")");
        }

        /** Fails on the first field not seen, except the optional ones. */
        void requireAll(String... optional) throws InvalidInputException {
            outer:
            for (int i = 0; i < names.length; i++) {
                if (!seen[i]) {
                    for (String name : optional) {
                        if (name.equals(names[i])) {
                            continue outer;
                        }
                    }
                    throw new InvalidInputException(at, "missing field \"" + names[i] + "\"");
                }
            }
        }
    }
}
