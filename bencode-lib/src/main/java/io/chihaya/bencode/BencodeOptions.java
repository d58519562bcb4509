package io.chihaya.bencode;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link BencodeReader} treats its input. Immutable; start from {@link #defaults()}.
 *
 * @param strict          true (the default) rejects unsorted and duplicate dictionary keys; false
 *                        accepts them, reports each to {@code warnings}, and keeps the last value
 *                        of a duplicate key (at the position of its first occurrence)
 * @param maxDepth        how many lists and dictionaries may be open at once (1 to
 *                        {@value #MAX_DEPTH_LIMIT}; default {@value #DEFAULT_MAX_DEPTH})
 * @param maxStringLength the longest byte string accepted, in bytes (default
 *                        {@value #DEFAULT_MAX_STRING_LENGTH}, 64 MiB)
 * @param maxIntegerDigits the most digits an integer may have (default
 *                        {@value #DEFAULT_MAX_INTEGER_DIGITS}); integers beyond 64 bits are
 *                        accepted as {@link java.math.BigInteger}, but converting millions of
 *                        digits takes quadratic time, so hostile input is cut off here
 * @param warnings        receives what lenient mode accepted; ignored in strict mode
 */
public record BencodeOptions(boolean strict, int maxDepth, int maxStringLength, int maxIntegerDigits,
                             Consumer<BencodeWarning> warnings) {
    /** Default nesting limit: far beyond any real torrent or tracker response. */
    public static final int DEFAULT_MAX_DEPTH = 512;
    /** Hard ceiling for {@code maxDepth}, so that recursive consumers of decoded values stay safe. */
    public static final int MAX_DEPTH_LIMIT = 100_000;
    /** Default string limit, 64 MiB: the {@code pieces} of an 800 GB torrent at 256 KiB pieces. */
    public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024 * 1024;
    /** Default integer limit: about 33,000 bits, yet still parsed in well under a millisecond. */
    public static final int DEFAULT_MAX_INTEGER_DIGITS = 10_000;

    private static final Consumer<BencodeWarning> IGNORE = warning -> { };
    private static final BencodeOptions DEFAULTS =
            new BencodeOptions(true, DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_INTEGER_DIGITS, IGNORE);

    /** Checks the limits; a null {@code warnings} means "ignore warnings". */
    public BencodeOptions {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxDepth must be between 1 and " + MAX_DEPTH_LIMIT + ", got " + maxDepth);
        }
        if (maxStringLength < 0) {
            throw new IllegalArgumentException("maxStringLength must not be negative, got " + maxStringLength);
        }
        if (maxIntegerDigits < 1) {
            throw new IllegalArgumentException("maxIntegerDigits must be at least 1, got " + maxIntegerDigits);
        }
        warnings = Objects.requireNonNullElse(warnings, IGNORE);
    }

    /** Strict, depth {@value #DEFAULT_MAX_DEPTH}, strings up to 64 MiB, integers up to {@value #DEFAULT_MAX_INTEGER_DIGITS} digits, warnings ignored. */
    public static BencodeOptions defaults() {
        return DEFAULTS;
    }

    /** These options in lenient mode. */
    public BencodeOptions lenient() {
        return withStrict(false);
    }

    /** These options with {@code strict} replaced. */
    public BencodeOptions withStrict(boolean newStrict) {
        return new BencodeOptions(newStrict, maxDepth, maxStringLength, maxIntegerDigits, warnings);
    }

    /** These options with {@code maxDepth} replaced. */
    public BencodeOptions withMaxDepth(int newMaxDepth) {
        return new BencodeOptions(strict, newMaxDepth, maxStringLength, maxIntegerDigits, warnings);
    }

    /** These options with {@code maxStringLength} replaced. */
    public BencodeOptions withMaxStringLength(int newMaxStringLength) {
        return new BencodeOptions(strict, maxDepth, newMaxStringLength, maxIntegerDigits, warnings);
    }

    /** These options with {@code maxIntegerDigits} replaced. */
    public BencodeOptions withMaxIntegerDigits(int newMaxIntegerDigits) {
        return new BencodeOptions(strict, maxDepth, maxStringLength, newMaxIntegerDigits, warnings);
    }

    /** These options with {@code warnings} replaced (null ignores warnings). */
    public BencodeOptions withWarnings(Consumer<BencodeWarning> newWarnings) {
        return new BencodeOptions(strict, maxDepth, maxStringLength, maxIntegerDigits, newWarnings);
    }
}
