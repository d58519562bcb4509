package io.chihaya.tracker.config;

/**
 * A configuration the tracker cannot start with. The message is one line meant for the operator,
 * naming the file or environment variable and the key, e.g.
 * {@code config.json: intervals.announce must be a positive whole number of seconds, got -5};
 * it never contains a password.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
