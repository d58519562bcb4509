package io.chihaya.tracker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** JsonTree against the ObjectMapper set-up the config loader used before it. */
class JsonTreeTest {
    private static final ObjectMapper REFERENCE = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "\"addr\"", "17", "null", "true",
        "{\"addr\": \":34000\", \"database\": {\"username\": \"chihaya\", \"password\": \"p\\u00e4ss\\n\"}}",
        "{\"intervals\": {\"announce\": 1800, \"min_announce\": 1.5, \"x\": 1e400, \"y\": -0.0, \"z\": 10.0, \"w\": 2.50}}",
        "{\"big\": 123456789012345678901234567890, \"long\": 9007199254740993, \"neg\": -2147483649, \"int\": -7}",
        "{\"a\": [1, [2, [3, {}]], null, false], \"b\": {\"c\": {\"d\": []}}}",
        "{\"twice\": 1, \"twice\": 2}",
        "  \n {\"addr\": \":1\"} \n ",
        "{\"tiny\": 1e-400, \"huge\": 1E+2147483647, \"exp\": 12.5e3}",
    })
    void buildsTheTreeReadTreeBuilds(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = REFERENCE.readTree(bytes);
        JsonNode actual = JsonTree.read(bytes);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.toString()).isEqualTo(expected.toString());
        assertThat(shapes(actual)).isEqualTo(shapes(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"addr\": \":34000\",}", "{\"addr\": \":34000\"", "{'addr': ':34000'}",
        "{\"database\": {\"password\": hunter2}}", "[1, 2", "{\"a\" 1}", "{\"a\": 01}", "\"unterminated",
        "{\"a\": NaN}", "]", "{\"a\": \"tab\there\"}",
    })
    void refusesWhatReadTreeRefusesWithTheSameMessageAndPlace(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonProcessingException expected = catchThrowableOfType(JsonProcessingException.class, () -> REFERENCE.readTree(bytes));
        JsonProcessingException actual = catchThrowableOfType(JsonProcessingException.class, () -> JsonTree.read(bytes));
        assertThat(expected).as("the reference refuses it").isNotNull();
        assertThat(actual).as("JsonTree refuses it").isNotNull();
        assertThat(actual.getOriginalMessage()).isEqualTo(expected.getOriginalMessage());
        assertThat(actual.getLocation().getLineNr()).isEqualTo(expected.getLocation().getLineNr());
        assertThat(actual.getLocation().getColumnNr()).isEqualTo(expected.getLocation().getColumnNr());
    }

    @Test
    void trailingContentIsRefusedWhereReadTreeRefusesIt() {
        byte[] bytes = "{\"addr\": \":34000\"} {}".getBytes(StandardCharsets.UTF_8);
        JsonProcessingException expected = catchThrowableOfType(JsonProcessingException.class, () -> REFERENCE.readTree(bytes));
        JsonProcessingException actual = catchThrowableOfType(JsonProcessingException.class, () -> JsonTree.read(bytes));
        assertThat(actual.getOriginalMessage()).startsWith("Trailing token (of type START_OBJECT) found after value");
        assertThat(expected.getOriginalMessage()).startsWith("Trailing token (of type START_OBJECT) found after value");
        assertThat(actual.getLocation().getColumnNr()).isEqualTo(expected.getLocation().getColumnNr());
    }

    @Test
    void emptyInputHasNoValue() throws Exception {
        assertThat(JsonTree.read(new byte[0])).isNull();
        assertThat(JsonTree.read(" \n\t ".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        String json = "[".repeat(100_000);
        assertThatThrownBy(() -> JsonTree.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> new ConfigLoader(java.util.Map.of()).parse(("{\"a\": " + json).getBytes(StandardCharsets.UTF_8), "config.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.json: not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000");
    }

    /** Node classes and decimal scales, which equals() may not compare. */
    private static String shapes(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
        if (node.isBigDecimal()) {
            out.append('(').append(node.decimalValue().scale()).append(')');
        }
        node.fields().forEachRemaining(e -> out.append(' ').append(e.getKey()).append('=').append(shapes(e.getValue())));
        node.elements().forEachRemaining(e -> {
            if (!node.isObject()) {
                out.append(' ').append(shapes(e));
            }
        });
        return out.toString();
    }
}
