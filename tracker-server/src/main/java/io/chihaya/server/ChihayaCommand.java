package io.chihaya.server;

import io.chihaya.tracker.config.ConfigException;
import io.chihaya.tracker.config.ConfigLoader;
import io.chihaya.tracker.config.TrackerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The {@code chihaya} program: runs the tracker until SIGTERM or SIGINT. */
@Command(name = "chihaya", mixinStandardHelpOptions = true, versionProvider = ChihayaCommand.Version.class,
        sortOptions = false,
        description = {
            "A private BitTorrent tracker for Gazelle-style sites backed by MariaDB.",
            "",
            "Reads config.json (the reference tracker's format), restores its swarms from the cache in the",
            "working directory, serves /<passkey>/announce, /<passkey>/scrape, /<passkey>/metrics and /check,",
            "and keeps MariaDB in sync. SIGTERM or SIGINT stops it cleanly: in-flight requests finish, every",
            "queued change is written to MariaDB and the cache is saved; a second signal exits at once.",
            ""},
        footer = {
            "",
            "Environment:",
            "  DB_DSN           user:pass@tcp(host:port)/db or user:pass@unix(/path)/db, overrides \"database\"",
            "  CHIHAYA_DB_DSN   a jdbc:mariadb:// URL, overrides both",
            "",
            "Exit codes: 0 stopped cleanly, 1 configuration or start-up error, 2 bad arguments.",
            "",
            "Example:  chihaya --config /etc/chihaya/config.json"})
public final class ChihayaCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "PATH", description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config = Path.of("config.json");

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "working directory for the cache and events/ (default: the current directory)")
    Path directory = Path.of("");

    @Override
    public Integer call() {
        TrackerConfig trackerConfig;
        try {
            trackerConfig = new ConfigLoader(System.getenv()).load(config);
        } catch (ConfigException e) {
            System.err.println("chihaya: " + e.getMessage());
            return 1;
        }
        return Lifecycle.runUntilSignalled(new TrackerServer(trackerConfig, directory.toAbsolutePath()), "chihaya");
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new ChihayaCommand());
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            System.err.println("chihaya: " + ex.getMessage());
            System.err.println("Try 'chihaya --help' for more information.");
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ChihayaCommand.class.getPackage().getImplementationVersion();
            return new String[]{"chihaya " + (version == null ? "dev" : version)};
        }
    }
}
