package io.chihaya.cachecli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chihaya.tracker.cache.CacheStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar ({@code -Dcc.jar}, set by the failsafe configuration) run as a separate process, as an
 * operator runs it: exit codes, data on stdout only, one-line messages on stderr.
 */
class CcJarIT {
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("cc.jar");
        assertThat(property).as("system property cc.jar").isNotBlank();
        jar = Path.of(property);
        assertThat(jar).as("the shaded jar; run 'mvn package' first").isRegularFile();
    }

    /** What one process produced. */
    private record Run(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Run cc(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program may exit before reading its input (a usage error); that is its answer.
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("cc finished").isTrue();
        return new Run(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    }

    private Run cc(String... args) throws IOException, InterruptedException {
        return cc(new byte[0], args);
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void versionAndHelpGoToStdout() throws Exception {
        Run version = cc("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).matches("cc \\S+, cache format 1\n");
        assertThat(version.stderr()).isEmpty();

        Run help = cc("inspect", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: cc inspect").contains("Examples:");
        assertThat(help.stderr()).isEmpty();
    }

    @Test
    void usageErrorsExitTwoWithOneLineOnStderr() throws Exception {
        for (String[] args : List.of(new String[0], new String[]{"dump", "--bogus"}, new String[]{"explode"})) {
            Run run = cc(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr()).startsWith("cc: ").hasLineCount(1);
        }
    }

    @Test
    void dumpLoadInspectAsProcessesKeepDataAndMessagesApart() throws Exception {
        CacheStore.inDirectory(dir).write(TestSwarms.registry(3, 100, 80, 3000));

        Run dump = cc("dump");
        assertThat(dump.exitCode()).isZero();
        assertThat(dump.stderr()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(dump.stdout());
        assertThat(json.get("torrents")).hasSize(80);

        Path copy = Files.createDirectory(dir.resolve("copy"));
        Run load = cc(dump.stdout(), "load", "--dir", "copy");
        assertThat(load.exitCode()).isZero();
        assertThat(load.stdout()).isEmpty();
        assertThat(load.stderr()).startsWith("cc: wrote " + copy.resolve(CacheStore.FILE_NAME).toRealPath()).hasLineCount(1);
        assertThat(cc("dump", "--dir", "copy").stdout()).isEqualTo(dump.stdout());

        Run inspect = cc("inspect", "--json", "--dir", "copy");
        assertThat(inspect.exitCode()).isZero();
        assertThat(inspect.stderr()).isEmpty();
        JsonNode summary = new ObjectMapper().readTree(inspect.stdout());
        assertThat(summary.get("torrents").asInt()).isEqualTo(80);
        assertThat(summary.get("users").asInt()).isEqualTo(100);
    }

    @Test
    void badInputIsExitOneWithThePathAndNothingWritten() throws Exception {
        byte[] json = """
                {"users": [{"id": 1, "passkey": "p", "down_multiplier": 1, "up_multiplier": 1,
                            "disable_download": false, "tracker_hide": false}],
                 "torrents": [{"id": 2, "info_hash": "00", "status": 0, "snatched": 0, "last_action": 0,
                               "group_id": 0, "type": "anime", "down_multiplier": 1, "up_multiplier": 1, "peers": []}]}
                """.getBytes(StandardCharsets.UTF_8);
        Run load = cc(json, "load");
        assertThat(load.exitCode()).isEqualTo(1);
        assertThat(load.stdout()).isEmpty();
        assertThat(load.stderr()).isEqualTo(
                "cc: standard input: torrents[0].info_hash: expected 40 hex digits, got 2 (nothing was written)\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCorruptCacheIsExitOneWithOneLineAndNoStackTrace() throws Exception {
        CacheStore store = CacheStore.inDirectory(dir);
        store.write(TestSwarms.registry(4, 20, 20, 300));
        byte[] bytes = Files.readAllBytes(store.file());
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(store.file(), bytes);

        for (String command : List.of("inspect", "dump")) {
            Run run = cc(command);
            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr()).startsWith("cc: corrupt cache " + store.file().toRealPath() + ": at byte ")
                    .contains("checksum mismatch").doesNotContain("\tat ", "Exception").hasLineCount(1);
        }

        Run missing = cc("inspect", "--dir", "nowhere");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("cc: no cache at " + dir.toRealPath().resolve("nowhere").resolve(CacheStore.FILE_NAME) + "\n");
    }
}
