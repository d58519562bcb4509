package io.chihaya.bencode;

import static io.chihaya.bencode.BencodeWriterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeReaderTest {
    private final BencodeReader strict = new BencodeReader();

    @Test
    void decodesEveryKindOfValue() {
        Object value = strict.decode(bytes("d4:infod6:lengthi12e4:name5:a.txte4:listli-1e0:lee3:numi42ee"));
        assertThat(value).isEqualTo(Map.of(
                BString.of("info"), Map.of(BString.of("length"), 12L, BString.of("name"), BString.of("a.txt")),
                BString.of("list"), List.of(-1L, BString.of(""), List.of()),
                BString.of("num"), 42L));
        @SuppressWarnings("unchecked")
        Map<BString, Object> dict = (Map<BString, Object>) value;
        assertThat(dict.keySet()).extracting(BString::utf8).containsExactly("info", "list", "num");
    }

    @Test
    void integersAreLongsUnlessTheyDoNotFit() {
        assertThat(strict.decode(bytes("i0e"))).isEqualTo(0L);
        assertThat(strict.decode(bytes("i9223372036854775807e"))).isEqualTo(Long.MAX_VALUE);
        assertThat(strict.decode(bytes("i-9223372036854775808e"))).isEqualTo(Long.MIN_VALUE);
        assertThat(strict.decode(bytes("i9223372036854775808e"))).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(strict.decode(bytes("i-9223372036854775809e"))).isEqualTo(new BigInteger("-9223372036854775809"));
        assertThat(strict.decode(bytes("i123456789012345678901234567890e")))
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(strict.decode(bytes("i-100000000000000000000000000000e")))
                .isEqualTo(new BigInteger("-100000000000000000000000000000"));
    }

    @Test
    void stringsKeepNonUtf8Bytes() {
        Object value = strict.decode(bytes("d3:\u00ff\u00fe\u00fd4:\u0000\u0001\u0002\u0003e"));
        assertThat(value).isEqualTo(Map.of(BString.of(new byte[] {-1, -2, -3}), BString.of(new byte[] {0, 1, 2, 3})));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                | 0 | unexpected end of input, expected a value",
        "i03e              | 1 | leading zero in integer",
        "i-03e             | 2 | leading zero in integer",
        "i00e              | 1 | leading zero in integer",
        "i-0e              | 1 | negative zero (i-0e) is not allowed",
        "i-e               | 2 | expected a digit after '-', found 'e'",
        "ie                | 1 | empty integer (ie)",
        "i12               | 3 | unexpected end of input in the integer starting at byte 0 (no 'e')",
        "i1x2e             | 2 | unexpected 'x' in integer, expected a digit or 'e'",
        "i+1e              | 1 | expected a digit in integer, found '+'",
        "i                 | 1 | unexpected end of input in the integer starting at byte 0",
        "03:abc            | 0 | leading zero in string length",
        "l00:e             | 1 | leading zero in string length",
        "5:abc             | 0 | truncated string: 5 bytes declared, only 3 present",
        "l1:a10:abce       | 4 | truncated string: 10 bytes declared, only 4 present",
        "3abc              | 1 | unexpected 'a' in string length, expected a digit or ':'",
        "12                | 2 | unexpected end of input in the length of the string starting at byte 0",
        "li1e              | 4 | unexpected end of input: the list starting at byte 0 has no 'e'",
        "d1:ai1e           | 7 | unexpected end of input: the dictionary starting at byte 0 has no 'e'",
        "d1:ae             | 4 | dictionary key \"a\" has no value",
        "d1:ai1e1:be       | 10 | dictionary key \"b\" has no value",
        "d1:a              | 4 | unexpected end of input: the dictionary starting at byte 0 has no 'e'",
        "i1ei2e            | 3 | trailing data after the top-level value: 'i'",
        "le-               | 2 | trailing data after the top-level value: '-'",
        "di1ei2ee          | 1 | dictionary key must be a byte string, found 'i'",
        "dlee              | 1 | dictionary key must be a byte string, found 'l'",
        "x                 | 0 | unexpected 'x', expected a value (i, l, d or a digit)",
        "l-e               | 1 | unexpected '-', expected a value (i, l, d or a digit)",
        "d1:bi1e1:ai2ee    | 7 | dictionary key \"a\" is out of order (after \"b\")",
        "d1:ai1e1:ai2ee    | 7 | duplicate dictionary key \"a\"",
        "d2:abi1e1:ai2ee   | 8 | dictionary key \"a\" is out of order (after \"ab\")",
    })
    void rejectsInvalidInputWithTheOffset(String input, long offset, String reason) {
        assertRejected(strict, bytes(input), offset, reason);
    }

    @Test
    void rejectsUnsortedKeysComparedAsUnsignedBytes() {
        // 0x80 sorts after 'z' as an unsigned byte (a signed comparison would put it first)
        assertThat(strict.decode(bytes("d1:zi1e1:\u0080i2ee"))).isInstanceOf(Map.class);
        assertRejected(strict, bytes("d1:\u0080i1e1:zi2ee"), 7, "dictionary key \"z\" is out of order (after 0x80)");
    }

    @Test
    void controlCharactersInKeysStayOnOneLine() {
        assertRejected(strict, bytes("d1:bi1e1:\ni2ee"), 7, "dictionary key \"\\u000a\" is out of order (after \"b\")");
    }

    @Test
    void rejectsNestingBeyondTheLimit() {
        BencodeReader shallow = new BencodeReader(BencodeOptions.defaults().withMaxDepth(3));
        assertThat(shallow.decode(bytes("llleee"))).isEqualTo(List.of(List.of(List.of())));
        assertRejected(shallow, bytes("lllleeee"), 3, "nesting deeper than 3 levels");
        byte[] deep = new byte[2_000_000];
        java.util.Arrays.fill(deep, (byte) 'l');
        assertRejected(strict, deep, 512, "nesting deeper than 512 levels");
    }

    @Test
    void deepNestingWithinAHighLimitDoesNotOverflowTheStack() {
        int depth = 100_000;
        byte[] input = new byte[depth * 2];
        java.util.Arrays.fill(input, 0, depth, (byte) 'l');
        java.util.Arrays.fill(input, depth, depth * 2, (byte) 'e');
        Object value = new BencodeReader(BencodeOptions.defaults().withMaxDepth(depth)).decode(input);
        assertThat(value).isInstanceOf(List.class);
    }

    @Test
    void rejectsStringsBeyondTheLimitBeforeAllocating() {
        BencodeReader small = new BencodeReader(BencodeOptions.defaults().withMaxStringLength(4));
        assertThat(small.decode(bytes("4:abcd"))).isEqualTo(BString.of("abcd"));
        assertRejected(small, bytes("5:abcde"), 0, "string longer than the limit of 4 bytes");
        assertRejected(strict, bytes("99999999999999999999999:x"), 0, "string longer than the limit of 67108864 bytes");
        // declared 60 MiB, within the limit, but only 1 byte present: rejected without allocating 60 MiB
        assertRejected(strict, bytes("62914560:x"), 0, "truncated string: 62914560 bytes declared, only 1 present");
    }

    @Test
    void rejectsIntegersBeyondTheDigitLimit() {
        BencodeReader small = new BencodeReader(BencodeOptions.defaults().withMaxIntegerDigits(5));
        assertThat(small.decode(bytes("i-99999e"))).isEqualTo(-99999L);
        assertRejected(small, bytes("i123456e"), 0, "integer longer than the limit of 5 digits");
    }

    @Test
    void lenientModeAcceptsUnsortedAndDuplicateKeysWithWarnings() {
        List<BencodeWarning> warnings = new ArrayList<>();
        BencodeReader lenient = new BencodeReader(BencodeOptions.defaults().lenient().withWarnings(warnings::add));
        Object value = lenient.decode(bytes("d1:bi1e1:ai2e1:bi3e1:ci4ee"));
        @SuppressWarnings("unchecked")
        Map<BString, Object> dict = (Map<BString, Object>) value;
        // the last value of a duplicate wins, at the position of the first
        assertThat(dict).containsExactly(
                Map.entry(BString.of("b"), 3L), Map.entry(BString.of("a"), 2L), Map.entry(BString.of("c"), 4L));
        assertThat(warnings).containsExactly(
                new BencodeWarning(7, "dictionary key \"a\" is out of order (after \"b\")"),
                new BencodeWarning(13, "duplicate dictionary key \"b\""));
        assertThat(warnings.get(1)).hasToString("byte 13: duplicate dictionary key \"b\"");
    }

    @Test
    void lenientModeStillRejectsEverythingElse() {
        BencodeReader lenient = new BencodeReader(BencodeOptions.defaults().lenient());
        assertRejected(lenient, bytes("i03e"), 1, "leading zero in integer");
        assertRejected(lenient, bytes("d1:ai1e"), 7, "unexpected end of input: the dictionary starting at byte 0 has no 'e'");
    }

    @Test
    void decodesASliceWithOffsetsCountedFromIt() {
        byte[] input = bytes("xxxi03eyy");
        assertRejected(strict, input, 3, 4, 1, "leading zero in integer");
        assertThat(strict.decode(bytes("xxi7eyy"), 2, 3)).isEqualTo(7L);
    }

    @Test
    void decodesFromStreamsThatDeliverOneByteAtATime() throws IOException {
        byte[] input = bytes("d4:name11:hello world6:piecesl20:aaaaaaaaaaaaaaaaaaaa3:xyzee");
        assertThat(strict.decode(new Trickle(input, 1))).isEqualTo(strict.decode(input));
        BencodeException fromStream = org.junit.jupiter.api.Assertions.assertThrows(BencodeException.class,
                () -> strict.decode(new Trickle(bytes("l3:abci1e4:abc"), 2)));
        assertThat(fromStream).hasMessage("invalid bencode at byte 9: truncated string: 4 bytes declared, only 3 present");
    }

    @Test
    void decodesLargeStringsFromStreams() throws IOException {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        byte[] input = BencodeWriterTest.concat(bytes("l300000:"), body, bytes("i5ee"));
        assertThat(strict.decode(new ByteArrayInputStream(input))).isEqualTo(List.of(BString.of(body), 5L));
        byte[] truncated = java.util.Arrays.copyOf(input, 200_000);
        assertThatThrownBy(() -> strict.decode(new ByteArrayInputStream(truncated)))
                .isInstanceOf(BencodeException.class)
                .hasMessage("invalid bencode at byte 1: truncated string: 300000 bytes declared, only 199992 present");
        // a stream error after a long string still reports offsets from the start of the input
        byte[] badTail = BencodeWriterTest.concat(bytes("l300000:"), body, bytes("i05ee"));
        assertThatThrownBy(() -> strict.decode(new Trickle(badTail, 1000)))
                .isInstanceOf(BencodeException.class)
                .hasMessage("invalid bencode at byte 300009: leading zero in integer");
    }

    @Test
    void optionsValidateTheirLimits() {
        assertThatThrownBy(() -> BencodeOptions.defaults().withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BencodeOptions.defaults().withMaxDepth(100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BencodeOptions.defaults().withMaxStringLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BencodeOptions.defaults().withMaxIntegerDigits(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BencodeOptions.defaults().lenient().strict()).isFalse();
        assertThat(BencodeOptions.defaults().strict()).isTrue();
    }

    @Test
    void convenienceMethodsRoundTrip() {
        byte[] encoded = Bencode.encode(Map.of("b", List.of(1L, "x"), "a", BigInteger.TWO.pow(70)));
        assertThat(encoded).isEqualTo(bytes("d1:ai1180591620717411303424e1:bli1e1:xee"));
        assertThat(Bencode.decode(encoded)).isEqualTo(Map.of(BString.of("a"), BigInteger.TWO.pow(70),
                BString.of("b"), List.of(1L, BString.of("x"))));
    }

    static void assertRejected(BencodeReader reader, byte[] input, long offset, String reason) {
        assertRejected(reader, input, 0, input.length, offset, reason);
    }

    static void assertRejected(BencodeReader reader, byte[] input, int from, int length, long offset, String reason) {
        assertThatThrownBy(() -> reader.decode(input, from, length))
                .isInstanceOfSatisfying(BencodeException.class, thrown -> {
                    assertThat(thrown.offset()).isEqualTo(offset);
                    assertThat(thrown.reason()).isEqualTo(reason);
                    assertThat(thrown).hasMessage("invalid bencode at byte " + offset + ": " + reason);
                });
        // streams must agree with arrays, message for message
        assertThatThrownBy(() -> reader.decode(new Trickle(java.util.Arrays.copyOfRange(input, from, from + length), 3)))
                .isInstanceOf(BencodeException.class)
                .hasMessage("invalid bencode at byte " + offset + ": " + reason);
    }

    /** A stream that returns at most {@code step} bytes per read, to exercise buffer refills. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final int step;
        private int position;

        Trickle(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, step), data.length - position);
            System.arraycopy(data, position, target, offset, count);
            position += count;
            return count;
        }
    }
}
