package io.chihaya.server.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded generated heads, valid and mutated: the parser never throws, every offset it reports lies
 * inside the head, and finding the end piece by piece (as bytes trickle in) gives the same end as
 * finding it in one go. The seed is in every failure message.
 */
class HeadParserFuzzTest {
    private static final String[] PIECES = {"GET", " ", "/", "?", "&", "=", "%", "%zz", "%41", "\r\n", "\n", "\r",
        ":", "Host", "Connection", "close", "keep-alive", "Content-Length", "Transfer-Encoding", "chunked", "0", "12",
        "HTTP/1.1", "HTTP/1.0", "\t", "a", "\u00ff", "\u0000", "http://", "*", ",", "Expect", "100-continue"};

    @Test
    void arbitraryHeadsNeverBreakTheParser() {
        long seed = 0x5EEDL;
        SplittableRandom random = new SplittableRandom(seed);
        RequestHead head = new RequestHead();
        int ok = 0;
        for (int round = 0; round < 30_000; round++) {
            byte[] bytes = generate(random);
            String context = "seed " + seed + " round " + round + ": " + printable(bytes);
            int whole = HeadParser.findEnd(bytes, 0, bytes.length, 0);
            assertThat(incrementalEnd(bytes, random)).as(context).isEqualTo(whole);
            if (whole < 0) {
                continue;
            }
            if (HeadParser.parse(bytes, 0, whole, head) == HeadParser.Result.OK) {
                ok++;
                assertThat(head.methodEnd).as(context).isGreaterThan(head.methodStart);
                assertThat(head.pathStart).as(context).isBetween(head.methodEnd, whole);
                assertThat(head.pathEnd).as(context).isBetween(head.pathStart, whole);
                if (head.queryStart >= 0) {
                    assertThat(head.queryStart).as(context).isEqualTo(head.pathEnd + 1);
                    assertThat(head.queryEnd).as(context).isBetween(head.queryStart, whole);
                }
                for (int i = 0; i < head.headerCount; i++) {
                    assertThat(head.nameEnd[i]).as(context).isGreaterThan(head.nameStart[i]);
                    assertThat(head.valueEnd[i]).as(context).isBetween(head.valueStart[i], whole);
                }
                assertThat(head.chunked && head.contentLength >= 0).as(context).isFalse();
            }
        }
        // The generator must reach the parser's accepting paths, or the invariants above test nothing.
        assertThat(ok).isGreaterThan(3_000);
    }

    private static int incrementalEnd(byte[] bytes, SplittableRandom random) {
        int scanned = 0;
        int available = 0;
        while (available < bytes.length) {
            available = Math.min(bytes.length, available + 1 + random.nextInt(8));
            int end = HeadParser.findEnd(bytes, 0, available, scanned);
            if (end >= 0) {
                return end;
            }
            scanned = HeadParser.resumeAt(0, available);
        }
        return -1;
    }

    private static byte[] generate(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        if (random.nextInt(3) > 0) {
            text.append(random.nextBoolean() ? "GET" : "POST").append(' ').append('/');
            text.append("p?info_hash=%12%34&x=").append(random.nextInt(1000)).append(' ');
            text.append(random.nextBoolean() ? "HTTP/1.1" : "HTTP/1.0").append("\r\n");
            int headers = random.nextInt(5);
            for (int i = 0; i < headers; i++) {
                text.append(PIECES[13 + random.nextInt(6)]).append(": ").append(PIECES[random.nextInt(PIECES.length)])
                        .append("\r\n");
            }
            text.append("\r\n");
        }
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length());
            if (random.nextBoolean() && text.length() > 0) {
                text.deleteCharAt(at);
            } else {
                text.insert(at, PIECES[random.nextInt(PIECES.length)]);
            }
        }
        if (text.length() == 0 || random.nextInt(10) == 0) {
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append((char) random.nextInt(256));
            }
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return out.toString();
    }
}
