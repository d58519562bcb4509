package io.chihaya.bencode;

import static io.chihaya.bencode.BencodeWriterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeJsonTest {
    private final BencodeJson json = new BencodeJson();

    private void assertRoundTrip(byte[] bencode, String expectedJson) {
        String text = json.bencodeToJson(bencode);
        assertThat(text).isEqualTo(expectedJson);
        assertThat(json.jsonToBencode(text)).isEqualTo(bencode);
    }

    @Test
    void writesIndentedJsonInDictionaryOrder() {
        assertRoundTrip(bytes("d8:announce9:http://x/4:infod6:lengthi5e4:name3:a b6:pieces0:e4:listli1eledee3:nil0:e"), """
                {
                  "announce": "http://x/",
                  "info": {
                    "length": 5,
                    "name": "a b",
                    "pieces": ""
                  },
                  "list": [
                    1,
                    [],
                    {}
                  ],
                  "nil": ""
                }
                """);
    }

    @Test
    void bytesThatAreNotUtf8BecomeBase64() {
        assertRoundTrip(bytes("l3:\u00ff\u0000\u00803:abce"), """
                [
                  {
                    "__bytes__": "/wCA"
                  },
                  "abc"
                ]
                """);
    }

    @Test
    void overlongAndSurrogateUtf8AreTreatedAsBytes() {
        // C0 80 is an overlong NUL, ED A0 80 an encoded surrogate: neither survives a String
        assertRoundTrip(bytes("l2:\u00c0\u00803:\u00ed\u00a0\u0080e"), """
                [
                  {
                    "__bytes__": "wIA="
                  },
                  {
                    "__bytes__": "7aCA"
                  }
                ]
                """);
    }

    @Test
    void aRealDictionaryWhoseOnlyKeyIsReservedIsEscaped() {
        assertRoundTrip(bytes("d9:__bytes__4:AAAAe"), """
                {
                  "__dict__": [
                    [
                      "__bytes__",
                      "AAAA"
                    ]
                  ]
                }
                """);
        assertRoundTrip(bytes("d8:__dict__lee"), """
                {
                  "__dict__": [
                    [
                      "__dict__",
                      []
                    ]
                  ]
                }
                """);
        // with other keys beside it, the reserved name is an ordinary key
        assertRoundTrip(bytes("d9:__bytes__4:AAAA1:xi1ee"), """
                {
                  "__bytes__": "AAAA",
                  "x": 1
                }
                """);
    }

    @Test
    void dictionariesWithNonUtf8KeysUseThePairForm() {
        assertRoundTrip(bytes("d1:ai1e2:\u00ff\u00fei2ee"), """
                {
                  "__dict__": [
                    [
                      "a",
                      1
                    ],
                    [
                      {
                        "__bytes__": "//4="
                      },
                      2
                    ]
                  ]
                }
                """);
    }

    @Test
    void thePairFormIsSortedAndCheckedWhenEncoding() {
        assertThat(json.jsonToBencode("{\"__dict__\": [[\"b\", 1], [{\"__bytes__\": \"YQ==\"}, 2]]}"))
                .isEqualTo(bytes("d1:ai2e1:bi1ee"));
        assertThatThrownBy(() -> json.jsonToBencode("{\"__dict__\": [[\"a\", 1], [{\"__bytes__\": \"YQ==\"}, 2]]}"))
                .isInstanceOf(BencodeException.class)
                .hasMessage("duplicate dictionary key \"a\" at $.__dict__");
    }

    @Test
    void integersOfAnySizeStayNumbers() {
        String huge = "9".repeat(5000);
        assertRoundTrip(bytes("li-9223372036854775809ei" + huge + "ee"),
                "[\n  -9223372036854775809,\n  " + huge + "\n]\n");
        assertThat(json.jsonToBencode("[0, -0, 42]")).isEqualTo(bytes("li0ei0ei42ee"));
    }

    @Test
    void objectKeysAreSortedByUtf8Bytes() {
        // U+FFFD sorts before U+1F600 in UTF-8, but after it in UTF-16 (String.compareTo)
        byte[] encoded = json.jsonToBencode("{\"\uD83D\uDE00\": 1, \"\uFFFD\": 2, \"b\": 3, \"a\": 4}");
        assertThat(encoded).isEqualTo(BencodeWriterTest.concat(bytes("d1:ai4e1:bi3e3:"),
                "\uFFFD".getBytes(StandardCharsets.UTF_8), bytes("i2e4:"),
                "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), bytes("i1ee")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"info\": {\"private\": true}}           | cannot bencode a boolean at $.info.private",
        "{\"a\": [1, null]}                        | cannot bencode null at $.a[1]",
        "{\"piece length\": 1.5}                   | cannot bencode a floating-point number (bencode has only integers) at $[\"piece length\"]",
        "[1e3]                                     | cannot bencode a floating-point number (bencode has only integers) at $[0]",
        "false                                     | cannot bencode a boolean at $",
        "{\"x\": {\"__bytes__\": 5}}               | \"__bytes__\" must hold a base64 string at $.x.__bytes__",
        "{\"__bytes__\": \"!!\"}                   | invalid base64 at $.__bytes__: Illegal base64 character 21",
        "{\"__dict__\": {}}                        | \"__dict__\" must hold an array of [key, value] pairs at $.__dict__",
        "{\"__dict__\": [[\"a\"]]}                 | expected a [key, value] pair at $.__dict__[0]",
        "{\"__dict__\": [[1, 2]]}                  | a dictionary key must be a string or a \"__bytes__\" object at $.__dict__[0][0]",
        "{\"__dict__\": [[\"a\", true]]}           | cannot bencode a boolean at $.__dict__[0][1]",
        "[\"\\ud800\"]                             | unpaired surrogate in a string at $[0] (not representable in UTF-8)",
        "{\"a\": 1, \"a\": 2}                      | invalid JSON at line 1, column 13: Duplicate field 'a'",
        "[1] [2]                                   | invalid JSON at line 1, column 5: trailing content after the value",
        "``                                        | invalid JSON: no value in the input",
        "{\"a\": NaN}                              | invalid JSON at line 1, column 10: Non-standard token 'NaN'",
    })
    void rejectsWhatBencodeCannotHoldNamingThePath(String input, String message) {
        assertThatThrownBy(() -> json.jsonToBencode(input))
                .isInstanceOf(BencodeException.class)
                .hasMessage(message);
    }

    @Test
    void invalidJsonMessagesAreOneLine() {
        assertThatThrownBy(() -> json.jsonToBencode("{\n  \"a\": 1,\n  \"b\" 2\n}"))
                .isInstanceOf(BencodeException.class)
                .satisfies(thrown -> assertThat(thrown.getMessage()).startsWith("invalid JSON at line 3, column 7: ")
                        .doesNotContain("\n"));
    }

    @Test
    void streamsInAndOut() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.bencodeToJson(new ByteArrayInputStream(bytes("d1:ai1ee")), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\n  \"a\": 1\n}\n");
        assertThat(json.jsonToBencode(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(bytes("d1:ai1ee"));
    }

    @Test
    void convertsPlainJavaValuesToo() {
        assertThat(json.toJsonString(Map.of("k", List.of(1, BigInteger.TEN, new byte[] {(byte) 0xff}, "é"))))
                .isEqualTo("{\n  \"k\": [\n    1,\n    10,\n    {\n      \"__bytes__\": \"/w==\"\n    },\n    \"é\"\n  ]\n}\n");
    }

    @Test
    void appliesTheStringAndIntegerLimitsToJsonToo() {
        BencodeJson small = new BencodeJson(BencodeOptions.defaults().withMaxStringLength(3).withMaxIntegerDigits(3));
        assertThat(small.jsonToBencode("[\"abc\", -999]")).isEqualTo(bytes("l3:abci-999ee"));
        assertThatThrownBy(() -> small.jsonToBencode("{\"k\": [\"abcd\"]}"))
                .isInstanceOf(BencodeException.class).hasMessage("string longer than the limit of 3 bytes at $.k[0]");
        assertThatThrownBy(() -> small.jsonToBencode("{\"k\": {\"__bytes__\": \"AAAAAA==\"}}"))
                .isInstanceOf(BencodeException.class).hasMessage("string longer than the limit of 3 bytes at $.k.__bytes__");
        assertThatThrownBy(() -> small.jsonToBencode("[-1234]"))
                .isInstanceOf(BencodeException.class)
                .hasMessage("invalid JSON at line 1, column 2: Number value length (4) exceeds the maximum allowed (3)");
        BencodeJson unlimited = new BencodeJson(BencodeOptions.defaults().withMaxIntegerDigits(Integer.MAX_VALUE));
        assertThat(unlimited.jsonToBencode("7")).isEqualTo(bytes("i7e"));
    }

    @Test
    void appliesTheDepthLimitBothWays() {
        BencodeJson shallow = new BencodeJson(BencodeOptions.defaults().withMaxDepth(2));
        assertThat(shallow.jsonToBencode("[[1]]")).isEqualTo(bytes("lli1eee"));
        assertThatThrownBy(() -> shallow.jsonToBencode("[[[1]]]"))
                .isInstanceOf(BencodeException.class).hasMessage("nesting deeper than 2 levels at $[0][0]");
        assertThatThrownBy(() -> shallow.toJson(List.of(List.of(List.of()))))
                .isInstanceOf(BencodeException.class).hasMessage("value nested deeper than 2 levels");
        assertThatThrownBy(() -> json.jsonToBencode("[".repeat(5000) + "]".repeat(5000)))
                .isInstanceOf(BencodeException.class)
                .hasMessage("invalid JSON at line 1, column 1540: Document nesting depth (1540) exceeds the maximum allowed (1539)");
    }
}
