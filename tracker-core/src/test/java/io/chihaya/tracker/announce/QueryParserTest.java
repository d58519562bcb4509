package io.chihaya.tracker.announce;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class QueryParserTest {
    private final QueryParser parser = new QueryParser();
    private final AnnounceRequest request = new AnnounceRequest(4);

    private AnnounceRequest parse(String query) {
        assertThat(parser.parse(query, request)).isEqualTo(QueryParser.Result.OK);
        return request;
    }

    @Test
    void decodesPercentEscapesAndPlusAsSpace() {
        parse("peer_id=%2DTR2%41bc+def%7e%7E0123456&ip=1%2E2.3.4");
        assertThat(new String(request.peerId(), 0, request.peerIdLength(), StandardCharsets.ISO_8859_1))
                .isEqualTo("-TR2Abc def~~0123456");
        assertThat(request.ip()).isEqualTo("1.2.3.4");
    }

    @Test
    void infoHashKeepsAndCountsOnlyTwentyByteValues() {
        byte[] hash = TestTracker.hash(5);
        parse("info_hash=" + TestTracker.encode(hash) + "&info_hash=short&info_hash=" + TestTracker.encode(hash));
        assertThat(request.infoHashCount()).isEqualTo(2);
        assertThat(request.infoHashValues).isEqualTo(2);
        assertThat(Arrays.copyOfRange(request.infoHashes(), 0, 20)).isEqualTo(hash);
    }

    @Test
    void infoHashKeyMustBeLowerCaseWhileOtherKeysAreNot() {
        parse("INFO_HASH=" + TestTracker.encode(TestTracker.hash(1)) + "&PORT=80&Left=5&UpLoaded=1&dOWNLOADED=2");
        assertThat(request.infoHashCount()).isZero();
        assertThat(request.port()).isEqualTo(80);
        assertThat(request.left()).isEqualTo(5);
        assertThat(request.uploaded()).isEqualTo(1);
        assertThat(request.downloaded()).isEqualTo(2);
    }

    @Test
    void percentEncodedKeysAreDecodedBeforeMatching() {
        parse("p%6Frt=99&info%5Fhash=" + TestTracker.encode(TestTracker.hash(1)));
        assertThat(request.port()).isEqualTo(99);
        assertThat(request.infoHashCount()).isEqualTo(1);
    }

    @Test
    void lastValueWinsForOrdinaryKeys() {
        parse("port=1&port=2&numwant=5&numwant=7");
        assertThat(request.port()).isEqualTo(2);
        assertThat(request.numwant()).isEqualTo(7);
    }

    @Test
    void semicolonIsNotASeparator() {
        parse("port=10;left=5");
        assertThat(request.port()).isEqualTo(-1);
        assertThat(request.left()).isEqualTo(AnnounceRequest.MISSING);
    }

    @Test
    void invalidNumbersCountAsMissing() {
        for (String bad : new String[]{"-1", "1.5", "abc", "", "+1", "1e3", " 1", "18446744073709551616",
                "99999999999999999999999"}) {
            parse("uploaded=" + bad + "&port=" + bad);
            assertThat(request.hasUploaded).as(bad).isFalse();
            assertThat(request.port()).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void portIsSixteenBitUnsigned() {
        parse("port=65535");
        assertThat(request.port()).isEqualTo(65535);
        parse("port=65536");
        assertThat(request.port()).isEqualTo(-1);
        parse("port=70000");
        assertThat(request.port()).isEqualTo(-1);
        parse("port=00080");
        assertThat(request.port()).isEqualTo(80);
    }

    @Test
    void countersAreUnsignedSixtyFourBit() {
        parse("uploaded=18446744073709551615&downloaded=9223372036854775808&left=0");
        assertThat(request.hasUploaded).isTrue();
        assertThat(Long.toUnsignedString(request.uploaded())).isEqualTo("18446744073709551615");
        assertThat(Long.toUnsignedString(request.downloaded())).isEqualTo("9223372036854775808");
        assertThat(request.left()).isZero();
        assertThat(request.hasLeft).isTrue();
    }

    @Test
    void eventsAndFlags() {
        parse("event=completed&compact=0&no_peer_id=1");
        assertThat(request.event()).isEqualTo(Event.COMPLETED);
        assertThat(request.eventText()).isEqualTo("completed");
        assertThat(request.compact()).isFalse();
        assertThat(request.noPeerId()).isTrue();
        parse("event=paused&compact=1");
        assertThat(request.event()).isEqualTo(Event.NONE);
        assertThat(request.eventText()).isEqualTo("paused");
        assertThat(request.compact()).isTrue();
        parse("event=&compact=yes&no_peer_id=0");
        assertThat(request.event()).isEqualTo(Event.NONE);
        assertThat(request.eventText()).isEmpty();
        assertThat(request.compact()).isTrue();
        assertThat(request.noPeerId()).isFalse();
        parse("event=STOPPED");
        assertThat(request.event()).isEqualTo(Event.NONE);
    }

    @Test
    void clearsPreviousRequest() {
        parse("port=5&event=stopped&ip=1.1.1.1");
        parse("left=1");
        assertThat(request.port()).isEqualTo(-1);
        assertThat(request.event()).isEqualTo(Event.NONE);
        assertThat(request.ip()).isNull();
    }

    @Test
    void brokenEscapesAreMalformed() {
        for (String bad : new String[]{"port=%", "port=%4", "port=%G0", "a%zz=1", "x=1&y=%", "peer_id=%%41"}) {
            assertThat(parser.parse(bad, request)).as(bad).isEqualTo(QueryParser.Result.BAD_ESCAPE);
        }
    }

    @Test
    void charsAboveOneByteAreMalformed() {
        assertThat(parser.parse("ip=\u0100", request)).isEqualTo(QueryParser.Result.BAD_ESCAPE);
    }

    @Test
    void overlongQueriesAreRefused() {
        String query = "x=" + "a".repeat(QueryParser.MAX_QUERY_LENGTH);
        assertThat(parser.parse(query, request)).isEqualTo(QueryParser.Result.TOO_LONG);
        assertThat(parser.parse("x=" + "a".repeat(QueryParser.MAX_QUERY_LENGTH - 2), request))
                .isEqualTo(QueryParser.Result.OK);
    }

    @Test
    void emptyAndNullQueries() {
        parse("");
        assertThat(request.infoHashCount()).isZero();
        assertThat(parser.parse(null, request)).isEqualTo(QueryParser.Result.OK);
        parse("&&=&==&port");
        assertThat(request.port()).isEqualTo(-1);
    }
}
