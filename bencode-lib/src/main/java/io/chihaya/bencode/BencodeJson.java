package io.chihaya.bencode;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lossless bridge between bencode and JSON, for people and tools that read JSON.
 *
 * <p>Bencode to JSON: integers become JSON numbers (any size); byte strings that are valid UTF-8
 * become JSON strings; other byte strings become {@code {"__bytes__": "<base64>"}} (standard
 * base64 with padding); lists become arrays; dictionaries become objects, in their own order,
 * except in two cases where they become {@code {"__dict__": [[key, value], ...]}} with each key a
 * string or a {@code __bytes__} object: a dictionary with a key that is not valid UTF-8, and a
 * dictionary whose only key is {@code __bytes__} or {@code __dict__} (which would otherwise read
 * back as an escape). Output is indented by two spaces and ends with a newline.
 *
 * <p>JSON to bencode: an object with the single key {@code __bytes__} or {@code __dict__} is
 * always read as the escape above; every other object is a dictionary whose keys are sorted by
 * their UTF-8 bytes. Numbers must be integers; floating-point numbers, {@code true}, {@code false}
 * and {@code null} have no bencode form and are rejected with the JSON path of the value, e.g.
 * {@code cannot bencode a boolean at $.info.private}. Duplicate object keys, unpaired surrogates
 * and trailing content are rejected too. Every canonical bencode value survives bencode → JSON →
 * bencode byte for byte.
 *
 * <p>Errors are {@link BencodeException}s with one-line messages. Immutable and thread-safe.
 */
public final class BencodeJson {
    /** The key of the escape for a byte string that is not valid UTF-8. */
    public static final String BYTES_KEY = "__bytes__";
    /** The key of the escape for a dictionary that cannot be a plain JSON object. */
    public static final String DICT_KEY = "__dict__";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final BencodeReader reader;
    private final int maxDepth;
    private final int maxStringLength;
    private final JsonMapper mapper;
    private final ObjectWriter prettyWriter;

    /** A bridge with the strict default {@link BencodeOptions}. */
    public BencodeJson() {
        this(BencodeOptions.defaults());
    }

    /** A bridge that decodes bencode with {@code options} and applies the same limits to JSON. */
    public BencodeJson(BencodeOptions options) {
        this.reader = new BencodeReader(options);
        this.maxDepth = options.maxDepth();
        this.maxStringLength = options.maxStringLength();
        // each bencode level may take up to three JSON levels ({"__dict__": [[k, v]]})
        int jsonDepth = 3 * options.maxDepth() + 3;
        int jsonStringLength = (int) Math.min(Integer.MAX_VALUE - 8L, 4L * ((options.maxStringLength() + 2L) / 3) + 4);
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(jsonDepth)
                .maxNumberLength(options.maxIntegerDigits()) // Jackson counts digits, not the sign
                .maxStringLength(jsonStringLength)
                .maxNameLength(Math.max(jsonStringLength, 1000)) // "__bytes__" must always parse
                .build());
        mapper.getFactory().setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(jsonDepth)
                .build());
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        this.prettyWriter = mapper.writer(printer);
    }

    // ---- bencode to JSON ----

    /**
     * Decodes bencode (with this bridge's options) and returns it as indented JSON text, ending
     * with a newline.
     */
    public String bencodeToJson(byte[] bencode) {
        return toJsonString(reader.decode(bencode));
    }

    /** Decodes bencode from {@code bencode} to its end and writes it as indented JSON to {@code json}. */
    public void bencodeToJson(InputStream bencode, OutputStream json) throws IOException {
        writeJson(reader.decode(bencode), json);
    }

    /**
     * The JSON form of a value as {@link BencodeReader} returns it; plain Java values accepted by
     * {@link BencodeWriter#value(Object)} work too.
     */
    public JsonNode toJson(Object value) {
        try {
            return toJson(value, 0);
        } catch (StackOverflowError tooDeep) {
            throw new BencodeException("value nested too deeply to convert to JSON");
        }
    }

    /** {@link #toJson(Object)} as indented JSON text ending with a newline. */
    public String toJsonString(Object value) {
        try {
            return prettyWriter.writeValueAsString(toJson(value)) + "\n";
        } catch (JsonProcessingException failure) {
            throw new BencodeException("cannot write JSON: " + firstLine(failure.getOriginalMessage()), failure);
        }
    }

    /** Writes {@link #toJson(Object)} to {@code out} as indented UTF-8 JSON ending with a newline; flushes, does not close. */
    public void writeJson(Object value, OutputStream out) throws IOException {
        JsonNode json = toJson(value);
        try {
            prettyWriter.writeValue(out, json);
        } catch (JsonProcessingException failure) {
            throw new BencodeException("cannot write JSON: " + firstLine(failure.getOriginalMessage()), failure);
        }
        out.write('\n');
        out.flush();
    }

    private JsonNode toJson(Object value, int depth) {
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        } else if (value instanceof BigInteger number) {
            return NODES.numberNode(number);
        } else if (value instanceof BString string) {
            return stringToJson(string.array());
        } else if (value instanceof byte[] bytes) {
            return stringToJson(bytes);
        } else if (value instanceof String text) {
            return stringToJson(text.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof List<?> list) {
            checkDepth(depth + 1);
            ArrayNode array = NODES.arrayNode(list.size());
            for (Object element : list) {
                array.add(toJson(element, depth + 1));
            }
            return array;
        } else if (value instanceof Map<?, ?> map) {
            checkDepth(depth + 1);
            return dictToJson(map, depth + 1);
        }
        throw new IllegalArgumentException("not a bencode value: " + (value == null ? "null" : value.getClass().getName()));
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw new BencodeException("value nested deeper than " + maxDepth + " levels");
        }
    }

    private static JsonNode stringToJson(byte[] bytes) {
        if (Utf8.isValid(bytes, 0, bytes.length)) {
            return NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
        }
        return bytesEscape(bytes);
    }

    private static ObjectNode bytesEscape(byte[] bytes) {
        ObjectNode escape = NODES.objectNode();
        escape.put(BYTES_KEY, Base64.getEncoder().encodeToString(bytes));
        return escape;
    }

    private JsonNode dictToJson(Map<?, ?> map, int depth) {
        boolean plain = !(map.size() == 1 && isReservedKey(keyBytes(map.keySet().iterator().next())));
        for (Object key : map.keySet()) {
            byte[] bytes = keyBytes(key);
            plain &= Utf8.isValid(bytes, 0, bytes.length);
        }
        if (plain) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = new String(keyBytes(entry.getKey()), StandardCharsets.UTF_8);
                if (object.has(key)) {
                    throw new IllegalArgumentException("two map keys have the same bytes: \"" + key + "\"");
                }
                object.set(key, toJson(entry.getValue(), depth));
            }
            return object;
        }
        ArrayNode pairs = NODES.arrayNode(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            ArrayNode pair = NODES.arrayNode(2);
            pair.add(stringToJson(keyBytes(entry.getKey())));
            pair.add(toJson(entry.getValue(), depth));
            pairs.add(pair);
        }
        ObjectNode escape = NODES.objectNode();
        escape.set(DICT_KEY, pairs);
        return escape;
    }

    private static byte[] keyBytes(Object key) {
        if (key instanceof BString string) {
            return string.array();
        } else if (key instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        } else if (key instanceof byte[] bytes) {
            return bytes;
        }
        throw new IllegalArgumentException("not a bencode dictionary key: " + (key == null ? "null" : key.getClass().getName()));
    }

    private static boolean isReservedKey(byte[] key) {
        return Arrays.equals(key, BYTES_KEY.getBytes(StandardCharsets.US_ASCII))
                || Arrays.equals(key, DICT_KEY.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- JSON to bencode ----

    /** Parses JSON text and encodes it as bencode. */
    public byte[] jsonToBencode(String json) {
        return toBencode(readJson(json));
    }

    /** Parses one JSON document from {@code json} (to its end) and encodes it as bencode. */
    public byte[] jsonToBencode(InputStream json) throws IOException {
        return toBencode(readJson(json));
    }

    /** Parses JSON text into a tree, rejecting invalid JSON, duplicate keys and trailing content. */
    public JsonNode readJson(String json) {
        try {
            return readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** Parses one JSON document from {@code json} to its end; the stream is not closed. */
    public JsonNode readJson(InputStream json) throws IOException {
        JsonParser parser;
        try {
            parser = mapper.createParser(json);
        } catch (JsonProcessingException invalid) {
            throw new BencodeException("invalid JSON: " + jacksonReason(invalid), invalid);
        }
        try (parser) {
            JsonNode tree = mapper.readTree(parser);
            if (tree == null || tree.isMissingNode()) {
                throw new BencodeException("invalid JSON: no value in the input");
            }
            if (parser.nextToken() != null) {
                throw new BencodeException("invalid JSON" + where(parser.currentTokenLocation()) + ": trailing content after the value");
            }
            return tree;
        } catch (JsonProcessingException invalid) {
            // limit violations carry no location of their own; the parser knows where it stopped
            JsonLocation location = invalid.getLocation() != null ? invalid.getLocation() : parser.currentTokenLocation();
            throw new BencodeException("invalid JSON" + where(location) + ": " + jacksonReason(invalid), invalid);
        }
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson's own words, minus its hints about its configuration, which mean nothing to a user. */
    private static String jacksonReason(JsonProcessingException invalid) {
        return firstLine(invalid.getOriginalMessage())
                .replaceAll(", from `[^`]*`", "")
                .replaceAll(": enable `[^`]*` to allow", "")
                .strip();
    }

    /** Encodes a JSON tree as bencode. */
    public byte[] toBencode(JsonNode json) {
        BencodeWriter writer = new BencodeWriter(1024);
        writeBencode(json, writer);
        return writer.toByteArray();
    }

    /** Appends the bencode form of a JSON tree to {@code writer}; on error the writer holds a partial value. */
    public void writeBencode(JsonNode json, BencodeWriter writer) {
        Objects.requireNonNull(writer, "writer");
        try {
            encode(json, JsonPath.ROOT, 0, writer);
        } catch (StackOverflowError tooDeep) {
            throw new BencodeException("JSON nested too deeply to convert to bencode");
        }
    }

    private void encode(JsonNode node, JsonPath path, int depth, BencodeWriter writer) {
        switch (node.getNodeType()) {
            case STRING -> writer.string(textBytes(node.textValue(), path));
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw cannot("a floating-point number (bencode has only integers)", path);
                }
                writer.integer(node.bigIntegerValue());
            }
            case ARRAY -> {
                checkDepth(depth + 1, path);
                writer.startList();
                int index = 0;
                for (JsonNode element : node) {
                    encode(element, path.index(index++), depth + 1, writer);
                }
                writer.end();
            }
            case OBJECT -> encodeObject(node, path, depth, writer);
            case BOOLEAN -> throw cannot("a boolean", path);
            case NULL -> throw cannot("null", path);
            default -> throw cannot("a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT), path);
        }
    }

    private void encodeObject(JsonNode node, JsonPath path, int depth, BencodeWriter writer) {
        if (node.size() == 1) {
            String only = node.properties().iterator().next().getKey();
            if (only.equals(BYTES_KEY)) {
                writer.string(escapedBytes(node.get(BYTES_KEY), path.key(BYTES_KEY)));
                return;
            }
            if (only.equals(DICT_KEY)) {
                encodeDictEscape(node.get(DICT_KEY), path.key(DICT_KEY), depth, writer);
                return;
            }
        }
        checkDepth(depth + 1, path);
        List<Entry> entries = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonPath fieldPath = path.key(field.getKey());
            entries.add(new Entry(textBytes(field.getKey(), fieldPath), field.getValue(), fieldPath));
        }
        writeDict(entries, path, depth + 1, writer);
    }

    private void encodeDictEscape(JsonNode pairs, JsonPath path, int depth, BencodeWriter writer) {
        if (!pairs.isArray()) {
            throw new BencodeException("\"" + DICT_KEY + "\" must hold an array of [key, value] pairs at " + path);
        }
        checkDepth(depth + 1, path);
        List<Entry> entries = new ArrayList<>(pairs.size());
        int index = 0;
        for (JsonNode pair : pairs) {
            JsonPath pairPath = path.index(index++);
            if (!pair.isArray() || pair.size() != 2) {
                throw new BencodeException("expected a [key, value] pair at " + pairPath);
            }
            JsonNode key = pair.get(0);
            JsonPath keyPath = pairPath.index(0);
            byte[] keyBytes;
            if (key.isTextual()) {
                keyBytes = textBytes(key.textValue(), keyPath);
            } else if (key.isObject() && key.size() == 1 && key.has(BYTES_KEY)) {
                keyBytes = escapedBytes(key.get(BYTES_KEY), keyPath.key(BYTES_KEY));
            } else {
                throw new BencodeException("a dictionary key must be a string or a \"" + BYTES_KEY + "\" object at " + keyPath);
            }
            entries.add(new Entry(keyBytes, pair.get(1), pairPath.index(1)));
        }
        writeDict(entries, path, depth + 1, writer);
    }

    private void writeDict(List<Entry> entries, JsonPath path, int depth, BencodeWriter writer) {
        entries.sort((left, right) -> Arrays.compareUnsigned(left.key, right.key));
        writer.startDict();
        byte[] previous = null;
        for (Entry entry : entries) {
            if (previous != null && Arrays.equals(previous, entry.key)) {
                throw new BencodeException("duplicate dictionary key " + BString.describe(entry.key, 40) + " at " + path);
            }
            previous = entry.key;
            writer.key(entry.key);
            encode(entry.value, entry.path, depth, writer);
        }
        writer.end();
    }

    private record Entry(byte[] key, JsonNode value, JsonPath path) {
    }

    private byte[] escapedBytes(JsonNode base64, JsonPath path) {
        if (!base64.isTextual()) {
            throw new BencodeException("\"" + BYTES_KEY + "\" must hold a base64 string at " + path);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.textValue());
        } catch (IllegalArgumentException invalid) {
            throw new BencodeException("invalid base64 at " + path + ": " + invalid.getMessage());
        }
        checkLength(bytes, path);
        return bytes;
    }

    private byte[] textBytes(String text, JsonPath path) {
        if (Utf8.hasUnpairedSurrogate(text)) {
            throw new BencodeException("unpaired surrogate in a string at " + path + " (not representable in UTF-8)");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        checkLength(bytes, path);
        return bytes;
    }

    private void checkLength(byte[] bytes, JsonPath path) {
        if (bytes.length > maxStringLength) {
            throw new BencodeException("string longer than the limit of " + maxStringLength + " bytes at " + path);
        }
    }

    private void checkDepth(int depth, JsonPath path) {
        if (depth > maxDepth) {
            throw new BencodeException("nesting deeper than " + maxDepth + " levels at " + path);
        }
    }

    private static BencodeException cannot(String what, JsonPath path) {
        return new BencodeException("cannot bencode " + what + " at " + path);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
