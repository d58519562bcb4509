package io.chihaya.cachecli;

/** A failure the user can fix, reported as one line {@code cc: <message>} with exit code 1. */
final class UserError extends Exception {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
