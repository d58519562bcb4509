package io.chihaya.cachecli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Arguments, help, version and exit codes. */
class CcCommandTest {
    @Test
    void versionNamesTheCacheFormat() {
        Cc.Result result = Cc.run("--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("cc ").endsWith(", cache format 1\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        Cc.Result result = Cc.run();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("cc: missing command: dump, load or inspect (see 'cc --help')\n");
    }

    @Test
    void anUnknownOptionIsOneLineAndExitTwo() {
        Cc.Result result = Cc.run("dump", "--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("cc: Unknown option: '--bogus' (see 'cc dump --help')\n");
    }

    @Test
    void anUnknownCommandIsExitTwo() {
        Cc.Result result = Cc.run("frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("cc: Unmatched argument at index 0: 'frobnicate'").hasLineCount(1);
    }

    @Test
    void dirAndFileTogetherAreAUsageError() {
        Cc.Result result = Cc.run("inspect", "--dir", ".", "--file", "x");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("mutually exclusive").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "load", "restore", "inspect"})
    void everyCommandHasHelpWithAnExample(String command) {
        Cc.Result result = Cc.run(command, "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.out()).startsWith("Usage: cc " + (command.equals("restore") ? "load" : command)).contains("Examples:", "  cc ", "--dir=DIR", "--file=FILE");
    }

    @Test
    void topLevelHelpListsTheCommandsAndExitCodes() {
        Cc.Result result = Cc.run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("dump", "load, restore", "inspect", "Exit codes:", "  2  usage error");
    }

    @Test
    void unexpectedFailuresAreStillOneLine() {
        assertThat(CcCommand.describe(new IllegalStateException("boom")))
                .isEqualTo("internal error: java.lang.IllegalStateException: boom (please report it)");
        assertThat(CcCommand.describe(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/x"))))
                .isEqualTo("no such file or directory: /x");
    }
}
