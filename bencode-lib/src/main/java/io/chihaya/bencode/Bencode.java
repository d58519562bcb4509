package io.chihaya.bencode;

/**
 * One-line conveniences for code off the hot path: {@code Bencode.encode(Map.of("a", 1L))},
 * {@code Bencode.decode(bytes)}. The hot path uses a reused {@link BencodeWriter} instead.
 */
public final class Bencode {
    private static final BencodeReader STRICT_READER = new BencodeReader();

    private Bencode() {
    }

    /** Encodes a value as {@link BencodeWriter#value(Object)} does. */
    public static byte[] encode(Object value) {
        return new BencodeWriter().value(value).toByteArray();
    }

    /** Decodes one value with the strict default options (see {@link BencodeReader}). */
    public static Object decode(byte[] input) {
        return STRICT_READER.decode(input);
    }
}
