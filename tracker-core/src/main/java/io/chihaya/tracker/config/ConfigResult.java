package io.chihaya.tracker.config;

import java.util.List;

/**
 * A loaded configuration with what the operator should hear about it: the warnings (missing file,
 * unknown keys, ignored DSN parameters, ...) and where the database settings came from. Immutable.
 *
 * <p>A server logs each warning on its own line, then {@link #describe()} once.
 *
 * @param config         the validated configuration
 * @param warnings       one line each, in the order found
 * @param databaseSource where the connection settings came from: the config path, {@code DB_DSN} or
 *                       {@code CHIHAYA_DB_DSN}
 */
public record ConfigResult(TrackerConfig config, List<String> warnings, String databaseSource) {
    public ConfigResult {
        warnings = List.copyOf(warnings);
    }

    /**
     * The effective settings on one line, under their JSON names, with the database password and
     * the admin token masked.
     */
    public String describe() {
        TrackerConfig.Database database = config.database();
        TrackerConfig.Channels channels = config.channels();
        TrackerConfig.Intervals intervals = config.intervals();
        return "addr=" + config.addr()
                + " database=" + database.url().describe() + " from " + databaseSource
                + " deadlock_pause=" + formatSeconds(database.deadlockPause())
                + " deadlock_retries=" + database.deadlockRetries()
                + " channels={torrent=" + channels.torrent() + ", user=" + channels.user()
                + ", transfer_history=" + channels.transferHistory() + ", transfer_ips=" + channels.transferIps()
                + ", snatch=" + channels.snatch() + "}"
                + " intervals={announce=" + intervals.announce() + ", min_announce=" + intervals.minAnnounce()
                + ", peer_inactivity=" + intervals.peerInactivity() + ", announce_drift=" + intervals.announceDrift()
                + ", scrape=" + intervals.scrape() + ", database_reload=" + intervals.databaseReload()
                + ", database_serialize=" + intervals.databaseSerialize()
                + ", purge_inactive_peers=" + intervals.purgeInactivePeers() + ", flush=" + intervals.flush() + "}"
                + " admin_token=" + (config.adminToken().isEmpty() ? "(none)" : "****")
                + " proxy=" + (config.proxy().isEmpty() ? "(none)" : config.proxy())
                + " record=" + config.record() + " scrape=" + config.scrape()
                + " log_flushes=" + config.logFlushes() + " strict_port=" + config.strictPort()
                + " flush_groups=" + config.flushGroups()
                + " numwant=" + config.numwant() + " max_numwant=" + config.maxNumwant();
    }

    private static String formatSeconds(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
