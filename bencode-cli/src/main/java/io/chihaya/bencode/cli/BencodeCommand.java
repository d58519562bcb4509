package io.chihaya.bencode.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code bencode} program: converts JSON to bencode ({@code encode}, also the default) and
 * bencode to JSON ({@code decode}, or {@code -d} as in the original program). Standard output
 * carries only the data; every error is one line on standard error. Exit codes: 0 success,
 * 1 invalid input or I/O failure, 2 bad arguments.
 */
@Command(name = "bencode", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "Converts between JSON and bencode, the encoding of .torrent files and",
            "tracker responses. With no command it encodes JSON to bencode; -d decodes,",
            "like the decode command."},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  bencode decode file.torrent > file.json     show a torrent as JSON",
            "  bencode -d < file.torrent                   the same, from standard input",
            "  bencode encode < file.json > file.torrent   JSON back to bencode",
            "  bencode decode file.torrent | bencode encode | cmp - file.torrent",
            "                                              the round trip is byte for byte",
            "",
            "Run 'bencode decode --help' or 'bencode encode --help' for the JSON forms of",
            "byte strings that are not UTF-8.",
            "",
            "Exit status: 0 success, 1 invalid input or I/O error, 2 bad arguments."})
public final class BencodeCommand implements Callable<Integer> {
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--decode"}, description = "decode bencode to JSON (the same as the decode command)")
    boolean decode;

    @Option(names = "--lenient",
            description = "with -d: accept unsorted and duplicate dictionary keys, warning on stderr for each")
    boolean lenient;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "input files, converted one after another; '-' or none reads standard input")
    List<String> files;

    private final Terminal terminal;

    BencodeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (decode) {
            return DecodeCommand.decode(terminal, files, lenient);
        }
        if (lenient) {
            throw new ParameterException(spec.commandLine(), "--lenient applies only to decoding (decode or -d)");
        }
        return EncodeCommand.encode(terminal, files);
    }

    public static void main(String[] args) {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        int exitCode;
        try {
            exitCode = run(args, System.in, stdout, stderr);
        } catch (OutOfMemoryError tooLarge) {
            // the whole input is held in memory; say so in one line rather than a stack trace
            System.err.println("bencode: out of memory: the input is too large for this heap (raise it with -Xmx)");
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** Runs the program on the given streams and returns its exit code; flushes both outputs. */
    static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        Terminal terminal = new Terminal(in, out, errWriter);
        BencodeCommand root = new BencodeCommand(terminal);
        CommandLine commandLine = new CommandLine(root)
                .addSubcommand(new CommandLine(new EncodeCommand(terminal)))
                .addSubcommand(new CommandLine(new DecodeCommand(terminal)))
                .setOut(outWriter)
                .setErr(errWriter)
                .setParameterExceptionHandler(OneLineErrors::onBadArguments)
                .setExecutionExceptionHandler(OneLineErrors::onFailure);
        int exitCode = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return exitCode;
    }
}
