package io.chihaya.bencode.cli;

/** A failure the user caused (bad input, missing file, bad arguments), reported as one line and an exit code. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    UserError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
