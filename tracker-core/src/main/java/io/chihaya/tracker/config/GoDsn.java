package io.chihaya.tracker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A database DSN in the Go MySQL driver's form, as the reference reads {@code DB_DSN}:
 * {@code [user[:password]@]tcp(host:port)/database[?params]} or
 * {@code [user[:password]@]unix(/socket/path)/database[?params]}.
 *
 * <p>The password may hold any character, ':' and '@' included: the credentials end at the last
 * {@code @tcp(} or {@code @unix(}, and the user name at the first ':'. Parameters are not applied;
 * their names are returned so the caller can warn. Immutable; {@link #toString} hides the password.
 *
 * @param username   user name, may be empty
 * @param password   password, may be empty
 * @param proto      {@code tcp} or {@code unix}
 * @param address    what stood inside the parentheses
 * @param database   database name
 * @param parameters names of the {@code ?} parameters, in order
 */
record GoDsn(String username, String password, String proto, String address, String database,
             List<String> parameters) {

    static final String EXPECTED = "expected user:password@tcp(host:port)/database"
            + " or user:password@unix(/socket/path)/database";

    GoDsn {
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses a DSN.
     *
     * @param variable the environment variable it came from, for messages
     * @throws ConfigException naming the variable and what is wrong, never quoting the DSN
     */
    static GoDsn parse(String variable, String dsn) {
        int at = Math.max(dsn.lastIndexOf("@tcp("), dsn.lastIndexOf("@unix("));
        String credentials;
        int protoStart;
        if (at >= 0) {
            credentials = dsn.substring(0, at);
            protoStart = at + 1;
        } else if (dsn.startsWith("tcp(") || dsn.startsWith("unix(")) {
            credentials = "";
            protoStart = 0;
        } else {
            throw malformed(variable, "no tcp(...) or unix(...) address");
        }
        int open = dsn.indexOf('(', protoStart);
        String proto = dsn.substring(protoStart, open);
        int close = dsn.indexOf(")/", open);
        if (close < 0) {
            throw malformed(variable, "the address is not followed by \")/database\"");
        }
        String address = dsn.substring(open + 1, close);
        if (address.isEmpty()) {
            throw malformed(variable, "the address in " + proto + "() is empty");
        }
        String rest = dsn.substring(close + 2);
        int question = rest.indexOf('?');
        String database = question < 0 ? rest : rest.substring(0, question);
        if (database.isEmpty()) {
            throw malformed(variable, "no database name after the address");
        }
        List<String> parameters = new ArrayList<>();
        if (question >= 0) {
            for (String parameter : rest.substring(question + 1).split("&")) {
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                if (!name.isEmpty()) {
                    parameters.add(name);
                }
            }
        }
        int colon = credentials.indexOf(':');
        String username = colon < 0 ? credentials : credentials.substring(0, colon);
        String password = colon < 0 ? "" : credentials.substring(colon + 1);
        return new GoDsn(username, password, proto, address, database, parameters);
    }

    private static ConfigException malformed(String variable, String reason) {
        return new ConfigException(variable + " is malformed (" + reason + "): " + EXPECTED);
    }

    @Override
    public String toString() {
        return "GoDsn[username=" + username + ", password=" + (password.isEmpty() ? "" : "****") + ", proto="
                + proto + ", address=" + address + ", database=" + database + ", parameters=" + parameters + "]";
    }
}
