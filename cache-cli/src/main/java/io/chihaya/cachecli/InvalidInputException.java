package io.chihaya.cachecli;

/**
 * JSON given to {@code cc load} that cannot become a cache: the message is the JSON path of the bad
 * value and why, e.g. {@code torrents[3].peers[0].peer_id: expected 40 hex digits, got 38}.
 */
final class InvalidInputException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidInputException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
    }
}
