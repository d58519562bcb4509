package io.chihaya.tracker.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a config file's JSON into a tree with jackson-core's streaming parser, building the nodes
 * directly. It gives the tree that {@code ObjectMapper.readTree} gives with
 * {@code USE_BIG_DECIMAL_FOR_FLOATS} and {@code FAIL_ON_TRAILING_TOKENS} (JsonTreeTest compares
 * them), without setting up an ObjectMapper: that took about 0.3 s of a start on one CPU. Numbers
 * are exact (a fraction is a {@link BigDecimal} without trailing zeros, 1e400 is not Infinity); a key
 * given twice keeps its last value; syntax errors are the parser's own, with their location.
 */
final class JsonTree {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {
    }

    /** An empty object, for a missing file. */
    static ObjectNode emptyObject() {
        return NODES.objectNode();
    }

    /**
     * The tree of {@code json}.
     *
     * @return the root, or null when the input holds no value (empty or only whitespace)
     * @throws JsonParseException the input is not one JSON value
     */
    static JsonNode read(byte[] json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after value",
                        parser.currentTokenLocation());
            }
            return root;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(withoutTrailingZeros(parser.getDecimalValue()));
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default: // END_OBJECT, END_ARRAY or an embedded object: the parser reports real syntax errors itself
                throw new JsonParseException(parser, "Unexpected token (" + token + ")");
        }
    }

    private static BigDecimal withoutTrailingZeros(BigDecimal value) {
        try {
            return value.stripTrailingZeros();
        } catch (ArithmeticException e) { // an exponent beyond int's range after stripping
            return value;
        }
    }
}
