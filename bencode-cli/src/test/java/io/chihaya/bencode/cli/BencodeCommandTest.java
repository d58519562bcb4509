package io.chihaya.bencode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program's logic in-process (fast); {@link BencodeProgramIT} covers the real jar. */
class BencodeCommandTest {
    @TempDir
    Path directory;

    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Result run(byte[] stdin, String... args) {
        return run(stdin, new ByteArrayOutputStream(), args);
    }

    private static Result run(byte[] stdin, OutputStream stdout, String... args) {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exitCode = BencodeCommand.run(args, new ByteArrayInputStream(stdin), stdout, stderr);
        byte[] out = stdout instanceof ByteArrayOutputStream buffer ? buffer.toByteArray() : new byte[0];
        return new Result(exitCode, out, stderr.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesAndEncodesATorrentInProcess() {
        byte[] torrent = TestTorrents.multiFileTorrent(3);
        Result decoded = run(torrent, "decode");
        assertThat(decoded.exitCode()).isZero();
        assertThat(decoded.stderr()).isEmpty();
        Result encoded = run(decoded.stdout(), "encode");
        assertThat(encoded.exitCode()).isZero();
        assertThat(encoded.stdout()).isEqualTo(torrent);
    }

    @Test
    void convertsSeveralFilesInTurn() throws IOException {
        Path first = Files.write(directory.resolve("a.torrent"), bytes("i1e"));
        Path second = Files.write(directory.resolve("b.torrent"), bytes("l1:xe"));
        Result result = run(bytes("d1:ki2ee"), "-d", first.toString(), "-", second.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("1\n{\n  \"k\": 2\n}\n[\n  \"x\"\n]\n");
    }

    @Test
    void namesTheFileThatFailed() throws IOException {
        Path good = Files.write(directory.resolve("good.json"), bytes("[1]"));
        Path bad = Files.write(directory.resolve("bad.json"), bytes("[1.5]"));
        Result result = run(new byte[0], "encode", good.toString(), bad.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("bencode: " + bad + ": cannot bencode a floating-point number (bencode has only integers) at $[0]\n");
        assertThat(result.stdout()).isEqualTo(bytes("li1ee")); // the good file before it was converted
    }

    @Test
    void emptyInputIsInvalid() {
        assertThat(run(new byte[0], "decode").stderr()).isEqualTo("bencode: invalid bencode at byte 0: unexpected end of input, expected a value\n");
        assertThat(run(new byte[0], "encode").stderr()).isEqualTo("bencode: invalid JSON: no value in the input\n");
        assertThat(run(new byte[0], "encode").exitCode()).isEqualTo(1);
    }

    @Test
    void aDirectoryIsNotReadable() {
        Result result = run(new byte[0], "decode", directory.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("bencode: cannot read " + directory + ": ").hasLineCount(1);
    }

    @Test
    void lenientWorksBeforeOrAfterTheCommandButOnlyForDecoding() {
        byte[] unsorted = bytes("d1:bi1e1:ai1e1:ai2ee");
        Result strict = run(unsorted, "decode");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.stderr()).isEqualTo("bencode: invalid bencode at byte 7: dictionary key \"a\" is out of order (after \"b\")\n");
        for (String[] args : new String[][] {{"decode", "--lenient"}, {"--lenient", "decode"}, {"-d", "--lenient"}}) {
            Result lenient = run(unsorted, args);
            assertThat(lenient.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(lenient.stdoutText()).isEqualTo("{\n  \"b\": 1,\n  \"a\": 2\n}\n");
            assertThat(lenient.stderr()).isEqualTo("bencode: warning: byte 7: dictionary key \"a\" is out of order (after \"b\")\n"
                    + "bencode: warning: byte 13: duplicate dictionary key \"a\"\n");
        }
        Result misplaced = run(bytes("{}"), "--lenient");
        assertThat(misplaced.exitCode()).isEqualTo(2);
        assertThat(misplaced.stderr()).isEqualTo("bencode: --lenient applies only to decoding (decode or -d) (see 'bencode --help')\n");
        assertThat(run(bytes("{}"), "encode", "--lenient").exitCode()).isEqualTo(2);
    }

    @Test
    void versionFallsBackToDevOutsideTheJar() {
        Result result = run(new byte[0], "--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("bencode dev\n");
    }

    @Test
    void aFailingStdoutIsOneLineAndExitOne() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int value) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Result result = run(bytes("i1e"), broken, "decode");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("bencode: cannot write output: Broken pipe\n");
    }

    @Test
    void unknownSubcommandLooksLikeAMissingFile() {
        Result result = run(new byte[0], "decdoe");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("bencode: no such file: decdoe (the commands are encode and decode)\n");
    }
}
