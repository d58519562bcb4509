package io.chihaya.bencode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decodes bencode into plain Java values:
 * <ul>
 *   <li>integers: {@link Long}, or {@link java.math.BigInteger} only when the value does not fit a long;</li>
 *   <li>byte strings: {@link BString} (lossless for any bytes, usable as a map key);</li>
 *   <li>lists: a mutable {@code List<Object>} ({@link java.util.ArrayList});</li>
 *   <li>dictionaries: a mutable {@code Map<BString, Object>} ({@link java.util.LinkedHashMap}) in input order.</li>
 * </ul>
 *
 * <p>The input must be exactly one value. Anything else is rejected with a {@link BencodeException}
 * whose message gives the byte offset and the reason: leading zeros, {@code -0}, empty integers,
 * a missing {@code e}, truncated strings, trailing data, nesting or strings or integers over the
 * limits of the {@link BencodeOptions}, and (in strict mode) unsorted or duplicate dictionary keys.
 * No other exception escapes for bad input (an {@link IOException} means the stream itself failed).
 *
 * <p>Immutable and thread-safe: each call decodes independently.
 */
public final class BencodeReader {
    private final BencodeOptions options;

    /** A strict reader with the default limits. */
    public BencodeReader() {
        this(BencodeOptions.defaults());
    }

    /** A reader with the given options. */
    public BencodeReader(BencodeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The options this reader applies. */
    public BencodeOptions options() {
        return options;
    }

    /** Decodes the whole array as one value. */
    public Object decode(byte[] input) {
        return decode(input, 0, input.length);
    }

    /** Decodes {@code length} bytes from {@code offset} as one value; error offsets count from {@code offset}. */
    public Object decode(byte[] input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.length);
        try {
            return Parser.overArray(options, input, offset, length).parseWhole();
        } catch (IOException impossible) {
            throw new IllegalStateException("array input cannot fail to read", impossible);
        }
    }

    /**
     * Reads {@code input} to its end and decodes it as one value; the stream is not closed.
     * Memory grows with the bytes actually read, never with a declared string length alone.
     *
     * @throws IOException when reading the stream fails
     */
    public Object decode(InputStream input) throws IOException {
        return Parser.overStream(options, Objects.requireNonNull(input, "input")).parseWhole();
    }
}
