package io.chihaya.server;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.chihaya.server.ServerFixture.ALICE;
import static io.chihaya.server.ServerFixture.HASH3;
import static io.chihaya.server.ServerFixture.announce;
import static io.chihaya.server.ServerFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The built chihaya.jar as a child process: exit codes, SIGTERM, restart from the cache. */
@MariaDbTest
class ServerProcessIT {
    private static final Path JAR = Path.of(System.getProperty("chihaya.jar", "target/chihaya.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final TestDatabase db;
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path directory;

    /** A failed assertion must not leave a tracker running. */
    @org.junit.jupiter.api.AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    ServerProcessIT(TestDatabase db) {
        this.db = db;
    }

    private Process start(int port, Path log) throws IOException {
        Files.writeString(directory.resolve("config.json"), ServerFixture.configJson(db, port));
        Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--config", "config.json", "--dir", ".")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(process);
        return process;
    }

    private static void awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as("chihaya exited early:%n%s", Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 60 s in:\n" + Files.readString(log));
    }

    private static int stop(Process process) throws Exception {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
        return process.exitValue();
    }

    @Test
    void sigtermFlushesAndWritesTheCacheAndARestartHasTheSwarmBack() throws Exception {
        int port = ServerFixture.freePort();
        Path firstLog = directory.resolve("first.log");
        Process first = start(port, firstLog);
        awaitLine(firstLog, "started:", first);
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 1000, 0, 0, "&event=started")).body())
                .startsWith("d8:completei1e");
        assertThat(get(port, announce(ALICE, HASH3, "-TR2940-aaaaaaaaaaaa", 5000, 0, 0, "")).body())
                .startsWith("d8:completei1e");
        assertThat(stop(first)).isZero();
        assertThat(Files.readString(firstLog)).contains("stopped: flushed=true cache=true");
        // The jar's logging (LogSetup): one line per event, time with offset, level, simple logger name;
        // no logback status chatter, and Hikari's INFO lines left out.
        assertThat(Files.readAllLines(firstLog)).allSatisfy(line -> assertThat(line).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (INFO |WARN |ERROR) [A-Za-z]+ - .*"))
                .anyMatch(line -> line.contains(" INFO  TrackerServer - started: "))
                .noneMatch(line -> line.contains("Hikari"));
        assertThat(Files.exists(directory.resolve("chihaya-cache.bin"))).isTrue();

        Path secondLog = directory.resolve("second.log");
        Process second = start(port, secondLog);
        awaitLine(secondLog, "started:", second);
        assertThat(Files.readString(secondLog)).contains("2 users, 3 torrents, 1 peers");
        // The peer is back: the scrape counts it, and its next announce continues its deltas.
        assertThat(get(port, "/" + ALICE + "/scrape?info_hash=" + HASH3).body()).contains("d8:completei1e");
        assertThat(stop(second)).isZero();

        // Alice's upload reached users_main exactly once: 4000 raw bytes x group (2, anime) up 2.
        try (var connection = db.dataSource().getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT Uploaded, rawup FROM users_main WHERE ID = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(8000);
            assertThat(rows.getLong(2)).isEqualTo(4000);
        }
    }

    @Test
    void corruptCacheIsMovedAsideAndStartUpGoesOn() throws Exception {
        Files.write(directory.resolve("chihaya-cache.bin"), "not a cache at all".getBytes(StandardCharsets.US_ASCII));
        int port = ServerFixture.freePort();
        Path log = directory.resolve("corrupt.log");
        Process process = start(port, log);
        awaitLine(log, "started:", process);
        assertThat(Files.readString(log)).contains("cache unreadable");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> names.add(file.getFileName().toString()));
        }
        assertThat(names).anyMatch(name -> name.startsWith("chihaya-cache.bin.corrupt-"));
        assertThat(get(port, "/check").status()).isEqualTo(200);
        assertThat(stop(process)).isZero();
    }

    @Test
    void configurationErrorsExitOneWithOneLine() throws Exception {
        Files.writeString(directory.resolve("config.json"), "{\"intervals\": {\"announce\": -5}}");
        Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--config", "config.json")
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output.lines().filter(line -> line.startsWith("chihaya: "))).hasSize(1);
        assertThat(output).contains("intervals.announce").doesNotContain("Exception");
    }

    @Test
    void wrongDatabasePasswordExitsOne() throws Exception {
        int port = ServerFixture.freePort();
        Files.writeString(directory.resolve("config.json"), ServerFixture.configJson(db, port)
                .replace("\"database\": \"" + db.name() + "\"", "\"database\": \"no_such_database_here\""));
        Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--config", "config.json")
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("chihaya: MariaDB at").contains("no_such_database_here");
    }

    @Test
    void helpVersionAndBadArguments() throws Exception {
        assertThat(run("--help")).startsWith("0:").contains("--config", "DB_DSN");
        assertThat(run("--version")).startsWith("0:chihaya ");
        assertThat(run("--no-such-option")).startsWith("2:chihaya: Unknown option");
    }

    private String run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() + ":" + output;
    }
}
