package io.chihaya.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A MariaDB server and the login the tests use on it, parsed from a {@code jdbc:mariadb://} URL
 * such as {@code jdbc:mariadb://127.0.0.1:3306/?user=root&password=secret}.
 *
 * <p>The query string is kept verbatim, so driver options in it (for example {@code localSocket=})
 * carry over to every URL built from this address. Immutable and thread-safe.
 *
 * @param host the host name or address, without brackets for IPv6
 * @param port the TCP port
 * @param user the {@code user} parameter, empty when absent
 * @param password the {@code password} parameter, empty when absent
 * @param query the URL's query string without the {@code ?}, possibly empty
 */
record ServerAddress(String host, int port, String user, String password, String query) {

    private static final String SCHEME = "jdbc:mariadb://";
    private static final int DEFAULT_PORT = 3306;

    /**
     * Parses a single-host {@code jdbc:mariadb://host[:port][/database][?parameters]} URL; the
     * database part, if any, is ignored.
     *
     * @throws IllegalArgumentException naming the URL when it is not of that form
     */
    static ServerAddress parse(String url) {
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a jdbc:mariadb:// URL: " + url);
        }
        String rest = url.substring(SCHEME.length());
        int queryStart = rest.indexOf('?');
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        if (authority.contains(",") || authority.contains("@") || authority.contains("(")) {
            throw new IllegalArgumentException("expected one plain host[:port] in " + url);
        }
        String host;
        String portText = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in " + url);
            }
            host = authority.substring(1, close);
            if (authority.length() > close + 1) {
                if (authority.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':' after ']' in " + url);
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? "" : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        int port = DEFAULT_PORT;
        if (!portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port '" + portText + "' is not a number in " + url, e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range in " + url);
            }
        }
        return new ServerAddress(host, port, parameter(query, "user"), parameter(query, "password"), query);
    }

    /** The URL of {@code database} on this server with this address's parameters; "" for no database. */
    String jdbcUrl(String database) {
        return SCHEME + hostAndPort() + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    /** Like {@link #jdbcUrl(String)} with one more parameter, unless the query already sets it. */
    String jdbcUrl(String database, String name, String value) {
        if (hasParameter(query, name)) {
            return jdbcUrl(database);
        }
        String extra = name + "=" + value;
        return SCHEME + hostAndPort() + "/" + database + "?" + (query.isEmpty() ? extra : query + "&" + extra);
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        // Never print the password: this ends up in test logs.
        return "ServerAddress[" + hostAndPort() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }

    private static boolean hasParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if ((equals < 0 ? pair : pair.substring(0, equals)).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
