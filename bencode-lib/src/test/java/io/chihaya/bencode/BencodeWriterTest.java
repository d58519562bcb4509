package io.chihaya.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BencodeWriterTest {

    private static String ascii(BencodeWriter writer) {
        return new String(writer.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesIntegersIncludingTheExtremes() {
        BencodeWriter writer = new BencodeWriter(1);
        writer.startList()
                .integer(0).integer(7).integer(-7).integer(10).integer(-10).integer(1234567890)
                .integer(Long.MAX_VALUE).integer(Long.MIN_VALUE)
                .end();
        assertThat(ascii(writer)).isEqualTo("li0ei7ei-7ei10ei-10ei1234567890e"
                + "i9223372036854775807ei-9223372036854775808ee");
    }

    @Test
    void writesBigIntegers() {
        BencodeWriter writer = new BencodeWriter();
        writer.integer(new BigInteger("123456789012345678901234567890"))
                .integer(new BigInteger("-98765432109876543210"))
                .integer(BigInteger.valueOf(-5));
        assertThat(new String(writer.buffer(), 0, writer.length(), StandardCharsets.US_ASCII))
                .isEqualTo("i123456789012345678901234567890ei-98765432109876543210ei-5e");
    }

    @Test
    void writesStringsFromBytesSlicesAndText() {
        BencodeWriter writer = new BencodeWriter();
        writer.startList()
                .string(new byte[0])
                .string("spam".getBytes(StandardCharsets.US_ASCII))
                .string("xxeggsxx".getBytes(StandardCharsets.US_ASCII), 2, 4)
                .string("héllo")
                .string("\uD83D\uDE00")
                .end();
        assertThat(writer.toByteArray()).isEqualTo(bytes("l0:4:spam4:eggs6:h\u00c3\u00a9llo4:\u00f0\u009f\u0098\u0080e"));
    }

    @Test
    void encodesUnpairedSurrogatesLikeTheJdk() {
        String text = "a\uD800b\uDC00";
        byte[] jdk = text.getBytes(StandardCharsets.UTF_8);
        BencodeWriter writer = new BencodeWriter().string(text);
        assertThat(writer.toByteArray()).isEqualTo(concat(bytes(jdk.length + ":"), jdk));
    }

    @Test
    void writesAStreamedAnnounceResponseExactly() {
        byte[] peers = {10, 0, 0, 1, 0x1a, (byte) 0xe1, (byte) 192, (byte) 168, 1, 2, 0x00, 0x50};
        BencodeWriter writer = new BencodeWriter(8);
        writer.startDict()
                .key("complete").integer(3)
                .key("incomplete").integer(1)
                .key("interval").integer(1800)
                .key("min interval").integer(900);
        writer.key("peers");
        int body = writer.reserveString(peers.length);
        System.arraycopy(peers, 0, writer.buffer(), body, peers.length);
        writer.end();
        assertThat(writer.toByteArray()).isEqualTo(concat(
                bytes("d8:completei3e10:incompletei1e8:intervali1800e12:min intervali900e5:peers12:"),
                peers,
                bytes("e")));
        assertThat(writer.depth()).isZero();
    }

    @Test
    void rawAppendsBytesUnchanged() {
        byte[] fragment = bytes("xx4:spamyy");
        BencodeWriter writer = new BencodeWriter().startList().raw(fragment, 2, 6).end();
        assertThat(ascii(writer)).isEqualTo("l4:spame");
    }

    @Test
    void keyFromBytesAndNonAsciiText() {
        BencodeWriter writer = new BencodeWriter().startDict()
                .key(new byte[] {(byte) 0xff}).integer(1)
                .key("é").integer(2)
                .end();
        assertThat(writer.toByteArray()).isEqualTo(bytes("d1:\u00ffi1e2:\u00c3\u00a9i2ee"));
    }

    @Test
    void valueSortsMapKeysAsUnsignedBytes() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("zebra", 1L);
        map.put(new byte[] {(byte) 0xe9}, 2);
        map.put("a", List.of("x", 3L));
        map.put(BString.of("ab"), BigInteger.TEN);
        map.put("", new TreeMap<>(Map.of("k", "v")));
        BencodeWriter writer = new BencodeWriter().value(map);
        // "" < "a" < "ab" < "zebra" < 0xe9 (unsigned, so 0xe9 sorts last, not first)
        assertThat(writer.toByteArray()).isEqualTo(bytes("d0:d1:k1:ve1:al1:xi3ee2:abi10e5:zebrai1e1:\u00e9i2ee"));
    }

    @Test
    void valueAcceptsEveryDocumentedType() {
        List<Object> all = List.of(1L, 2, (short) 3, (byte) 4, BigInteger.valueOf(5), bytes("six"),
                BString.of("seven"), "eight", List.of(), new HashMap<>());
        assertThat(ascii(new BencodeWriter().value(all))).isEqualTo("li1ei2ei3ei4ei5e3:six5:seven5:eightledee");
    }

    @Test
    void valueRejectsWhatBencodeCannotHold() {
        assertThatThrownBy(() -> new BencodeWriter().value(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot bencode a java.lang.Double");
        assertThatThrownBy(() -> new BencodeWriter().value(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot bencode null");
        Map<Object, Object> nullValue = new HashMap<>();
        nullValue.put("key", null);
        assertThatThrownBy(() -> new BencodeWriter().value(nullValue)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"key\"");
        Map<Object, Object> sameBytes = new HashMap<>();
        sameBytes.put("a", 1L);
        sameBytes.put(bytes("a"), 2L);
        assertThatThrownBy(() -> new BencodeWriter().value(sameBytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same bytes");
        assertThatThrownBy(() -> new BencodeWriter().value(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key must be");
    }

    @Test
    void resetReusesTheBuffer() {
        BencodeWriter writer = new BencodeWriter(4);
        writer.startDict().key("failure reason").string("unregistered torrent").end();
        byte[] grown = writer.buffer();
        writer.reset();
        assertThat(writer.length()).isZero();
        writer.integer(1);
        assertThat(writer.buffer()).isSameAs(grown);
        assertThat(ascii(writer)).isEqualTo("i1e");
    }

    @Test
    void checksNesting() {
        assertThatThrownBy(() -> new BencodeWriter().end()).isInstanceOf(IllegalStateException.class);
        BencodeWriter open = new BencodeWriter().startList().startDict();
        assertThat(open.depth()).isEqualTo(2);
        assertThatThrownBy(open::toByteArray).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 dictionary or list still open");
    }

    @Test
    void badSlicesAndHugeReservationsFailBeforeWriting() {
        BencodeWriter writer = new BencodeWriter().startList();
        assertThatThrownBy(() -> writer.string(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> writer.raw(new byte[4], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> writer.reserveString(Integer.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.reserveString(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ascii(writer.end())).isEqualTo("le");
    }

    @Test
    void growsForLargeStrings() {
        byte[] big = new byte[100_000];
        big[99_999] = 7;
        byte[] out = new BencodeWriter(0).string(big).toByteArray();
        assertThat(out).hasSize(100_000 + 7);
        assertThat(out[out.length - 1]).isEqualTo((byte) 7);
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
