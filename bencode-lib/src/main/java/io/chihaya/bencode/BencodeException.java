package io.chihaya.bencode;

/**
 * Thrown when input is not acceptable bencode (or, from {@link BencodeJson}, not
 * acceptable JSON or not representable as bencode).
 *
 * <p>The message is one line meant for a user, e.g. {@code invalid bencode at byte 17:
 * leading zero in integer}. For bencode input, {@link #offset()} is the byte offset the
 * problem was found at, counted from the start of the input; otherwise it is -1.
 * Unchecked, so that decoding trusted data does not force a try block on the caller.
 */
public final class BencodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /** A problem at a byte offset of bencode input; the message names both. */
    public BencodeException(long offset, String reason) {
        super("invalid bencode at byte " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** A problem with no byte offset (JSON input, values that cannot be bencoded). */
    public BencodeException(String message) {
        super(message);
        this.offset = -1;
        this.reason = message;
    }

    /** A problem with no byte offset, caused by another exception. */
    public BencodeException(String message, Throwable cause) {
        super(message, cause);
        this.offset = -1;
        this.reason = message;
    }

    /** The byte offset in the input where the problem was found, or -1 when there is none. */
    public long offset() {
        return offset;
    }

    /** The message without the {@code invalid bencode at byte N: } prefix. */
    public String reason() {
        return reason;
    }
}
