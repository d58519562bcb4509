package io.chihaya.bencode;

/**
 * Something a lenient {@link BencodeReader} accepted that strict mode would reject
 * (an unsorted or duplicate dictionary key), with the byte offset it was found at.
 *
 * @param offset byte offset from the start of the input
 * @param reason what was wrong, e.g. {@code duplicate dictionary key "a"}
 */
public record BencodeWarning(long offset, String reason) {

    /** One line: {@code byte 17: duplicate dictionary key "a"}. */
    @Override
    public String toString() {
        return "byte " + offset + ": " + reason;
    }
}
