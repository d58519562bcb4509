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
import java.util.HexFormat;
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
    private static final String[] ROOT_FIELDS = {"version", "written_at", "users", "torrents", "approved_clients"};
    private static final String[] CLIENT_FIELDS = {"id", "prefix"};
    private static final int MAX_PREFIX_LENGTH = 255;
    private static final String[] USER_FIELDS = {"id", "passkey", "down_multiplier", "up_multiplier",
            "disable_download", "tracker_hide"};
    private static final String[] TORRENT_FIELDS = {"id", "info_hash", "status", "snatched", "last_action",
            "group_id", "type", "down_multiplier", "up_multiplier", "peers"};
    private static final String[] PEER_FIELDS = {"user_id", "peer_id", "ip", "port", "seeding", "uploaded",
            "downloaded", "left", "start_time", "last_announce", "client_id"};
    private static final int MAX_PASSKEY_LENGTH = 255;

    private final JsonParser parser;
    private final LongConsumer entriesRead;
    private long entries;

    // Where the parser is. Kept as parts and made into a path such as torrents[3].peers[0].peer_id only for
    // an error message: building it for every value would cost more than parsing.
    private String section = "";
    private int entry = -1;
    private boolean inPeers;
    private int peer = -1;
    private String field;

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
                throw invalid("expected a JSON object, got " + describeToken());
            }
            Fields fields = new Fields(ROOT_FIELDS);
            Instant writtenAt = now;
            List<User> users = null;
            List<TorrentSnapshot> torrents = null;
            Map<Integer, String> clients = Map.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = take(fields);
                parser.nextToken();
                switch (name) {
                    case "version" -> {
                        long version = integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
                        if (version != JsonDump.JSON_VERSION) {
                            throw invalid("expected " + JsonDump.JSON_VERSION + " (the only layout this cc reads), got "
                                    + version);
                        }
                    }
                    case "written_at" -> writtenAt = instant();
                    case "users" -> users = users();
                    case "torrents" -> torrents = torrents();
                    case "approved_clients" -> clients = clients();
                    default -> throw new IllegalStateException(name);
                }
                field = null;
            }
            require(fields, "version", "written_at", "approved_clients");
            if (parser.nextToken() != null) {
                throw invalid("expected the end of the input after the object, got " + describeToken());
            }
            entriesRead.accept(entries);
            return new LoadedCache(writtenAt, users, torrents, clients);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw invalid("malformed JSON" + at + ": " + jacksonReason(e));
        }
    }

    /** Jackson's own reason, without its source-location boilerplate (the line and column are given already). */
    private static String jacksonReason(JsonProcessingException e) {
        String reason = e.getOriginalMessage().lines().findFirst().orElse("");
        return reason.replaceAll(" ?\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll(" ?(at )?\\[Source:[^\\]]*\\]", "");
    }

    private List<User> users() throws IOException, InvalidInputException {
        expectArray();
        section = "users";
        field = null;
        List<User> users = new ArrayList<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<String, Integer> passkeys = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            entry = users.size();
            User user = user();
            Integer earlier = ids.putIfAbsent(user.id(), entry);
            if (earlier != null) {
                field = "id";
                throw invalid(user.id() + " is also users[" + earlier + "]");
            }
            earlier = passkeys.putIfAbsent(user.passkey(), entry);
            if (earlier != null) {
                field = "passkey";
                throw invalid("the same passkey as users[" + earlier + "]");
            }
            users.add(user);
            counted(1);
        }
        section = "";
        entry = -1;
        return users;
    }

    private Map<Integer, String> clients() throws IOException, InvalidInputException {
        expectArray();
        section = "approved_clients";
        field = null;
        Map<Integer, String> clients = new java.util.TreeMap<>();
        Map<Integer, Integer> ids = new HashMap<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            entry = index;
            expectObject();
            Fields fields = new Fields(CLIENT_FIELDS);
            int id = 0;
            String prefix = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = take(fields);
                parser.nextToken();
                switch (name) {
                    case "id" -> id = int32();
                    case "prefix" -> prefix = latin1(string("a string"), 0, MAX_PREFIX_LENGTH);
                    default -> throw new IllegalStateException(name);
                }
                field = null;
            }
            require(fields);
            Integer earlier = ids.putIfAbsent(id, index);
            if (earlier != null) {
                field = "id";
                throw invalid(id + " is also approved_clients[" + earlier + "]");
            }
            clients.put(id, prefix);
            index++;
        }
        section = "";
        entry = -1;
        return clients;
    }

    private User user() throws IOException, InvalidInputException {
        expectObject();
        Fields fields = new Fields(USER_FIELDS);
        int id = 0;
        String passkey = null;
        double down = 0;
        double up = 0;
        boolean disableDownload = false;
        boolean trackerHide = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = take(fields);
            parser.nextToken();
            switch (name) {
                case "id" -> id = int32();
                case "passkey" -> passkey = passkey();
                case "down_multiplier" -> down = multiplier();
                case "up_multiplier" -> up = multiplier();
                case "disable_download" -> disableDownload = bool();
                case "tracker_hide" -> trackerHide = bool();
                default -> throw new IllegalStateException(name);
            }
            field = null;
        }
        require(fields);
        return new User(id, passkey, down, up, disableDownload, trackerHide);
    }

    private List<TorrentSnapshot> torrents() throws IOException, InvalidInputException {
        expectArray();
        section = "torrents";
        field = null;
        List<TorrentSnapshot> torrents = new ArrayList<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<ByteBuffer, Integer> hashes = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            entry = torrents.size();
            TorrentSnapshot torrent = torrent();
            Integer earlier = ids.putIfAbsent(torrent.id(), entry);
            if (earlier != null) {
                field = "id";
                throw invalid(torrent.id() + " is also torrents[" + earlier + "]");
            }
            earlier = hashes.putIfAbsent(ByteBuffer.wrap(torrent.infoHash()), entry);
            if (earlier != null) {
                field = "info_hash";
                throw invalid("the same info hash as torrents[" + earlier + "]");
            }
            torrents.add(torrent);
        }
        section = "";
        entry = -1;
        return torrents;
    }

    private TorrentSnapshot torrent() throws IOException, InvalidInputException {
        expectObject();
        Fields fields = new Fields(TORRENT_FIELDS);
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
            String name = take(fields);
            parser.nextToken();
            switch (name) {
                case "id" -> id = int32();
                case "info_hash" -> infoHash = hex20();
                case "status" -> status = int32();
                case "snatched" -> snatched = integer(0, Long.MAX_VALUE, "a non-negative integer");
                case "last_action" -> lastAction = integer(Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer");
                case "group_id" -> groupId = int32();
                case "type" -> type = type();
                case "down_multiplier" -> down = multiplier();
                case "up_multiplier" -> up = multiplier();
                case "peers" -> peers = peers();
                default -> throw new IllegalStateException(name);
            }
            field = null;
        }
        require(fields);
        counted(1);
        return new TorrentSnapshot(id, infoHash, status, snatched, down, up, groupId, type, lastAction, peers);
    }

    private List<PeerSnapshot> peers() throws IOException, InvalidInputException {
        expectArray();
        field = null;
        inPeers = true;
        List<PeerSnapshot> peers = new ArrayList<>();
        Map<PeerKey, Integer> keys = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            peer = peers.size();
            PeerSnapshot snapshot = peer();
            Integer earlier = keys.putIfAbsent(new PeerKey(snapshot.userId(), ByteBuffer.wrap(snapshot.peerId())), peer);
            if (earlier != null) {
                throw invalid("duplicate peer: user_id " + snapshot.userId() + " with peer_id "
                        + HexFormat.of().formatHex(snapshot.peerId()) + " is also peers[" + earlier + "]");
            }
            peers.add(snapshot);
            counted(1);
        }
        inPeers = false;
        peer = -1;
        field = "peers";
        return peers;
    }

    private PeerSnapshot peer() throws IOException, InvalidInputException {
        expectObject();
        Fields fields = new Fields(PEER_FIELDS);
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
            String name = take(fields);
            parser.nextToken();
            switch (name) {
                case "user_id" -> userId = int32();
                case "peer_id" -> peerId = hex20();
                case "ip" -> ip = ipv4();
                case "port" -> port = (int) integer(0, 65535, "a port from 0 to 65535");
                case "seeding" -> seeding = bool();
                case "uploaded" -> uploaded = unsigned64();
                case "downloaded" -> downloaded = unsigned64();
                case "left" -> left = unsigned64();
                case "start_time" -> startTime = integer(0, 0xFFFFFFFFL, "seconds from 0 to 4294967295");
                case "last_announce" -> lastAnnounce = integer(0, 0xFFFFFFFFL, "seconds from 0 to 4294967295");
                case "client_id" -> clientId = int32();
                default -> throw new IllegalStateException(name);
            }
            field = null;
        }
        require(fields);
        return new PeerSnapshot(userId, peerId, ip, port, uploaded, downloaded, left, startTime, lastAnnounce, clientId,
                seeding);
    }

    /** The current field's canonical name, after checking that it is known and new; it becomes the current field. */
    private String take(Fields fields) throws IOException, InvalidInputException {
        String name = parser.currentName();
        field = name;
        int index = fields.indexOf(name);
        if (index < 0) {
            throw invalid("unknown field (expected " + String.join(", ", fields.names) + ")");
        }
        if (fields.seen[index]) {
            throw invalid("appears twice");
        }
        fields.seen[index] = true;
        field = fields.names[index];
        return field;
    }

    /** Fails on the first field not seen, except the optional ones. */
    private void require(Fields fields, String... optional) throws InvalidInputException {
        String missing = fields.firstMissing(optional);
        if (missing != null) {
            field = null;
            throw invalid("missing field \"" + missing + "\"");
        }
    }

    // Values. Each reads the current token, at the current path.

    private int int32() throws IOException, InvalidInputException {
        return (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
    }

    private long integer(long min, long max, String expected) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw invalid("expected " + expected + ", got " + describeToken());
        }
        long value;
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            value = parser.getLongValue();
        } else {
            throw invalid("expected " + expected + ", got " + parser.getText());
        }
        if (value < min || value > max) {
            throw invalid("expected " + expected + ", got " + parser.getText());
        }
        return value;
    }

    private long unsigned64() throws IOException, InvalidInputException {
        String expected = "an unsigned 64-bit integer (0 to 18446744073709551615)";
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw invalid("expected " + expected + ", got " + describeToken());
        }
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            long value = parser.getLongValue();
            if (value < 0) {
                throw invalid("expected " + expected + ", got negative " + value);
            }
            return value;
        }
        String text = parser.getText(); // above 2^63 - 1
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw invalid("expected " + expected + ", got " + (text.startsWith("-") ? "negative " : "") + text);
        }
    }

    private double multiplier() throws IOException, InvalidInputException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw invalid("expected a number, got " + describeToken());
        }
        double value = Double.parseDouble(parser.getText());
        if (!Double.isFinite(value)) {
            throw invalid("expected a finite number, got " + parser.getText());
        }
        return value;
    }

    private boolean bool() throws IOException, InvalidInputException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw invalid("expected true or false, got " + describeToken());
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private String string(String expected) throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw invalid("expected " + expected + ", got " + describeToken());
        }
        return parser.getText();
    }

    private byte[] hex20() throws IOException, InvalidInputException {
        String text = string("a string of 40 hex digits");
        if (text.length() != 40) {
            throw invalid("expected 40 hex digits, got " + text.length());
        }
        byte[] bytes = new byte[20];
        for (int i = 0; i < 40; i++) {
            char c = text.charAt(i);
            int digit = c <= 'f' ? Character.digit(c, 16) : -1;
            if (digit < 0) {
                throw invalid("expected 40 hex digits, got " + quote(text.substring(i, i + 1)) + " at position " + (i + 1));
            }
            bytes[i / 2] = (byte) (bytes[i / 2] << 4 | digit);
        }
        return bytes;
    }

    private String passkey() throws IOException, InvalidInputException {
        return latin1(string("a string"), 1, MAX_PASSKEY_LENGTH);
    }

    /** {@code text} if it has {@code min} to {@code max} characters, all ISO-8859-1. */
    private String latin1(String text, int min, int max) throws InvalidInputException {
        if (text.length() < min || text.length() > max) {
            throw invalid("expected " + min + " to " + max + " characters, got " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw invalid("character " + (i + 1) + " is not ISO-8859-1 (U+"
                        + String.format("%04X", (int) text.charAt(i)) + ")");
            }
        }
        return text;
    }

    private int ipv4() throws IOException, InvalidInputException {
        String text = string("an IPv4 address");
        long address = text.indexOf(':') >= 0 ? Ipv4.INVALID : Ipv4.parse(text);
        if (address == Ipv4.INVALID) {
            throw invalid("expected an IPv4 address like 192.0.2.1, got " + quote(text));
        }
        return (int) address;
    }

    private TorrentType type() throws IOException, InvalidInputException {
        String text = string("\"anime\" or \"music\"");
        for (TorrentType type : TorrentType.values()) {
            if (type.sqlName().equals(text)) {
                return type;
            }
        }
        throw invalid("expected \"anime\" or \"music\", got " + quote(text));
    }

    private Instant instant() throws IOException, InvalidInputException {
        String text = string("a time like 2024-01-31T12:00:00Z");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("expected a time like 2024-01-31T12:00:00Z, got " + quote(text));
        }
    }

    private void expectArray() throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("expected an array, got " + describeToken());
        }
    }

    private void expectObject() throws IOException, InvalidInputException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw invalid("expected an object, got " + describeToken());
        }
    }

    /** The JSON path of the current value. */
    private String where() {
        StringBuilder path = new StringBuilder(section);
        if (entry >= 0) {
            path.append('[').append(entry).append(']');
        }
        if (inPeers) {
            path.append(".peers");
            if (peer >= 0) {
                path.append('[').append(peer).append(']');
            }
        }
        if (field != null) {
            path.append(path.length() > 0 ? "." : "").append(field);
        }
        return path.toString();
    }

    private InvalidInputException invalid(String reason) {
        return new InvalidInputException(where(), reason);
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

    /** The fields of one object: which are known and which were seen. */
    private static final class Fields {
        final String[] names;
        final boolean[] seen;

        Fields(String[] names) {
            this.names = names;
            this.seen = new boolean[names.length];
        }

        int indexOf(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** The first field not seen that is not optional, or null. */
        String firstMissing(String... optional) {
            outer:
            for (int i = 0; i < names.length; i++) {
                if (!seen[i]) {
                    for (String name : optional) {
                        if (name.equals(names[i])) {
                            continue outer;
                        }
                    }
                    return names[i];
                }
            }
            return null;
        }
    }
}
