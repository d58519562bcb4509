package io.chihaya.tracker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/configuration.md lists exactly the keys the loader reads, with the loader's defaults and limits. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_.]+)` \\| (\\w+) \\| `([^`]*)` \\|");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private record Row(String type, String defaultJson) {
    }

    private static Map<String, Row> rows() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher matcher = ROW.matcher(line);
            if (matcher.find()) {
                rows.put(matcher.group(1), new Row(matcher.group(2), matcher.group(3)));
            }
        }
        return rows;
    }

    /** {"a": {"b": value}} for path "a.b". */
    private static String withKey(String path, String valueJson) {
        int dot = path.indexOf('.');
        return dot < 0 ? "{\"" + path + "\": " + valueJson + "}"
                : "{\"" + path.substring(0, dot) + "\": {\"" + path.substring(dot + 1) + "\": " + valueJson + "}}";
    }

    @Test
    void documentsEveryKeyOfTheReferenceFormatAndTheNumwantFallbacks() throws IOException {
        Set<String> expected = new TreeSet<>(Set.of("intervals.numwant", "intervals.max_numwant"));
        JsonNode example = JSON.readTree(ConfigLoaderTest.REFERENCE_EXAMPLE);
        for (Iterator<Map.Entry<String, JsonNode>> top = example.fields(); top.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = top.next();
            if (entry.getValue().isObject()) {
                entry.getValue().fieldNames().forEachRemaining(name -> expected.add(entry.getKey() + "." + name));
            } else {
                expected.add(entry.getKey());
            }
        }

        assertThat(new TreeSet<>(rows().keySet())).isEqualTo(expected);
    }

    @Test
    void everyDocumentedDefaultIsTheLoadersDefault() throws IOException {
        for (Map.Entry<String, Row> row : rows().entrySet()) {
            String json = withKey(row.getKey(), row.getValue().defaultJson());
            ConfigResult result = ConfigLoaderTest.parse(loader, json);

            assertThat(result.config()).as(json).isEqualTo(TrackerConfig.defaults());
            assertThat(result.warnings()).as(json).isEmpty();
            JsonNode value = JSON.readTree(row.getValue().defaultJson());
            boolean typeMatches = switch (row.getValue().type()) {
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "string" -> value.isTextual();
                case "boolean" -> value.isBoolean();
                default -> false;
            };
            assertThat(typeMatches).as("type of " + row.getKey()).isTrue();
        }
    }

    @Test
    void everyDocumentedKeyIsTypeChecked() throws IOException {
        for (String path : rows().keySet()) {
            assertThatThrownBy(() -> ConfigLoaderTest.parse(loader, withKey(path, "{}")))
                    .as(path).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("config.json: " + path + " must be ")
                    .hasMessageEndingWith(", got an object");
        }
    }

    @Test
    void theDocumentedLimitsAreTheLoadersLimits() throws IOException {
        String doc = Files.readString(DOC);

        assertThat(doc).contains("at most " + ConfigLoader.MAX_INTERVAL_SECONDS + " |")
                .contains("1 to " + ConfigLoader.MAX_CHANNEL + " |")
                .contains("0 to " + ConfigLoader.MAX_NUMWANT + ", at most `max_numwant`")
                .contains("| 1 to " + ConfigLoader.MAX_NUMWANT + " |")
                .contains("0 to " + (long) ConfigLoader.MAX_DEADLOCK_PAUSE_SECONDS + ", fractions allowed")
                .contains("0 to " + ConfigLoader.MAX_DEADLOCK_RETRIES + " |")
                .contains(String.format(java.util.Locale.ROOT, "Up to %,d lines", io.chihaya.tracker.recorder.AnnounceRecorder.DEFAULT_CAPACITY));
    }
}
