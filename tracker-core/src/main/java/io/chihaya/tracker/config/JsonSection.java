package io.chihaya.tracker.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One JSON object of the config file, read key by key with type and range checks that fail with a
 * message naming the key by its JSON path. Remembers which keys were read so the rest can be
 * reported as unknown. A {@code null} value counts as absent. Not thread-safe; used once per load.
 */
final class JsonSection {
    private static final int MAX_SHOWN_LENGTH = 60;

    private final String source;
    private final String prefix;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();
    private final List<JsonSection> children = new ArrayList<>();

    /** A section; {@code node} null when the section is absent. */
    JsonSection(String source, String prefix, JsonNode node) {
        this.source = source;
        this.prefix = prefix;
        this.node = node;
    }

    /** The object under {@code key}, empty when absent; an error when it is not an object. */
    JsonSection section(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isObject()) {
            throw error(key, "an object", value, false);
        }
        JsonSection child = new JsonSection(source, path(key) + ".", value);
        children.add(child);
        return child;
    }

    /** The file name used in messages. */
    String source() {
        return source;
    }

    /** Whether {@code key} is present with a non-null value. */
    boolean has(String key) {
        return node != null && node.hasNonNull(key);
    }

    /** The JSON path of {@code key}, e.g. {@code intervals.announce}. */
    String path(String key) {
        return prefix + key;
    }

    String string(String key, String fallback, boolean secret) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw error(key, "a string", value, secret);
        }
        return value.textValue();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error(key, "true or false", value, false);
        }
        return value.booleanValue();
    }

    /**
     * A whole number in {@code [min, max]}. A number with a zero fraction ({@code 30.0}) is whole.
     *
     * @param expectation what the value must be, for a wrong type, a fraction or a value below min
     * @param tooLarge    what the value must be, for a value above max
     */
    long whole(String key, long fallback, long min, long max, String expectation, String tooLarge) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw error(key, expectation, value, false);
        }
        BigDecimal number = value.decimalValue();
        if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0
                || number.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw error(key, expectation, value, false);
        }
        if (number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(key, tooLarge, value, false);
        }
        return number.longValueExact();
    }

    /** A number, fraction allowed, in {@code [min, max]}; messages as for {@link #whole}. */
    double number(String key, double fallback, double min, double max, String expectation, String tooLarge) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw error(key, expectation, value, false);
        }
        BigDecimal number = value.decimalValue();
        if (number.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw error(key, expectation, value, false);
        }
        if (number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(key, tooLarge, value, false);
        }
        return number.doubleValue();
    }

    /** Warnings for keys of this section and the sections below it that nothing read, in file order. */
    void unknownKeys(List<String> warnings) {
        if (node != null) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!read.contains(name)) {
                    warnings.add(source + ": unknown key \"" + path(name) + "\" ignored");
                }
            }
        }
        for (JsonSection child : children) {
            child.unknownKeys(warnings);
        }
    }

    /** {@code <source>: <path> must be <expectation>, got <value>}. */
    ConfigException error(String key, String expectation, JsonNode value, boolean secret) {
        return new ConfigException(source + ": " + path(key) + " must be " + expectation + ", got "
                + show(value, secret));
    }

    /** {@code <source>: <path> <message>}, for checks that involve more than one key. */
    ConfigException error(String key, String message) {
        return new ConfigException(source + ": " + path(key) + " " + message);
    }

    private JsonNode value(String key) {
        read.add(key);
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** The value as the operator wrote it, shortened; for a secret only its kind. */
    static String show(JsonNode value, boolean secret) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (secret) {
            return value.isTextual() ? "a string" : value.isNumber() ? "a number"
                    : "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        if (value.isNumber()) {
            return value.decimalValue().toString();
        }
        String text = value.toString(); // JSON form: strings quoted and escaped
        return text.length() > MAX_SHOWN_LENGTH ? text.substring(0, MAX_SHOWN_LENGTH) + "...\"" : text;
    }
}
