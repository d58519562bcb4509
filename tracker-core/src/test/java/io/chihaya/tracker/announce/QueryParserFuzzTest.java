package io.chihaya.tracker.announce;

import io.chihaya.bencode.BString;
import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds generated and mutated query strings to {@link QueryParser}, {@link AnnounceService} and
 * {@link ScrapeService}: token soups of {@code %}, {@code &}, {@code =}, {@code +}, hex digits, parameter
 * names and values, raw chars 0-255 and some above 255, of lengths up to and past
 * {@link QueryParser#MAX_QUERY_LENGTH}; well-formed announces (known and unknown torrents, approved and
 * unknown clients, public, private and broken addresses, pruned torrents, users without download
 * rights) with up to four random edits; scrapes with up to hundreds of hashes.
 *
 * <ul>
 *   <li>The parser never throws and agrees, field by field, with a plain reference decoding of SPEC 4.1
 *       written here (split on {@code &}, then on the first {@code =}, percent-decode, last value wins);</li>
 *   <li>an announce never throws, always answers valid (strict) bencode that is either a failure
 *       {@code {failure reason, interval, min interval}} or a normal response, and a failure changes
 *       nothing (swarm counts, Snatched, Status, last action, sink, recorder);</li>
 *   <li>the first mandatory-parameter failure is the one SPEC 4.1 names for the query;</li>
 *   <li>a scrape never throws and lists exactly the known, downloadable torrents among the query's
 *       20-byte hashes, with the torrents' current counts.</li>
 * </ul>
 *
 * <p>Cases run in sessions of 250 (one tracker and one reused parser per session, so stale state
 * between requests would show); a failure prints the session seed, which {@code -Dseed=N} replays.
 * Tests named {@code bug...} reproduce defects the fuzzing found; they now guard against their return.
 */
class QueryParserFuzzTest {
    private static final int MAX = QueryParser.MAX_QUERY_LENGTH;
    private static final int CASES_PER_SESSION = 250;

    // ---------------------------------------------------------------- parser against the reference

    @Test
    void parserNeverThrowsAndAgreesWithReferenceDecoding() {
        PeerFixtures.seeds(0xF0220_0000L, 60).forEach(seed -> {
            Random random = new Random(seed);
            Generator generator = new Generator(random);
            QueryParser parser = new QueryParser();
            AnnounceRequest single = new AnnounceRequest(1);
            AnnounceRequest many = new AnnounceRequest(ScrapeService.MAX_HASHES);
            for (int n = 0; n < CASES_PER_SESSION; n++) {
                String query = generator.anyQuery();
                int number = n;
                Object where = Generator.lazy(() -> "session seed=" + seed + " (replay: -Dseed=" + seed + "), case "
                        + number + ", query " + Generator.show(query));
                Reference expected = Reference.parse(query);
                for (AnnounceRequest request : new AnnounceRequest[]{single, many}) {
                    QueryParser.Result result;
                    try {
                        result = parser.parse(query, request);
                    } catch (RuntimeException e) {
                        throw new AssertionError("parse threw; " + where, e);
                    }
                    expected.assertMatches(result, request, where);
                }
            }
        });
    }

    @Test
    void nullAndEmptyQueriesHaveNoParameters() {
        QueryParser parser = new QueryParser();
        AnnounceRequest request = new AnnounceRequest(1);
        for (String query : new String[]{null, "", "&", "&&&", "=", "&=&"}) {
            QueryParser.Result result = parser.parse(query, request);
            Reference.parse(query).assertMatches(result, request, "query " + Generator.show(query));
        }
    }

    // ---------------------------------------------------------------- announce

    @Test
    void announceNeverThrowsAndAFailureChangesNothing() {
        int[] outcomes = new int[2];
        PeerFixtures.seeds(0xF0220_1000L, 40).forEach(seed -> {
            Fixture fixture = new Fixture(seed);
            Generator generator = new Generator(fixture.random);
            for (int n = 0; n < CASES_PER_SESSION; n++) {
                int roll = fixture.random.nextInt(10);
                String query = roll < 2 ? generator.anyQuery()
                        : generator.mutate(generator.announce(), roll < 6 ? 0 : 1 + fixture.random.nextInt(3));
                int number = n;
                fixture.announce(query, Generator.lazy(() -> "session seed=" + seed + " (replay: -Dseed=" + seed
                        + "), case " + number));
            }
            outcomes[0] += fixture.normalResponses;
            outcomes[1] += fixture.failures;
        });
        // The generator must reach both sides: swarm updates as well as every kind of refusal.
        if (System.getProperty("seed") == null) {
            assertThat(outcomes[0]).as("normal responses among %d announces", outcomes[0] + outcomes[1])
                    .isGreaterThan((outcomes[0] + outcomes[1]) / 20);
            assertThat(outcomes[1]).as("failures among %d announces", outcomes[0] + outcomes[1])
                    .isGreaterThan((outcomes[0] + outcomes[1]) / 20);
        }
    }

    /**
     * Mismatches are grouped by (expected, actual) failure, with a count and the first example of each,
     * so that one known bug cannot hide another. It found "Malformed request - multiple info_hash values
     * provided" for one 20-byte info_hash beside values of other lengths, now fixed and pinned down by
     * {@link #bugAShortInfoHashBesideAValidOneIsIgnored}.
     */
    @Test
    void announceFailsOnTheFirstMissingParameterAsSpecified() {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, String> examples = new HashMap<>();
        int[] cases = {0};
        PeerFixtures.seeds(0xF0220_2000L, 30).forEach(seed -> {
            Fixture fixture = new Fixture(seed);
            Generator generator = new Generator(fixture.random);
            for (int n = 0; n < CASES_PER_SESSION; n++) {
                cases[0]++;
                String query = generator.mutate(generator.announce(), fixture.random.nextInt(4));
                int number = n;
                Object where = Generator.lazy(() -> "session seed=" + seed + " (replay: -Dseed=" + seed + "), case "
                        + number);
                Map<String, Object> response = fixture.announce(query, where);
                String expected = Reference.parse(query).firstMandatoryFailure(fixture.tracker.config.strictPort());
                Object reason = response.get("failure reason");
                String actual = reason == null ? null : new String(((BString) reason).toByteArray(),
                        StandardCharsets.ISO_8859_1);
                boolean ok = expected == null
                        ? actual == null || !actual.startsWith("Malformed request")
                        : expected.equals(actual) || expected.equals("Malformed request - ") && actual != null
                        && actual.startsWith(expected);
                if (!ok) {
                    String category = "expected " + (expected == null ? "no malformed-request failure" : expected)
                            + ", got " + (actual == null ? "a normal response" : actual);
                    category = category.replaceAll("\\(port: \\d+\\)", "(port: N)");
                    counts.merge(category, 1, Integer::sum);
                    if (!examples.containsKey(category)) {
                        examples.put(category, where + ", query " + Generator.show(query));
                    }
                }
            }
        });
        List<String> report = new ArrayList<>();
        counts.forEach((category, count) -> report.add(count + " of " + cases[0] + " cases: " + category
                + "; first: " + examples.get(category)));
        assertThat(report).as("announces whose malformed-request failure differs from SPEC 4.1").isEmpty();
    }

    /**
     * BUG (found by {@link #announceFailsOnTheFirstMissingParameterAsSpecified}): SPEC 4.1 says only
     * info_hash values of exactly 20 bytes count and others are ignored, so one valid hash beside a short
     * one is one info_hash. AnnounceService.checkMandatory counts every info_hash value
     * ({@code request.infoHashValues > 1}) and answers "multiple info_hash values provided".
     */
    @Test
    void bugAShortInfoHashBesideAValidOneIsIgnored() {
        TestTracker tracker = TestTracker.create();
        User user = tracker.user(1);
        tracker.torrent(1);
        for (String extra : new String[]{"info_hash=abc", "info_hash=", "info_hash", "info_hash=" + "%00".repeat(21)}) {
            String query = TestTracker.query(1, "1", 0, 0, 0, extra);
            assertThat(TestTracker.decode(tracker.announce(user, query)))
                    .as("announce with an extra %s (not 20 bytes, so ignored)", extra)
                    .doesNotContainKey("failure reason")
                    .containsEntry("complete", 1L);
        }
    }

    /**
     * BUG (found by the reference decoding in {@link #parserNeverThrowsAndAgreesWithReferenceDecoding}
     * when numbers are zero-padded): QueryParser.parseUnsigned rejects any number longer than 20 digits,
     * so {@code port=000000000000000000006881} (a valid 16-bit number, which Go's
     * {@code strconv.ParseUint} in the reference accepts) becomes "missing port".
     */
    @Test
    void bugZeroPaddedNumbersAreNotOutOfRange() {
        QueryParser parser = new QueryParser();
        AnnounceRequest request = new AnnounceRequest(1);
        String padded = "0".repeat(21);
        String query = "port=" + padded + "6881&uploaded=" + padded + "1&downloaded=" + padded + "&left=" + padded
                + "&numwant=" + padded + "7";
        assertThat(parser.parse(query, request)).isEqualTo(QueryParser.Result.OK);
        assertThat(request.port).as("port").isEqualTo(6881);
        assertThat(request.hasUploaded && request.uploaded == 1).as("uploaded is 1").isTrue();
        assertThat(request.hasDownloaded && request.downloaded == 0).as("downloaded is 0").isTrue();
        assertThat(request.hasLeft && request.left == 0).as("left is 0").isTrue();
        assertThat(request.numwant).as("numwant").isEqualTo(7);
    }

    // ---------------------------------------------------------------- scrape

    @Test
    void scrapeNeverThrowsAndListsExactlyTheKnownDownloadableTorrents() {
        PeerFixtures.seeds(0xF0220_3000L, 30).forEach(seed -> {
            Fixture fixture = new Fixture(seed);
            Generator generator = new Generator(fixture.random);
            for (int n = 0; n < CASES_PER_SESSION; n++) {
                int number = n;
                int roll = fixture.random.nextInt(10);
                String query = roll < 2 ? generator.anyQuery()
                        : roll < 5 ? generator.mutate(generator.scrape(), 1 + fixture.random.nextInt(3))
                        : generator.scrape();
                if (fixture.random.nextInt(3) == 0) {
                    // give the swarms some peers, so that counts are not all 0
                    fixture.announce(generator.announce(), Generator.lazy(() -> "session seed=" + seed
                            + ", warm-up before case " + number));
                }
                fixture.scrape(query, Generator.lazy(() -> "session seed=" + seed + " (replay: -Dseed=" + seed
                        + "), case " + number));
            }
        });
    }

    // ================================================================= the tracker under test

    /** A tracker with users and torrents in every state a check looks at. */
    private static final class Fixture {
        final Random random;
        final TestTracker tracker;
        final User[] users;
        final Torrent[] torrents;
        final BencodeWriter out = new BencodeWriter();
        int normalResponses;
        int failures;

        Fixture(long seed) {
            random = new Random(seed);
            TrackerConfig defaults = TrackerConfig.defaults();
            TrackerConfig config = random.nextBoolean() ? defaults : defaults.withProxy("X-Forwarded-For", true);
            tracker = new TestTracker(config, random.nextLong());
            tracker.client(2, "-qB4");
            users = new User[]{
                    tracker.user(1),
                    tracker.user(2, 1, 1, true, false),   // download disabled
                    tracker.user(3, 1, 1, true, true),    // download disabled, but a hit-and-run on torrent 2
            };
            tracker.hitAndRun(3, 2);
            torrents = new Torrent[]{
                    tracker.torrent(1),
                    tracker.torrent(2),
                    tracker.torrent(3, 1, 1, 1, 3, TorrentType.MUSIC),  // pruned
                    tracker.torrent(4, 2, 1, 1, 4, TorrentType.ANIME),  // other status
            };
        }

        private record State(int seeders, int leechers, long snatched, int status, long lastAction) {
        }

        private List<State> state() {
            List<State> states = new ArrayList<>();
            for (Torrent torrent : torrents) {
                states.add(new State(torrent.seeders(), torrent.leechers(), torrent.snatched(), torrent.status(),
                        torrent.lastAction()));
            }
            return states;
        }

        private int recordedCount() {
            synchronized (tracker.recorded) {
                return tracker.recorded.size();
            }
        }

        Map<String, Object> announce(String query, Object context) {
            User user = users[random.nextInt(users.length)];
            int remoteRoll = random.nextInt(10);
            tracker.remote = TestTracker.address(remoteRoll < 8 ? "8.8.4.4" : remoteRoll < 9 ? "2001:db8::1" : "10.0.0.9");
            String proxyValue = random.nextBoolean() ? null : Generator.pick(random, Generator.ADDRESSES);
            tracker.clock.addAndGet(random.nextInt(100));
            List<State> before = state();
            int sinkBefore = tracker.sink.calls.size();
            int recordedBefore = recordedCount();
            InetAddress remote = tracker.remote;
            Object where = Generator.lazy(() -> context + ", user " + user.id() + ", remote " + remote.getHostAddress()
                    + ", proxy header " + Generator.show(proxyValue) + ", query " + Generator.show(query));

            Outcome outcome;
            try {
                outcome = tracker.announces.announce(user, query, proxyValue, tracker.remote, out);
            } catch (RuntimeException e) {
                throw new AssertionError("announce threw; " + where, e);
            }
            byte[] response = out.toByteArray();
            Map<String, Object> top = decode(response, where);
            if (top.containsKey("failure reason")) {
                failures++;
                assertThat(outcome).as("outcome of a failure; %s", where).isEqualTo(Outcome.FAILURE);
                assertThat(top.keySet()).as("keys of a failure; %s", where)
                        .containsExactly("failure reason", "interval", "min interval");
                assertThat(top.get("interval")).as("interval; %s", where).isIn(30L, 300L, 3600L)
                        .isEqualTo(top.get("min interval"));
                assertThat(state()).as("torrents after a failure; %s", where).isEqualTo(before);
                assertThat(tracker.sink.calls.size()).as("sink calls after a failure; %s", where).isEqualTo(sinkBefore);
                assertThat(recordedCount()).as("recorded announces after a failure; %s", where).isEqualTo(recordedBefore);
            } else {
                normalResponses++;
                assertThat(outcome).as("outcome of a normal response; %s", where).isEqualTo(Outcome.OK);
                assertThat(top.keySet()).as("keys of a normal response; %s", where)
                        .containsSubsequence("complete", "downloaded", "incomplete", "interval", "min interval")
                        .isSubsetOf("complete", "downloaded", "incomplete", "interval", "min interval", "peers");
                Reference parsed = Reference.parse(query);
                Torrent torrent = tracker.registry.torrents().get(parsed.twentyByteHashes().get(0));
                assertThat(torrent).as("the announced torrent; %s", where).isNotNull();
                assertThat(List.of(top.get("complete"), top.get("incomplete"), top.get("downloaded")))
                        .as("complete, incomplete, downloaded; %s", where)
                        .isEqualTo(List.of((long) torrent.seeders(), (long) torrent.leechers(), torrent.snatched()));
                if (top.containsKey("peers")) {
                    List<PeerFixtures.ReturnedPeer> peers;
                    try {
                        peers = PeerFixtures.peers(top.get("peers"));
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "; " + where, e);
                    }
                    assertThat(peers.size()).as("peer count; %s", where).isLessThanOrEqualTo(tracker.config.maxNumwant());
                }
            }
            return top;
        }

        void scrape(String query, Object context) {
            User user = users[random.nextInt(users.length)];
            Object where = Generator.lazy(() -> context + ", user " + user.id() + ", query " + Generator.show(query));
            List<State> before = state();
            Outcome outcome;
            try {
                outcome = tracker.scrapes.scrape(user, query, out);
            } catch (RuntimeException e) {
                throw new AssertionError("scrape threw; " + where, e);
            }
            Map<String, Object> top = decode(out.toByteArray(), where);
            assertThat(state()).as("torrents after a scrape; %s", where).isEqualTo(before);
            Reference parsed = Reference.parse(query);
            if (parsed.result != QueryParser.Result.OK) {
                assertThat(outcome).as("outcome; %s", where).isEqualTo(Outcome.FAILURE);
                assertThat(top.keySet()).as("keys of a failure; %s", where)
                        .containsExactly("failure reason", "interval", "min interval");
                return;
            }
            List<byte[]> hashes = parsed.twentyByteHashes();
            if (hashes.isEmpty()) {
                assertThat(outcome).as("outcome; %s", where).isEqualTo(Outcome.FAILURE);
                assertThat(top.keySet()).as("keys of a scrape without info_hash; %s", where)
                        .containsExactly("failure reason", "files", "flags", "interval", "min interval");
                assertThat((Map<?, ?>) top.get("files")).as("files; %s", where).isEmpty();
            } else {
                assertThat(outcome).as("outcome; %s", where).isEqualTo(Outcome.OK);
                assertThat(top.keySet()).as("keys of a scrape; %s", where)
                        .containsExactly("files", "flags", "interval", "min interval");
            }
            long interval = tracker.config.intervals().scrape();
            assertThat(List.of(top.get("interval"), top.get("min interval"))).as("intervals; %s", where)
                    .isEqualTo(List.of(interval, interval));
            assertThat(top.get("flags")).as("flags; %s", where)
                    .isEqualTo(Map.of(BString.of("min_request_interval"), interval));

            Map<BString, Object> expectedFiles = new HashMap<>();
            for (byte[] hash : hashes) {
                Torrent torrent = tracker.registry.torrents().get(hash);
                if (torrent == null || user.disableDownload()
                        && !tracker.registry.hitAndRuns().contains(LongSet.pair(user.id(), torrent.id()))) {
                    continue;
                }
                expectedFiles.put(BString.of(hash), Map.of(BString.of("complete"), (long) torrent.seeders(),
                        BString.of("downloaded"), torrent.snatched(), BString.of("incomplete"), (long) torrent.leechers()));
            }
            assertThat(top.get("files")).as("files; %s", where).isEqualTo(expectedFiles);
        }

        private static Map<String, Object> decode(byte[] response, Object where) {
            try {
                return PeerFixtures.decodeTopLevel(response);
            } catch (RuntimeException e) {
                throw new AssertionError("response is not valid bencode: " + Generator.show(TestTracker.text(response))
                        + "; " + where, e);
            }
        }
    }

    // ================================================================= the reference decoding

    /** SPEC 4.1 written as plainly as possible, to compare the optimized parser with. */
    private static final class Reference {
        QueryParser.Result result = QueryParser.Result.OK;
        final List<byte[]> infoHashes = new ArrayList<>();
        byte[] peerId;
        String port;
        String uploaded;
        String downloaded;
        String left;
        String numwant;
        String event;
        String compact;
        String noPeerId;
        String ip;
        String ipv4;

        static Reference parse(String query) {
            Reference reference = new Reference();
            if (query == null) {
                return reference;
            }
            if (query.length() > MAX) {
                reference.result = QueryParser.Result.TOO_LONG;
                return reference;
            }
            List<byte[][]> pairs = new ArrayList<>();
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                byte[] key = decode(eq < 0 ? pair : pair.substring(0, eq));
                byte[] value = decode(eq < 0 ? "" : pair.substring(eq + 1));
                if (key == null || value == null) {
                    reference.result = QueryParser.Result.BAD_ESCAPE;
                    return reference;
                }
                pairs.add(new byte[][]{key, value});
            }
            for (byte[][] pair : pairs) {
                String key = text(pair[0]);
                byte[] value = pair[1];
                if (key.equals("info_hash")) {
                    reference.infoHashes.add(value);
                    continue;
                }
                switch (asciiLower(key)) {
                    case "peer_id" -> reference.peerId = value;
                    case "port" -> reference.port = text(value);
                    case "uploaded" -> reference.uploaded = text(value);
                    case "downloaded" -> reference.downloaded = text(value);
                    case "left" -> reference.left = text(value);
                    case "numwant" -> reference.numwant = text(value);
                    case "event" -> reference.event = text(value);
                    case "compact" -> reference.compact = text(value);
                    case "no_peer_id" -> reference.noPeerId = text(value);
                    case "ip" -> reference.ip = text(value);
                    case "ipv4" -> reference.ipv4 = text(value);
                    default -> {
                    }
                }
            }
            return reference;
        }

        /** Percent-decoding with {@code +} as space; null for a broken escape or a char above 255. */
        static byte[] decode(String text) {
            byte[] bytes = new byte[text.length()];
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '%') {
                    if (i + 2 >= text.length()) {
                        return null;
                    }
                    int hi = hex(text.charAt(i + 1));
                    int lo = hex(text.charAt(i + 2));
                    if (hi < 0 || lo < 0) {
                        return null;
                    }
                    bytes[n++] = (byte) (hi * 16 + lo);
                    i += 2;
                } else if (c == '+') {
                    bytes[n++] = ' ';
                } else if (c > 255) {
                    return null;
                } else {
                    bytes[n++] = (byte) c;
                }
            }
            return Arrays.copyOf(bytes, n);
        }

        private static int hex(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        static String text(byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        static String asciiLower(String key) {
            StringBuilder lower = new StringBuilder(key.length());
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
            return lower.toString();
        }

        /** An unsigned decimal below the limit, or null when absent, negative, fractional, non-numeric or too big. */
        static BigInteger number(String text, BigInteger limit) {
            if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            BigInteger value = new BigInteger(text);
            return value.compareTo(limit) < 0 ? value : null;
        }

        static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

        List<byte[]> twentyByteHashes() {
            List<byte[]> result = new ArrayList<>();
            for (byte[] hash : infoHashes) {
                if (hash.length == 20) {
                    result.add(hash);
                }
            }
            return result;
        }

        /** The failure SPEC 4.1 gives for the mandatory parameters, checked in its order; null when none. */
        String firstMandatoryFailure(boolean strictPort) {
            if (result != QueryParser.Result.OK) {
                return "Malformed request - ";
            }
            int hashes = twentyByteHashes().size();
            if (hashes == 0) {
                return "Malformed request - missing info_hash";
            }
            if (hashes > 1) {
                return "Malformed request - multiple info_hash values provided";
            }
            if (peerId == null) {
                return "Malformed request - missing peer_id";
            }
            if (peerId.length != 20) {
                return "Malformed request - invalid peer_id";
            }
            BigInteger portNumber = number(port, BigInteger.valueOf(65536));
            if (portNumber == null) {
                return "Malformed request - missing port";
            }
            if (strictPort && portNumber.intValue() < 1024) {
                return "Malformed request - port outside of acceptable range (port: " + portNumber + ")";
            }
            if (number(uploaded, TWO_TO_64) == null) {
                return "Malformed request - missing uploaded";
            }
            if (number(downloaded, TWO_TO_64) == null) {
                return "Malformed request - missing downloaded";
            }
            if (number(left, TWO_TO_64) == null) {
                return "Malformed request - missing left";
            }
            return null;
        }

        /** Plain comparisons first (thousands of cases); the detailed assertions only explain a mismatch. */
        void assertMatches(QueryParser.Result actual, AnnounceRequest request, Object where) {
            if (!matches(actual, request)) {
                explainMismatch(actual, request, where);
                throw new AssertionError("parsed request differs from the reference; " + where);
            }
        }

        private boolean matches(QueryParser.Result actual, AnnounceRequest request) {
            if (actual != result) {
                return false;
            }
            if (result != QueryParser.Result.OK) {
                return true;
            }
            List<byte[]> kept = twentyByteHashes();
            int capacity = request.infoHashes.length / 20;
            // infoHashValues counts the 20-byte values only (SPEC 4.1: others are ignored).
            if (request.infoHashValues != kept.size() || request.infoHashCount != Math.min(kept.size(), capacity)) {
                return false;
            }
            for (int i = 0; i < request.infoHashCount; i++) {
                if (!Arrays.equals(request.infoHashes, i * 20, i * 20 + 20, kept.get(i), 0, 20)) {
                    return false;
                }
            }
            if (request.peerIdLength != (peerId == null ? -1 : peerId.length)) {
                return false;
            }
            if (peerId != null) {
                int n = Math.min(peerId.length, 20);
                if (!Arrays.equals(request.peerId, 0, n, peerId, 0, n)) {
                    return false;
                }
            }
            BigInteger expectedPort = number(port, BigInteger.valueOf(65536));
            BigInteger expectedNumwant = number(numwant, TWO_TO_64);
            String given = event == null ? "" : event;
            return request.port == (expectedPort == null ? -1 : expectedPort.intValue())
                    && counterMatches(uploaded, request.hasUploaded, request.uploaded)
                    && counterMatches(downloaded, request.hasDownloaded, request.downloaded)
                    && counterMatches(left, request.hasLeft, request.left)
                    && request.numwant == (expectedNumwant == null ? AnnounceRequest.MISSING : expectedNumwant.longValue())
                    && request.event == expectedEvent()
                    && request.eventText != null && given.startsWith(request.eventText)
                    && request.eventText.isEmpty() == given.isEmpty()
                    && request.compact == !"0".equals(compact)
                    && request.noPeerId == "1".equals(noPeerId)
                    && Objects.equals(request.ip, ip)
                    && Objects.equals(request.ipv4, ipv4);
        }

        private static boolean counterMatches(String text, boolean present, long actual) {
            BigInteger expected = number(text, TWO_TO_64);
            return present == (expected != null) && (expected == null || actual == expected.longValue());
        }

        private Event expectedEvent() {
            return event == null ? Event.NONE : switch (event) {
                case "started" -> Event.STARTED;
                case "completed" -> Event.COMPLETED;
                case "stopped" -> Event.STOPPED;
                default -> Event.NONE;
            };
        }

        private void explainMismatch(QueryParser.Result actual, AnnounceRequest request, Object where) {
            assertThat(actual).as("result; %s", where).isEqualTo(result);
            if (result != QueryParser.Result.OK) {
                return;
            }
            List<byte[]> kept = twentyByteHashes();
            assertThat(request.infoHashValues).as("20-byte info_hash values; %s", where).isEqualTo(kept.size());
            int capacity = request.infoHashes.length / 20;
            assertThat(request.infoHashCount).as("20-byte info hashes kept; %s", where)
                    .isEqualTo(Math.min(kept.size(), capacity));
            for (int i = 0; i < request.infoHashCount; i++) {
                assertThat(Arrays.copyOfRange(request.infoHashes, i * 20, i * 20 + 20)).as("info hash %d; %s", i, where)
                        .isEqualTo(kept.get(i));
            }
            assertThat(request.peerIdLength).as("peer_id length; %s", where).isEqualTo(peerId == null ? -1 : peerId.length);
            if (peerId != null) {
                int n = Math.min(peerId.length, 20);
                assertThat(Arrays.copyOf(request.peerId, n)).as("peer_id; %s", where).isEqualTo(Arrays.copyOf(peerId, n));
            }
            BigInteger expectedPort = number(port, BigInteger.valueOf(65536));
            assertThat(request.port).as("port; %s", where).isEqualTo(expectedPort == null ? -1 : expectedPort.intValue());
            assertCounter("uploaded", uploaded, request.hasUploaded, request.uploaded, where);
            assertCounter("downloaded", downloaded, request.hasDownloaded, request.downloaded, where);
            assertCounter("left", left, request.hasLeft, request.left, where);
            BigInteger expectedNumwant = number(numwant, TWO_TO_64);
            assertThat(request.numwant).as("numwant; %s", where)
                    .isEqualTo(expectedNumwant == null ? AnnounceRequest.MISSING : expectedNumwant.longValue());
            assertThat(request.event).as("event; %s", where).isEqualTo(expectedEvent());
            String given = event == null ? "" : event;
            assertThat(request.eventText).as("event text; %s", where).isNotNull();
            assertThat(given.startsWith(request.eventText) && request.eventText.isEmpty() == given.isEmpty())
                    .as("event text %s is the start of %s; %s", request.eventText, given, where)
                    .isTrue();
            assertThat(request.compact).as("compact; %s", where).isEqualTo(!"0".equals(compact));
            assertThat(request.noPeerId).as("no_peer_id; %s", where).isEqualTo("1".equals(noPeerId));
            assertThat(request.ip).as("ip; %s", where).isEqualTo(ip);
            assertThat(request.ipv4).as("ipv4; %s", where).isEqualTo(ipv4);
        }

        private static void assertCounter(String name, String text, boolean present, long actual, Object where) {
            BigInteger expected = number(text, TWO_TO_64);
            assertThat(present).as("%s present; %s", name, where).isEqualTo(expected != null);
            if (expected != null) {
                assertThat(actual).as("%s; %s", name, where).isEqualTo(expected.longValue());
            }
        }
    }

    // ================================================================= generators

    /** Random queries: token soups, raw bytes, well-formed announces and scrapes, and edits of them. */
    static final class Generator {
        static final String[] KEYS = {"info_hash", "peer_id", "port", "uploaded", "downloaded", "left", "event",
                "numwant", "compact", "no_peer_id", "ip", "ipv4", "INFO_HASH", "Info_Hash", "info%5Fhash", "PEER_ID",
                "Port", "LEFT", "NumWant", "IPv4", "key", "passkey", "trackerid", "supportcrypto", "corrupt"};
        static final String[] VALUES = {"", "0", "1", "6881", "1023", "65535", "65536", "70000", "-1", "+1", "1.5",
                "1e3", " 1", "0x10", "18446744073709551615", "18446744073709551616", "9223372036854775807",
                "9223372036854775808", "99999999999999999999999", "started", "completed", "stopped", "paused",
                "STOPPED", "8.8.8.8", "11.0.0.7", "10.0.0.1", "127.0.0.1", "::ffff:8.8.8.8", "::FFFF:0808:0808",
                "1.2.3", "256.1.1.1", "01.2.3.4", "%", "%2", "%zz", "%41", "%%", "+", " ", ";", "%26", "%3D"};
        static final String[] ADDRESSES = {"8.8.8.8", "11.0.0.1", "11.0.0.2", "10.1.2.3", "192.168.0.1",
                "172.16.5.4", "100.64.0.1", "169.254.1.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "0.0.0.0",
                "127.0.0.1", "::ffff:8.8.8.8", "::ffff:10.0.0.1", "::FFFF:0b00:0001", "2001:db8::1", "::1",
                "8.8.8", "8.8.8.8.8", "08.8.8.8", "1.2.3.256", "", " ", "8.8.8.8, 9.9.9.9", "garbage", "8.8.8.8 "};
        static final char[] ABOVE_255 = {'\u0100', '\u017F', '\u20AC', '\uFFFF', '\uD800', '\uDC00', '\u0660', '\uFF10'};

        final Random random;

        Generator(Random random) {
            this.random = random;
        }

        static String pick(Random random, String[] values) {
            return values[random.nextInt(values.length)];
        }

        /** Any of the generators. */
        String anyQuery() {
            int roll = random.nextInt(40);
            if (roll < 14) {
                return soup(length());
            }
            if (roll < 18) {
                return rawChars(length());
            }
            if (roll < 30) {
                return mutate(announce(), random.nextInt(5));
            }
            if (roll < 39) {
                return mutate(scrape(), random.nextInt(3));
            }
            return nearTheLimit(random.nextBoolean() ? announce() : scrape());
        }

        private int length() {
            int roll = random.nextInt(100);
            if (roll < 70) {
                return random.nextInt(120);
            }
            if (roll < 97) {
                return random.nextInt(1_500);
            }
            if (roll < 99) {
                return MAX - 4 + random.nextInt(9);
            }
            return MAX + random.nextInt(3_000);
        }

        /** Tokens that matter to the parser, cut to {@code length} (possibly through an escape). */
        String soup(int length) {
            StringBuilder s = new StringBuilder(length + 40);
            while (s.length() < length) {
                int roll = random.nextInt(100);
                if (roll < 15) {
                    s.append(pick(random, KEYS));
                } else if (roll < 30) {
                    s.append(pick(random, VALUES));
                } else if (roll < 45) {
                    s.append('&');
                } else if (roll < 55) {
                    s.append('=');
                } else if (roll < 62) {
                    s.append('%');
                } else if (roll < 70) {
                    s.append('%').append(hexDigit()).append(hexDigit());
                } else if (roll < 74) {
                    s.append(hexDigit());
                } else if (roll < 77) {
                    s.append('+');
                } else if (roll < 87) {
                    s.append((char) random.nextInt(256));
                } else if (roll < 89) {
                    s.append(ABOVE_255[random.nextInt(ABOVE_255.length)]);
                } else if (roll < 94) {
                    s.append(encoded(randomBytes(random.nextInt(4) == 0 ? random.nextInt(25) : 20)));
                } else {
                    s.append(raw(randomBytes(20)));
                }
            }
            s.setLength(length);
            return s.toString();
        }

        String rawChars(int length) {
            StringBuilder s = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                s.append(random.nextInt(50) == 0 ? ABOVE_255[random.nextInt(ABOVE_255.length)] : (char) random.nextInt(256));
            }
            return s.toString();
        }

        private char hexDigit() {
            return "0123456789abcdefABCDEFgG".charAt(random.nextInt(24));
        }

        byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            return bytes;
        }

        /** Every byte as %XX, in upper or lower case hex, or unreserved bytes left as they are. */
        String encoded(byte[] bytes) {
            StringBuilder s = new StringBuilder(bytes.length * 3);
            int style = random.nextInt(3);
            for (byte b : bytes) {
                int v = b & 0xFF;
                boolean plain = style == 2 && (Character.isLetterOrDigit(v) && v < 128 || v == '-' || v == '_' || v == '.');
                if (plain) {
                    s.append((char) v);
                } else {
                    String digits = style == 0 ? "0123456789ABCDEF" : "0123456789abcdef";
                    s.append('%').append(digits.charAt(v >> 4)).append(digits.charAt(v & 0xF));
                }
            }
            return s.toString();
        }

        /** Bytes as chars 0-255, escaping only what the parser would split or decode on. */
        static String raw(byte[] bytes) {
            StringBuilder s = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                char c = (char) (b & 0xFF);
                if (c == '&' || c == '%' || c == '+') {
                    s.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 0xF));
                } else {
                    s.append(c);
                }
            }
            return s.toString();
        }

        private String value(String[] typical, String... more) {
            int roll = random.nextInt(10);
            if (roll < 8 && typical.length > 0) {
                return pick(random, typical);
            }
            if (roll < 9 && more.length > 0) {
                return more[random.nextInt(more.length)];
            }
            return pick(random, VALUES);
        }

        private String number() {
            int roll = random.nextInt(20);
            if (roll < 14) {
                return Long.toString(random.nextInt(1_000_000));
            }
            if (roll < 19) {
                return Long.toUnsignedString(random.nextLong());
            }
            return pick(random, VALUES);
        }

        /** A well-formed announce, most of the time for a torrent of the fixture and an approved client. */
        String announce() {
            List<String> pairs = new ArrayList<>();
            int torrent = random.nextInt(20) == 0 ? 99 : 1 + random.nextInt(4);
            pairs.add("info_hash=" + encoded(TestTracker.hash(torrent)));
            String prefix = pick(random, new String[]{"-TR2", "-TR2", "-TR2", "-TR2", "-qB4", "-qB4", "-XX1", "-TR"});
            byte[] id = new byte[20];
            byte[] head = prefix.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(head, 0, id, 0, head.length);
            for (int i = head.length; i < 20; i++) {
                id[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : '0' + random.nextInt(6));
            }
            pairs.add("peer_id=" + (random.nextBoolean() ? encoded(id) : raw(id)));
            pairs.add("port=" + (random.nextInt(20) == 0 ? pick(random, VALUES) : Integer.toString(random.nextInt(65536))));
            pairs.add("uploaded=" + number());
            pairs.add("downloaded=" + number());
            pairs.add("left=" + (random.nextBoolean() ? "0" : number()));
            if (random.nextBoolean()) {
                pairs.add("event=" + value(new String[]{"started", "completed", "stopped", ""}, "paused", "Started"));
            }
            if (random.nextBoolean()) {
                pairs.add("numwant=" + value(new String[]{"0", "1", "25", "50", "200"}, "-5", "4294967296"));
            }
            if (random.nextBoolean()) {
                pairs.add("compact=" + value(new String[]{"0", "1"}, "00", "true"));
            }
            if (random.nextInt(4) == 0) {
                pairs.add("no_peer_id=" + value(new String[]{"1", "0"}));
            }
            if (random.nextBoolean()) {
                pairs.add("ip=" + pick(random, ADDRESSES));
            }
            if (random.nextInt(3) == 0) {
                pairs.add("ipv4=" + pick(random, ADDRESSES));
            }
            Collections.shuffle(pairs, random);
            return String.join("&", pairs);
        }

        /** A scrape of 0-300 hashes: the fixture's torrents, unknown ones, repeats and wrong lengths. */
        String scrape() {
            int count = random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(8);
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int roll = random.nextInt(10);
                byte[] hash = roll < 5 ? TestTracker.hash(1 + random.nextInt(4))
                        : roll < 8 ? randomBytes(20) : randomBytes(random.nextInt(30));
                pairs.add((random.nextInt(20) == 0 ? "INFO_HASH=" : "info_hash=")
                        + (random.nextBoolean() ? encoded(hash) : raw(hash)));
            }
            if (random.nextBoolean()) {
                pairs.add("peer_id=whatever");
            }
            Collections.shuffle(pairs, random);
            return String.join("&", pairs);
        }

        /** The query padded with an ignored parameter to within a few chars of the length cap. */
        String nearTheLimit(String query) {
            int target = MAX - 3 + random.nextInt(7);
            StringBuilder s = new StringBuilder(query).append("&pad=");
            while (s.length() < target) {
                s.append('x');
            }
            s.setLength(Math.max(target, query.length()));
            return s.toString();
        }

        /** Applies {@code edits} random edits: deletions, insertions, replacements, repeats, truncation. */
        String mutate(String query, int edits) {
            StringBuilder s = new StringBuilder(query);
            for (int e = 0; e < edits; e++) {
                int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
                switch (random.nextInt(9)) {
                    case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(5)));
                    case 1 -> s.insert(at, soup(1 + random.nextInt(6)));
                    case 2 -> {
                        if (at < s.length()) {
                            s.setCharAt(at, (char) random.nextInt(random.nextInt(30) == 0 ? 0x10000 : 256));
                        }
                    }
                    case 3 -> {
                        String[] pairs = s.toString().split("&", -1);
                        s.append('&').append(pairs[random.nextInt(pairs.length)]);
                    }
                    case 4 -> s.setLength(at);
                    case 5 -> s.insert(at, '&');
                    case 6 -> s.append('&').append(pick(random, KEYS)).append('=').append(pick(random, VALUES));
                    case 7 -> {
                        // A short or long info_hash beside whatever is there.
                        s.append("&info_hash=").append(encoded(randomBytes(random.nextInt(3) == 0 ? 20 : random.nextInt(25))));
                    }
                    default -> {
                        String text = s.toString();
                        int eq = text.indexOf('=', at);
                        if (eq >= 0) {
                            int end = text.indexOf('&', eq);
                            s.replace(eq + 1, end < 0 ? s.length() : end, pick(random, VALUES));
                        }
                    }
                }
            }
            return s.toString();
        }

        /** An object whose text is only built when a failure message prints it. */
        static Object lazy(Supplier<String> text) {
            return new Object() {
                @Override
                public String toString() {
                    return text.get();
                }
            };
        }

        /** The text with chars outside printable ASCII escaped, cut to 300 chars, for failure messages. */
        static String show(String text) {
            if (text == null) {
                return "null";
            }
            StringBuilder s = new StringBuilder("\"");
            for (int i = 0; i < text.length() && i < 300; i++) {
                char c = text.charAt(i);
                if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                    s.append(c);
                } else {
                    s.append(String.format("\\u%04x", (int) c));
                }
            }
            s.append('"');
            if (text.length() > 300) {
                s.append("... (").append(text.length()).append(" chars)");
            }
            return s.toString();
        }
    }
}
