package io.chihaya.bencode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chihaya.bencode.BString;
import io.chihaya.bencode.Bencode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the shaded {@code bencode.jar} as a separate process, as a user would. The tests run
 * concurrently (each in its own temporary directory), since most of their time is JVM start-up.
 */
@Execution(ExecutionMode.CONCURRENT)
class BencodeProgramIT {
    private static Path jar;

    @TempDir
    Path directory;

    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void findJar() {
        String path = System.getProperty("bencode.jar");
        assertThat(path).as("system property bencode.jar (set by failsafe)").isNotNull();
        jar = Path.of(path);
        assertThat(jar).exists();
    }

    private Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        // files rather than pipes for all three streams: no deadlock however large the output
        Path in = Files.write(Files.createTempFile(directory, "stdin", ""), stdin);
        Path out = Files.createTempFile(directory, "stdout", "");
        Path err = Files.createTempFile(directory, "stderr", "");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only and serial GC: these runs last well under a second, so start-up is what counts
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bencode finished").isTrue();
        return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aTorrentSurvivesDecodeThenEncodeByteForByte() throws Exception {
        byte[] torrent = TestTorrents.multiFileTorrent(42);
        Result decoded = run(torrent, "decode");
        assertThat(decoded.stderr()).isEmpty();
        assertThat(decoded.exitCode()).isZero();
        String json = decoded.stdoutText();
        assertThat(json).startsWith("{\n  \"announce\": ").endsWith("}\n")
                .contains("\"piece length\": 262144", "\"private\": 1", "\"name\": \"Some Artist - Some Album (2024) [FLAC]\"",
                        "\"02 - Ünïcödé Song.flac\"", "\"__bytes__\": \"Y2Fm6S5uZm8=\"");

        Result encoded = run(decoded.stdout(), "encode");
        assertThat(encoded.stderr()).isEmpty();
        assertThat(encoded.exitCode()).isZero();
        assertThat(encoded.stdout()).isEqualTo(torrent);
    }

    @Test
    void dashDIsAnAliasOfDecodeAndFilesWorkLikeStdin() throws Exception {
        byte[] torrent = TestTorrents.multiFileTorrent(7);
        Path file = Files.write(directory.resolve("album.torrent"), torrent);
        Result viaCommand = run(torrent, "decode");
        Result viaAlias = run(torrent, "-d");
        Result viaFile = run(new byte[0], "-d", file.toString());
        Result viaDash = run(torrent, "decode", "-");
        assertThat(viaCommand.exitCode()).isZero();
        assertThat(viaAlias.stdout()).isEqualTo(viaCommand.stdout());
        assertThat(viaFile.stdout()).isEqualTo(viaCommand.stdout());
        assertThat(viaDash.stdout()).isEqualTo(viaCommand.stdout());
        assertThat(List.of(viaAlias.exitCode(), viaFile.exitCode(), viaDash.exitCode())).containsOnly(0);
    }

    @Test
    void encodeIsTheDefaultAndStdoutHoldsOnlyTheData() throws Exception {
        Path json = Files.writeString(directory.resolve("response.json"), "{\"peers\": {\"__bytes__\": \"CgAAARrh\"}, \"interval\": 1800}");
        byte[] expected = ascii("d8:intervali1800e5:peers6:\n\u0000\u0000\u0001\u001a\u00e1e");
        Result viaFile = run(new byte[0], json.toString());
        assertThat(viaFile.stdout()).isEqualTo(expected);
        assertThat(viaFile.stderr()).isEmpty();
        assertThat(viaFile.exitCode()).isZero();
        Result viaStdin = run(Files.readAllBytes(json), "encode");
        assertThat(viaStdin.stdout()).isEqualTo(expected);
    }

    @Test
    void invalidBencodeExitsOneWithOneLine() throws Exception {
        Result result = run(ascii("d8:intervali01800ee"), "decode");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("bencode: invalid bencode at byte 12: leading zero in integer\n");

        Path bad = Files.write(directory.resolve("bad.torrent"), ascii("d1:bi1e1:ai2ee"));
        Result fromFile = run(new byte[0], "-d", bad.toString());
        assertThat(fromFile.exitCode()).isEqualTo(1);
        assertThat(fromFile.stderr()).isEqualTo("bencode: " + bad + ": invalid bencode at byte 7: dictionary key \"a\" is out of order (after \"b\")\n");
    }

    @Test
    void lenientDecodingWarnsOnStderrAndKeepsStdoutClean() throws Exception {
        Result result = run(ascii("d1:bi1e1:ai2ee"), "decode", "--lenient");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("{\n  \"b\": 1,\n  \"a\": 2\n}\n");
        assertThat(result.stderr()).isEqualTo("bencode: warning: byte 7: dictionary key \"a\" is out of order (after \"b\")\n");
        // and encoding the result gives canonical bencode
        assertThat(run(result.stdout(), "encode").stdout()).isEqualTo(ascii("d1:ai2e1:bi1ee"));
    }

    @Test
    void invalidJsonExitsOneWithOneLineNamingThePath() throws Exception {
        Result result = run("{\"info\": {\"private\": true}}".getBytes(StandardCharsets.UTF_8), "encode");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("bencode: cannot bencode a boolean at $.info.private\n");
    }

    @Test
    void badArgumentsExitTwoWithOneLine() throws Exception {
        Result unknown = run(new byte[0], "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.stderr()).isEqualTo("bencode: Unknown option: '--frobnicate' (see 'bencode --help')\n");

        Result conflicting = run(new byte[0], "-d", "encode");
        assertThat(conflicting.exitCode()).isEqualTo(2);
        assertThat(conflicting.stderr()).hasLineCount(1).startsWith("bencode: -d (decode) cannot be combined");
    }

    @Test
    void missingFileExitsOne() throws Exception {
        Result result = run(new byte[0], "decode", "no-such.torrent");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("bencode: no such file: no-such.torrent\n");
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        Result result = run(new byte[0], "--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("bencode " + System.getProperty("bencode.version") + "\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void helpShowsUsageCommandsAndExamples() throws Exception {
        Result result = run(new byte[0], "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).startsWith("Usage: bencode ")
                .contains("Commands:", "encode", "decode", "-d, --decode", "--lenient", "Examples:", "bencode -d < file.torrent");
        assertThat(result.stderr()).isEmpty();
        Result decodeHelp = run(new byte[0], "decode", "-h");
        assertThat(decodeHelp.exitCode()).isZero();
        assertThat(decodeHelp.stdoutText()).startsWith("Usage: bencode decode ").contains("__bytes__", "Examples:");
    }

    @Test
    void binaryOutputIsUntouchedByThePlatformCharset() throws Exception {
        byte[] everyByte = new byte[256];
        for (int value = 0; value < 256; value++) {
            everyByte[value] = (byte) value;
        }
        byte[] bencode = Bencode.encode(Map.of("all", everyByte));
        Result decoded = run(bencode, "decode");
        Result encoded = run(decoded.stdout(), "encode");
        assertThat(encoded.stdout()).isEqualTo(bencode);
        assertThat(Bencode.decode(encoded.stdout())).isEqualTo(Map.of(BString.of("all"), BString.of(everyByte)));
    }
}
