package io.chihaya.tracker.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code config.json} (the reference's 2021 format, every key optional) and the database
 * overrides from the environment into one validated {@link TrackerConfig}.
 *
 * <p>Fails fast: a file that is not JSON, a key of the wrong type or an impossible value throws a
 * {@link ConfigException} with one line naming the key by its JSON path. Soft problems (no file,
 * unknown keys, ignored DSN parameters, odd but workable intervals) become warnings in the
 * {@link ConfigResult}. The limits are public constants and documented in
 * {@code docs/configuration.md}. Thread-safe (holds only the environment).
 *
 * <p>A server calls {@code new ConfigLoader(System.getenv()).read(path)}, logs each warning and
 * {@link ConfigResult#describe()}, and exits 1 with the message of a {@link ConfigException};
 * or simply {@link #load}, which does the logging itself.
 */
public final class ConfigLoader {
    /** Longest interval accepted, in seconds (365 days): anything longer is a typo. */
    public static final long MAX_INTERVAL_SECONDS = 365L * 24 * 60 * 60;
    /** Largest flush queue capacity accepted. */
    public static final long MAX_CHANNEL = 10_000_000;
    /** Most peers an announce may return ({@code max_numwant} and {@code numwant} ceiling). */
    public static final long MAX_NUMWANT = 1000;
    /** Longest base pause between deadlock retries, in seconds (the pause grows with each attempt). */
    public static final double MAX_DEADLOCK_PAUSE_SECONDS = 60;
    /** Most deadlock retries accepted. */
    public static final long MAX_DEADLOCK_RETRIES = 100;

    /** The environment variable holding a Go-style DSN. */
    public static final String DB_DSN = "DB_DSN";
    /** The environment variable holding a {@code jdbc:mariadb://} URL; wins over everything. */
    public static final String CHIHAYA_DB_DSN = "CHIHAYA_DB_DSN";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String POSITIVE_SECONDS = "a positive whole number of seconds";
    private static final String TOO_LONG = "at most " + MAX_INTERVAL_SECONDS + " seconds (365 days)";
    private static final String HTTP_TOKEN_PUNCTUATION = "!#$%&'*+-.^_`|~";

    private final Map<String, String> environment;

    /** A loader that reads the database overrides from {@code environment} (e.g. {@code System.getenv()}). */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Reads the file and the environment, logs the warnings (WARN) and the effective settings (INFO).
     *
     * @throws ConfigException when the tracker must not start
     */
    public TrackerConfig load(Path path) {
        ConfigResult result = read(path);
        result.warnings().forEach(LOG::warn);
        LOG.info("config: {}", result.describe());
        return result.config();
    }

    /**
     * Reads the file and the environment. A missing file means all defaults, with a warning.
     *
     * @throws ConfigException when the tracker must not start
     */
    public ConfigResult read(Path path) {
        String source = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            List<String> warnings = new ArrayList<>();
            warnings.add(source + ": not found, using the defaults");
            return build(source, JsonTree.emptyObject(), warnings);
        } catch (AccessDeniedException e) {
            throw new ConfigException(source + ": cannot be read: permission denied");
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        return parse(bytes, source);
    }

    /** Reads config JSON already in memory; {@code source} names it in messages. */
    ConfigResult parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = JsonTree.read(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid JSON" + where(e.getLocation()) + ": " + reason(e));
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(source + ": is empty; expected a JSON object such as {\"addr\": \":34000\"}");
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": must hold a JSON object, got " + JsonSection.show(root, true));
        }
        return build(source, root, new ArrayList<>());
    }

    private ConfigResult build(String source, JsonNode root, List<String> warnings) {
        JsonSection top = new JsonSection(source, "", root);
        TrackerConfig.Database database = readDatabase(top.section("database"));
        TrackerConfig.Channels channels = readChannels(top.section("channels"));
        JsonSection intervalSection = top.section("intervals");
        TrackerConfig.Intervals intervals = readIntervals(intervalSection, warnings);
        TrackerConfig defaults = TrackerConfig.defaults();

        String addr = top.string("addr", defaults.addr(), false);
        if (HostPort.parse(addr, HostPort.NO_DEFAULT_PORT).isEmpty()) {
            throw top.error("addr", "[host]:port with a port from 1 to 65535 (\":34000\", \"127.0.0.1:34000\","
                    + " \"[::]:34000\")", TextNode.valueOf(addr), false);
        }
        String adminToken = top.string("admin_token", defaults.adminToken(), true);
        String proxy = top.string("proxy", defaults.proxy(), false);
        if (!isHttpToken(proxy)) {
            throw top.error("proxy", "an HTTP header name such as \"X-Real-Ip\" (letters, digits and "
                    + HTTP_TOKEN_PUNCTUATION + ") or \"\"", TextNode.valueOf(proxy), false);
        }
        boolean record = top.bool("record", defaults.record());
        boolean scrape = top.bool("scrape", defaults.scrape());
        boolean logFlushes = top.bool("log_flushes", defaults.logFlushes());
        boolean strictPort = top.bool("strict_port", defaults.strictPort());
        boolean flushGroups = top.bool("flush_groups", defaults.flushGroups());

        Numwant numwant = readNumwant(top, intervalSection, defaults, warnings);
        top.unknownKeys(warnings);

        String databaseSource = source;
        String chihayaDsn = variable(CHIHAYA_DB_DSN);
        String goDsn = variable(DB_DSN);
        if (chihayaDsn != null) {
            if (!chihayaDsn.startsWith("jdbc:mariadb://")) {
                throw new ConfigException(CHIHAYA_DB_DSN + " must be a jdbc:mariadb:// URL, e.g."
                        + " jdbc:mariadb://127.0.0.1:3306/chihaya?user=chihaya&password=...");
            }
            database = new TrackerConfig.Database(database.username(), database.password(), database.database(),
                    database.proto(), database.addr(), database.deadlockPause(), database.deadlockRetries(),
                    chihayaDsn);
            databaseSource = CHIHAYA_DB_DSN;
            if (goDsn != null) {
                warnings.add(DB_DSN + " ignored: " + CHIHAYA_DB_DSN + " is set and wins");
            }
        } else if (goDsn != null) {
            database = applyGoDsn(GoDsn.parse(DB_DSN, goDsn), database, warnings);
            databaseSource = DB_DSN;
        }
        TrackerConfig config = new TrackerConfig(database, channels, intervals, addr, adminToken, proxy, record,
                scrape, logFlushes, strictPort, flushGroups, numwant.numwant, numwant.maxNumwant);
        return new ConfigResult(config, warnings, databaseSource);
    }

    private static TrackerConfig.Database readDatabase(JsonSection section) {
        TrackerConfig.Database defaults = TrackerConfig.Database.defaults();
        String username = section.string("username", defaults.username(), false);
        String password = section.string("password", defaults.password(), true);
        String name = section.string("database", defaults.database(), false);
        String proto = section.string("proto", defaults.proto(), false);
        String addr = section.string("addr", defaults.addr(), false);
        double pause = section.number("deadlock_pause", defaults.deadlockPause(), 0, MAX_DEADLOCK_PAUSE_SECONDS,
                "a number of seconds, 0 or more", "at most " + (long) MAX_DEADLOCK_PAUSE_SECONDS + " seconds");
        int retries = (int) section.whole("deadlock_retries", defaults.deadlockRetries(), 0, MAX_DEADLOCK_RETRIES,
                "a whole number, 0 or more", "at most " + MAX_DEADLOCK_RETRIES);
        String nameProblem = databaseNameProblem(name);
        if (nameProblem != null) {
            throw section.error("database", nameProblem, TextNode.valueOf(name), false);
        }
        if (!"tcp".equals(proto) && !"unix".equals(proto)) {
            throw section.error("proto", "\"tcp\" or \"unix\"", TextNode.valueOf(proto), false);
        }
        String addrProblem = databaseAddressProblem(proto, addr);
        if (addrProblem != null) {
            throw section.error("addr", addrProblem + " when " + section.path("proto") + " is \"" + proto + "\"",
                    TextNode.valueOf(addr), false);
        }
        return new TrackerConfig.Database(username, password, name, proto, addr, pause, retries);
    }

    private static TrackerConfig.Channels readChannels(JsonSection section) {
        TrackerConfig.Channels defaults = TrackerConfig.Channels.defaults();
        return new TrackerConfig.Channels(
                channel(section, "torrent", defaults.torrent()),
                channel(section, "user", defaults.user()),
                channel(section, "transfer_history", defaults.transferHistory()),
                channel(section, "transfer_ips", defaults.transferIps()),
                channel(section, "snatch", defaults.snatch()));
    }

    private static int channel(JsonSection section, String key, int fallback) {
        return (int) section.whole(key, fallback, 1, MAX_CHANNEL, "a positive whole number",
                "at most " + MAX_CHANNEL);
    }

    private static TrackerConfig.Intervals readIntervals(JsonSection section, List<String> warnings) {
        TrackerConfig.Intervals defaults = TrackerConfig.Intervals.defaults();
        int announce = seconds(section, "announce", defaults.announce());
        int minAnnounce = seconds(section, "min_announce", defaults.minAnnounce());
        int peerInactivity = seconds(section, "peer_inactivity", defaults.peerInactivity());
        int announceDrift = (int) section.whole("announce_drift", defaults.announceDrift(), 0, MAX_INTERVAL_SECONDS,
                "a whole number of seconds, 0 or more", TOO_LONG);
        int scrape = seconds(section, "scrape", defaults.scrape());
        int databaseReload = seconds(section, "database_reload", defaults.databaseReload());
        int databaseSerialize = seconds(section, "database_serialize", defaults.databaseSerialize());
        int purgeInactivePeers = seconds(section, "purge_inactive_peers", defaults.purgeInactivePeers());
        int flush = seconds(section, "flush", defaults.flush());
        String source = section.source() + ": ";
        if (minAnnounce > announce) {
            warnings.add(source + section.path("min_announce") + " (" + minAnnounce + ") is longer than "
                    + section.path("announce") + " (" + announce + "): clients are told to wait longer than"
                    + " the interval they are given");
        }
        if ((long) peerInactivity < (long) announce + announceDrift) {
            warnings.add(source + section.path("peer_inactivity") + " (" + peerInactivity + ") is shorter than "
                    + section.path("announce") + " + " + section.path("announce_drift") + " ("
                    + ((long) announce + announceDrift) + "): peers may be purged before their next announce");
        }
        return new TrackerConfig.Intervals(announce, minAnnounce, peerInactivity, announceDrift, scrape,
                databaseReload, databaseSerialize, purgeInactivePeers, flush);
    }

    private static int seconds(JsonSection section, String key, int fallback) {
        return (int) section.whole(key, fallback, 1, MAX_INTERVAL_SECONDS, POSITIVE_SECONDS, TOO_LONG);
    }

    private record Numwant(int numwant, int maxNumwant) {
    }

    /** Top-level {@code numwant}/{@code max_numwant}, or the reference's {@code intervals.*} ones. */
    private static Numwant readNumwant(JsonSection top, JsonSection intervals, TrackerConfig defaults,
                                       List<String> warnings) {
        JsonSection numwantFrom = pick(top, intervals, "numwant", warnings);
        JsonSection maxFrom = pick(top, intervals, "max_numwant", warnings);
        int numwant = (int) numwantFrom.whole("numwant", defaults.numwant(), 0, MAX_NUMWANT,
                "a whole number, 0 or more", "at most " + MAX_NUMWANT);
        int maxNumwant = (int) maxFrom.whole("max_numwant", defaults.maxNumwant(), 1, MAX_NUMWANT,
                "a positive whole number", "at most " + MAX_NUMWANT);
        if (numwant > maxNumwant) {
            throw numwantFrom.error("numwant", "(" + numwant + ") must not be more than "
                    + maxFrom.path("max_numwant") + " (" + maxNumwant + ")");
        }
        return new Numwant(numwant, maxNumwant);
    }

    /** The section {@code key} is taken from: top-level when there, else intervals; validates both. */
    private static JsonSection pick(JsonSection top, JsonSection intervals, String key, List<String> warnings) {
        if (!intervals.has(key)) {
            return top;
        }
        long fromIntervals = intervals.whole(key, 0, 0, MAX_NUMWANT, "a whole number, 0 or more",
                "at most " + MAX_NUMWANT);
        if (!top.has(key)) {
            return intervals;
        }
        long fromTop = top.whole(key, 0, 0, MAX_NUMWANT, "a whole number, 0 or more", "at most " + MAX_NUMWANT);
        if (fromTop != fromIntervals) {
            warnings.add(top.source() + ": " + intervals.path(key) + " (" + fromIntervals + ") ignored: the top-level "
                    + top.path(key) + " (" + fromTop + ") wins");
        }
        return top;
    }

    private static TrackerConfig.Database applyGoDsn(GoDsn dsn, TrackerConfig.Database database,
                                                     List<String> warnings) {
        String addrProblem = databaseAddressProblem(dsn.proto(), dsn.address());
        if (addrProblem != null) {
            throw new ConfigException(DB_DSN + ": the " + dsn.proto() + "(...) address must be " + addrProblem
                    + ", got " + TextNode.valueOf(dsn.address()));
        }
        String nameProblem = databaseNameProblem(dsn.database());
        if (nameProblem != null) {
            throw new ConfigException(DB_DSN + ": the database name must be " + nameProblem + ", got "
                    + TextNode.valueOf(dsn.database()));
        }
        if (!dsn.parameters().isEmpty()) {
            warnings.add(DB_DSN + ": parameters ignored: " + String.join(", ", dsn.parameters()));
        }
        return new TrackerConfig.Database(dsn.username(), dsn.password(), dsn.database(), dsn.proto(),
                dsn.address(), database.deadlockPause(), database.deadlockRetries());
    }

    /** What is wrong with a database address for the protocol, as "must be ..." text; null when fine. */
    private static String databaseAddressProblem(String proto, String addr) {
        if ("unix".equals(proto)) {
            boolean ok = addr.startsWith("/") && addr.indexOf('&') < 0 && addr.indexOf('?') < 0
                    && addr.indexOf('#') < 0;
            return ok ? null : "an absolute socket path without & ? or #";
        }
        return HostPort.parse(addr, 3306).isPresent() ? null
                : "host:port with a port from 1 to 65535 (IPv6 in brackets)";
    }

    /** What is wrong with a database name (it goes into a URL path), as "must be ..." text; null when fine. */
    private static String databaseNameProblem(String name) {
        if (name.isEmpty()) {
            return "a database name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7f || "/?&#\\".indexOf(c) >= 0) {
                return "a database name without spaces, control characters or / ? & # \\";
            }
        }
        return null;
    }

    private static boolean isHttpToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || HTTP_TOKEN_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** An environment variable, null when unset or empty. */
    private String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Jackson's reason, cut to one line and with any unrecognized token left out: an unquoted
     * password would otherwise be echoed into the log.
     */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null || message.isBlank()) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        message = message.replaceAll("(?s)Unrecognized token '.*?': was expecting",
                "unrecognized token: was expecting");
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        return message.strip();
    }
}
