package io.chihaya.tracker.config;

import java.util.Locale;

/**
 * How to reach MariaDB with Connector/J 3.5: a JDBC URL with the credentials kept beside it, never
 * inside it, so the URL can be logged. Build one with {@link #of}; log it with {@link #describe}.
 * Immutable and thread-safe.
 *
 * <p>For the pool: {@code jdbcUrl = url()}, and {@code username()}/{@code password()} when they are
 * not null. They are null only when a {@code CHIHAYA_DB_DSN} URL names its own {@code user} or
 * {@code password} parameter, which then must not be overridden.
 *
 * @param url      {@code jdbc:mariadb://host:port/db}, {@code jdbc:mariadb://localhost/db?localSocket=/path},
 *                 or the {@code CHIHAYA_DB_DSN} URL as given
 * @param username the user name, or null when the URL carries it
 * @param password the password, or null when the URL carries it
 */
public record DatabaseUrl(String url, String username, String password) {
    private static final int MARIADB_PORT = 3306;
    private static final String MASK = "****";

    /** The URL and credentials of a database section: its {@code jdbcUrl} when set, else proto/addr/database. */
    public static DatabaseUrl of(TrackerConfig.Database database) {
        if (!database.jdbcUrl().isEmpty()) {
            String url = database.jdbcUrl();
            return new DatabaseUrl(url, hasParameter(url, "user") ? null : database.username(),
                    hasParameter(url, "password") ? null : database.password());
        }
        String url;
        if ("unix".equals(database.proto())) {
            // Connector/J opens a unix socket (through JNA) when localSocket is set; the host is then unused.
            url = "jdbc:mariadb://localhost/" + database.database() + "?localSocket=" + database.addr();
        } else {
            HostPort address = HostPort.parse(database.addr(), MARIADB_PORT).orElseThrow(
                    () -> new IllegalArgumentException("database.addr is not host:port: " + database.addr()));
            url = "jdbc:mariadb://" + address.urlHost() + ":" + address.port() + "/" + database.database();
        }
        return new DatabaseUrl(url, database.username(), database.password());
    }

    /**
     * One line for logs: the URL with any password in it masked, the user, and whether a password is set,
     * e.g. {@code jdbc:mariadb://127.0.0.1:3306/chihaya (user chihaya, password ****)}.
     */
    public String describe() {
        String user = username == null ? "from the URL" : username.isEmpty() ? "(none)" : username;
        String secret = password == null ? "from the URL" : password.isEmpty() ? "(empty)" : MASK;
        return mask(url) + " (user " + user + ", password " + secret + ")";
    }

    /** Same as {@link #describe}: the password never reaches a log through this record. */
    @Override
    public String toString() {
        return describe();
    }

    /**
     * The URL with the values of its password-like parameters ({@code password}, {@code keyStorePassword},
     * ...) and any {@code user:password@} part replaced by stars. Null and {@code ""} come back as given.
     */
    public static String mask(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        int query = url.indexOf('?');
        String head = query < 0 ? url : url.substring(0, query);
        int scheme = head.indexOf("//");
        int at = head.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            int colon = head.indexOf(':', scheme + 2);
            if (colon >= 0 && colon < at) {
                head = head.substring(0, colon + 1) + MASK + head.substring(at);
            }
        }
        if (query < 0) {
            return head;
        }
        StringBuilder out = new StringBuilder(head).append('?');
        String[] parameters = url.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            String parameter = parameters[i];
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            if (i > 0) {
                out.append('&');
            }
            if (equals >= 0 && isSecret(key)) {
                out.append(key).append('=').append(MASK);
            } else {
                out.append(parameter);
            }
        }
        return out.toString();
    }

    private static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.equals("pwd") || lower.contains("secret");
    }

    private static boolean hasParameter(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : url.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            if (key.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
