package io.chihaya.tracker.config;

import java.util.Optional;

/**
 * A network address written {@code [host]:port}: {@code :34000}, {@code 0.0.0.0:34000},
 * {@code 127.0.0.1:3306}, {@code db.example:3306} or {@code [::1]:3306}. An IPv6 host must be in
 * brackets. The host is kept as written (without brackets); no name is ever resolved here.
 * Immutable and thread-safe.
 *
 * @param host the host, {@code ""} when the text gave none (listen on every interface, or connect to
 *             this machine)
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {
    /** Pass to {@link #parse} when the text must carry its own port. */
    public static final int NO_DEFAULT_PORT = -1;

    /**
     * Parses {@code [host][:port]}.
     *
     * @param defaultPort the port when the text has none, or {@link #NO_DEFAULT_PORT} to require one
     * @return empty when the text is not such an address
     */
    public static Optional<HostPort> parse(String text, int defaultPort) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String port;
        if (text.charAt(0) == '[') {
            int end = text.indexOf(']');
            if (end < 0 || !isIpv6(text.substring(1, end))) {
                return Optional.empty();
            }
            host = text.substring(1, end);
            String after = text.substring(end + 1);
            if (after.isEmpty()) {
                port = null;
            } else if (after.charAt(0) == ':') {
                port = after.substring(1);
            } else {
                return Optional.empty();
            }
        } else {
            int colon = text.indexOf(':');
            if (colon != text.lastIndexOf(':')) {
                return Optional.empty(); // a bare IPv6 address: ambiguous without brackets
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (!isHostName(host)) {
                return Optional.empty();
            }
        }
        if (port == null) {
            return defaultPort == NO_DEFAULT_PORT || host.isEmpty()
                    ? Optional.empty() : Optional.of(new HostPort(host, defaultPort));
        }
        int number = parsePort(port);
        return number < 0 ? Optional.empty() : Optional.of(new HostPort(host, number));
    }

    /** The host to bind a listening socket to: {@code 0.0.0.0} when none was given. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    /** The host to connect to: {@code localhost} when none was given, IPv6 in brackets (URL form). */
    public String urlHost() {
        if (host.isEmpty()) {
            return "localhost";
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** {@code host:port} as it would be written in the config, IPv6 in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 65535 ? value : -1;
    }

    /** Letters, digits, '.', '-' and '_': a DNS name or a dotted IPv4 address (or nothing). */
    private static boolean isHostName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Hex digits, ':' and '.', at least one ':' (not a full check; the socket layer has the last word). */
    private static boolean isIpv6(String host) {
        if (host.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }
}
