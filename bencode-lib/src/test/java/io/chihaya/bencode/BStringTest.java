package io.chihaya.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BStringTest {

    @Test
    void equalityAndHashAreByContent() {
        byte[] bytes = {1, 2, 3};
        BString string = BString.of(bytes);
        bytes[0] = 9; // a copy was taken
        assertThat(string).isEqualTo(BString.of(new byte[] {1, 2, 3})).hasSameHashCodeAs(BString.of(new byte[] {1, 2, 3}));
        assertThat(string).isNotEqualTo(BString.of(new byte[] {1, 2}));
        assertThat(BString.of(new byte[] {0, 1, 2, 3, 4}, 1, 3)).isEqualTo(string);
        assertThat(string.toByteArray()).containsExactly(1, 2, 3);
        assertThat(string.length()).isEqualTo(3);
        assertThat(string.byteAt(2)).isEqualTo((byte) 3);
    }

    @Test
    void ordersAsUnsignedBytesWithPrefixesFirst() {
        List<BString> strings = new ArrayList<>(List.of(
                BString.of(new byte[] {(byte) 0x80}), BString.of("b"), BString.of("ab"), BString.of("a"), BString.of("")));
        Collections.sort(strings);
        assertThat(strings).containsExactly(
                BString.of(""), BString.of("a"), BString.of("ab"), BString.of("b"), BString.of(new byte[] {(byte) 0x80}));
    }

    @Test
    void showsTextOrHex() {
        assertThat(BString.of("info")).hasToString("\"info\"");
        assertThat(BString.of("a\nb")).hasToString("\"a\\u000ab\"");
        assertThat(BString.of(new byte[] {(byte) 0xff, (byte) 0xfe})).hasToString("0xfffe");
        assertThat(BString.of("x".repeat(100)).describeShort()).isEqualTo("\"" + "x".repeat(40) + "\"...");
    }

    @Test
    void decodesUtf8OnlyWhenValid() {
        assertThat(BString.of("héllo").utf8()).isEqualTo("héllo");
        assertThat(BString.of("héllo").isUtf8()).isTrue();
        assertThat(BString.of("info").contentEquals("info")).isTrue();
        BString invalid = BString.of(new byte[] {(byte) 0xff});
        assertThat(invalid.isUtf8()).isFalse();
        assertThatThrownBy(invalid::utf8).isInstanceOf(IllegalStateException.class);
    }
}
