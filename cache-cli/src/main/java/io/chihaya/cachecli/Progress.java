package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheProgress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One status line on stderr, redrawn in place, for operations on large caches: shown only on a
 * terminal and only once an operation has run for half a second (small files stay silent), at most
 * five redraws a second. When disabled every method does nothing. Not thread-safe.
 */
final class Progress {
    private static final long DELAY_NANOS = 500_000_000L;
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongSupplier nanoTime;
    private long started;
    private long lastDrawn;
    private int lastWidth;

    Progress(PrintWriter err, boolean enabled, LongSupplier nanoTime) {
        this.err = err;
        this.enabled = enabled;
        this.nanoTime = nanoTime;
    }

    /** A progress sink for one phase ("reading", "writing") counted in entries. */
    CacheProgress phase(String label) {
        if (!enabled) {
            return CacheProgress.NONE;
        }
        started = nanoTime.getAsLong();
        lastDrawn = 0;
        return (done, total) -> show(label, done, total);
    }

    /** Shows a count with no known total. */
    void count(String label, long done) {
        if (enabled) {
            show(label, done, -1);
        }
    }

    /** Starts the clock for {@link #count}. */
    void start() {
        started = nanoTime.getAsLong();
        lastDrawn = 0;
    }

    /** Erases the status line, if one was drawn. */
    void clear() {
        if (enabled && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }

    private void show(String label, long done, long total) {
        long now = nanoTime.getAsLong();
        if (now - started < DELAY_NANOS || (lastDrawn != 0 && now - lastDrawn < INTERVAL_NANOS && done != total)) {
            return;
        }
        lastDrawn = now;
        String line = total > 0
                ? String.format(Locale.ROOT, "cc: %s %,d of %,d entries (%d%%)", label, done, total, done * 100 / total)
                : String.format(Locale.ROOT, "cc: %s %,d entries", label, done);
        err.print("\r" + line + (line.length() < lastWidth ? " ".repeat(lastWidth - line.length()) : ""));
        err.flush();
        lastWidth = Math.max(lastWidth, line.length());
    }
}
