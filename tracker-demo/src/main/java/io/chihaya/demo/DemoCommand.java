package io.chihaya.demo;

import io.chihaya.server.Lifecycle;
import io.chihaya.server.TrackerServer;
import io.chihaya.testsupport.DemoDatabase;
import io.chihaya.tracker.config.TrackerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The quick start: a tracker with demo data on a fresh machine. Uses the local MariaDB when one
 * answers (database {@code chihaya_demo}, created with the schema and fixtures on first run),
 * otherwise an embedded MariaDB whose binaries and data stay in the demo folder, and prints
 * ready-to-use URLs.
 */
@Command(name = "chihaya-demo", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = DemoCommand.Version.class,
        description = {
            "Starts the tracker with the reference fixtures as demo data.",
            "",
            "Uses the MariaDB at --db (when it answers) or else an embedded MariaDB kept in <dir>/mariadb",
            "(binaries and data, reused by the next run), creates database chihaya_demo with the schema",
            "and fixtures when it is missing, and serves on --port until SIGTERM/SIGINT. On Ctrl-C the",
            "tracker writes its last changes first; the embedded MariaDB is stopped after it.",
            "Not for production: use bin/chihaya with a config.json.",
            ""})
public final class DemoCommand implements Callable<Integer> {
    /** Fixture user 1 and torrent 3 (active, group 2 anime). */
    private static final String PASSKEY = "mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ";
    private static final String INFO_HASH = "%59%FC%54%31%B1%1C%76%1C%94%CD%3E%B9%08%25%EA%6E%6D%C8%A5%F1";

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port = 34000;

    @Option(names = "--dir", paramLabel = "DIR", description = "demo folder for the cache, events and an embedded"
            + " MariaDB (default: .demo)")
    Path directory = Path.of(".demo");

    @Option(names = "--db", paramLabel = "URL", description = "MariaDB server to use when it answers"
            + " (default: ${DEFAULT-VALUE})")
    String serverUrl = System.getenv().getOrDefault("CHIHAYA_TEST_DB_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root");

    @Override
    public Integer call() throws Exception {
        Path dir = directory.toAbsolutePath();
        Files.createDirectories(dir);
        DemoDatabase.Location db;
        try {
            db = DemoDatabase.prepare(serverUrl, dir.resolve("mariadb"), "chihaya_demo", checkout());
        } catch (IllegalStateException e) {
            System.err.println("chihaya-demo: " + e.getMessage());
            return 1;
        }
        System.err.println("chihaya-demo: database chihaya_demo on " + db.host() + ":" + db.port()
                + (db.embedded() ? " (embedded MariaDB in " + dir.resolve("mariadb") + ")" : "")
                + (db.created() ? ", created with the fixtures" : ", kept from an earlier run"));
        TrackerConfig defaults = TrackerConfig.defaults();
        TrackerConfig config = new TrackerConfig(
                new TrackerConfig.Database(db.user(), db.password(), db.database(), "tcp", db.host() + ":" + db.port(),
                        1, 5),
                defaults.channels(), defaults.intervals(), "127.0.0.1:" + port, "demo", "", true, true, true,
                false, false, defaults.numwant(), defaults.maxNumwant());
        String base = "http://127.0.0.1:" + port + "/" + PASSKEY;
        System.out.println();
        System.out.println("Announce URL: " + base + "/announce");
        System.out.println("Try it:       curl '" + base + "/announce?info_hash=" + INFO_HASH
                + "&peer_id=-TR2940-demo00000000&port=6881&uploaded=0&downloaded=0&left=0'");
        System.out.println("Scrape URL:   " + base + "/scrape?info_hash=" + INFO_HASH);
        System.out.println("Metrics:      curl -H 'Authorization: Bearer demo' " + base + "/metrics");
        System.out.println("Stop with Ctrl-C.");
        System.out.println();
        return Lifecycle.runUntilSignalled(new TrackerServer(config, dir), "chihaya-demo");
    }

    /** The checkout this jar was built in (the schema and fixtures are read from it). */
    private static Path checkout() {
        try {
            return Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("");
        }
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new DemoCommand());
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            System.err.println("chihaya-demo: " + ex.getMessage());
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DemoCommand.class.getPackage().getImplementationVersion();
            return new String[]{"chihaya-demo " + (version == null ? "dev" : version)};
        }
    }
}
