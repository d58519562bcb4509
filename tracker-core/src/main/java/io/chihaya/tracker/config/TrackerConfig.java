package io.chihaya.tracker.config;

/**
 * The whole, validated configuration of a tracker ({@code config.json}); immutable.
 *
 * @param database    connection settings
 * @param channels    flush queue capacities
 * @param intervals   timings, in seconds
 * @param addr        listen address, {@code host:port} or {@code :port}
 * @param adminToken  bearer token for operator metrics; empty disables them
 * @param proxy       name of the header carrying the client address behind a proxy; empty for none
 * @param record      whether the announce recorder is on
 * @param scrape      whether {@code /scrape} is served
 * @param logFlushes  whether each flush batch is logged
 * @param strictPort  whether ports below 1024 are refused
 * @param flushGroups whether group timestamps are updated on torrent flushes
 * @param numwant     peers returned when the client does not say
 * @param maxNumwant  most peers returned to any announce
 */
public record TrackerConfig(Database database, Channels channels, Intervals intervals, String addr,
                            String adminToken, String proxy, boolean record, boolean scrape, boolean logFlushes,
                            boolean strictPort, boolean flushGroups, int numwant, int maxNumwant) {

    /** The reference's documented defaults. */
    public static TrackerConfig defaults() {
        return new TrackerConfig(Database.defaults(), Channels.defaults(), Intervals.defaults(), ":34000", "", "",
                false, true, true, false, false, 25, 50);
    }

    /** A copy with other intervals. */
    public TrackerConfig withIntervals(Intervals intervals) {
        return new TrackerConfig(database, channels, intervals, addr, adminToken, proxy, record, scrape, logFlushes,
                strictPort, flushGroups, numwant, maxNumwant);
    }

    /** A copy with other peer counts. */
    public TrackerConfig withNumwant(int numwant, int maxNumwant) {
        return new TrackerConfig(database, channels, intervals, addr, adminToken, proxy, record, scrape, logFlushes,
                strictPort, flushGroups, numwant, maxNumwant);
    }

    /** A copy with another proxy header and strict-port setting. */
    public TrackerConfig withProxy(String proxy, boolean strictPort) {
        return new TrackerConfig(database, channels, intervals, addr, adminToken, proxy, record, scrape, logFlushes,
                strictPort, flushGroups, numwant, maxNumwant);
    }

    /**
     * The listen address as host and port; an empty host means every interface.
     *
     * @throws IllegalArgumentException when {@link #addr} is not {@code [host]:port} (never for a loaded config)
     */
    public HostPort listenAddress() {
        return HostPort.parse(addr, HostPort.NO_DEFAULT_PORT)
                .orElseThrow(() -> new IllegalArgumentException("addr is not [host]:port: " + addr));
    }

    /** The admin token and database password replaced by stars, for logs. */
    @Override
    public String toString() {
        return "TrackerConfig[database=" + database + ", channels=" + channels + ", intervals=" + intervals
                + ", addr=" + addr + ", adminToken=" + (adminToken.isEmpty() ? "" : "****") + ", proxy=" + proxy
                + ", record=" + record + ", scrape=" + scrape + ", logFlushes=" + logFlushes
                + ", strictPort=" + strictPort + ", flushGroups=" + flushGroups + ", numwant=" + numwant
                + ", maxNumwant=" + maxNumwant + "]";
    }

    /**
     * The {@code database} section.
     *
     * @param username        user name
     * @param password        password (never logged)
     * @param database        schema name
     * @param proto           {@code tcp} or {@code unix}
     * @param addr            {@code host:port} or a socket path
     * @param deadlockPause   seconds, multiplied by the attempt number between retries
     * @param deadlockRetries retries of a deadlocked or lock-timed-out batch
     * @param jdbcUrl         a complete {@code jdbc:mariadb://} URL from {@code CHIHAYA_DB_DSN} that replaces
     *                        proto, addr and database when connecting; {@code ""} when not set (never null)
     */
    public record Database(String username, String password, String database, String proto, String addr,
                           double deadlockPause, int deadlockRetries, String jdbcUrl) {
        public Database {
            jdbcUrl = jdbcUrl == null ? "" : jdbcUrl;
        }

        /** The section without a JDBC URL override. */
        public Database(String username, String password, String database, String proto, String addr,
                        double deadlockPause, int deadlockRetries) {
            this(username, password, database, proto, addr, deadlockPause, deadlockRetries, "");
        }

        public static Database defaults() {
            return new Database("chihaya", "", "chihaya", "tcp", "127.0.0.1:3306", 1, 5);
        }

        /** The JDBC URL and credentials this section connects with. */
        public DatabaseUrl url() {
            return DatabaseUrl.of(this);
        }

        /** The password (and any password inside the JDBC URL) replaced by stars, for logs. */
        @Override
        public String toString() {
            return "Database[username=" + username + ", password=" + (password.isEmpty() ? "" : "****")
                    + ", database=" + database + ", proto=" + proto + ", addr=" + addr
                    + ", deadlockPause=" + deadlockPause + ", deadlockRetries=" + deadlockRetries
                    + ", jdbcUrl=" + DatabaseUrl.mask(jdbcUrl) + "]";
        }
    }

    /**
     * The {@code channels} section: capacity of each flush queue.
     */
    public record Channels(int torrent, int user, int transferHistory, int transferIps, int snatch) {
        public static Channels defaults() {
            return new Channels(5000, 5000, 5000, 5000, 25);
        }
    }

    /**
     * The {@code intervals} section, all in seconds.
     */
    public record Intervals(int announce, int minAnnounce, int peerInactivity, int announceDrift, int scrape,
                            int databaseReload, int databaseSerialize, int purgeInactivePeers, int flush) {
        public static Intervals defaults() {
            return new Intervals(1800, 900, 3900, 300, 900, 45, 68, 120, 3);
        }
    }
}
