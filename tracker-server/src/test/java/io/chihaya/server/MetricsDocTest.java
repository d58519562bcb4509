package io.chihaya.server;

import io.chihaya.tracker.flush.FlushQueues;
import io.chihaya.tracker.model.Registry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the metrics reference in docs/operator-guide.md true: every {@code chihaya_*} metric the
 * tracker exposes must be named there, so a metric added or renamed in {@link Metrics} without
 * its documentation fails the build. Starts nothing: it only renders the exposition text.
 */
class MetricsDocTest {
    private static final String GUIDE = "docs/operator-guide.md";
    private static final Pattern SAMPLE_NAME = Pattern.compile("^(?:# TYPE )?(chihaya_[a-zA-Z0-9_]+)",
            Pattern.MULTILINE);
    private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_sum", "_count", "_total", "_created");

    @Test
    void everyChihayaMetricIsDocumentedInTheOperatorGuide() throws IOException {
        String guide = Files.readString(findFromCheckoutRoot(GUIDE), StandardCharsets.UTF_8);
        Set<String> exposed = new TreeSet<>();
        exposed.addAll(names(new Metrics(new Registry(), null).scrape(true)));
        // With a flush backlog the tracker also exposes chihaya_flush_backlog_rows.
        exposed.addAll(names(new Metrics(new Registry(), new FlushQueues()::backlog).scrape(true)));

        assertThat(exposed).as("metric names found in the exposition").contains("chihaya_requests",
                "chihaya_flush_backlog_rows");
        List<String> undocumented = new ArrayList<>();
        for (String name : exposed) {
            if (!documented(guide, name)) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).as("chihaya_* metrics missing from " + GUIDE).isEmpty();
    }

    /** A name counts as documented when it, or its metric name without a series suffix, is in the guide. */
    private static boolean documented(String guide, String name) {
        if (mentions(guide, name)) {
            return true;
        }
        for (String suffix : SERIES_SUFFIXES) {
            if (name.endsWith(suffix) && mentions(guide, name.substring(0, name.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(String text, String name) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])").matcher(text).find();
    }

    private static Set<String> names(byte[] exposition) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SAMPLE_NAME.matcher(new String(exposition, StandardCharsets.UTF_8));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Surefire runs in the module directory; the docs are at the checkout root. */
    private static Path findFromCheckoutRoot(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
