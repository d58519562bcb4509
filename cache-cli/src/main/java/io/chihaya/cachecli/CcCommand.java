package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheCorruptException;
import io.chihaya.tracker.cache.CacheStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * The {@code cc} program: dumps, loads and inspects the tracker's cache file. Data goes to standard
 * output, messages to standard error; every failure a user can cause is one line {@code cc: ...}.
 * Exit codes: 0 success, 1 bad input or a corrupt, missing or unreadable cache, 2 usage.
 */
@Command(name = "cc", mixinStandardHelpOptions = true, versionProvider = CcCommand.Version.class,
        description = "Dumps, loads and inspects the chihaya tracker's cache file (" + CacheStore.FILE_NAME + ").",
        subcommands = {DumpCommand.class, LoadCommand.class, InspectCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success",
                "  1  bad input, or a corrupt, missing or unreadable cache (one line on stderr)",
                "  2  usage error: unknown command or option, bad option value",
                "",
                "Example:",
                "  cc inspect --dir /var/lib/chihaya"})
public final class CcCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintWriter stderr;
    private final boolean terminal;
    private final Clock clock;

    CcCommand(InputStream stdin, OutputStream stdout, PrintWriter stderr, boolean terminal, Clock clock) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.clock = clock;
    }

    public static void main(String[] args) {
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // Our own buffering (JsonOut) on the raw descriptor: System.out would add a second buffer and a lock.
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        int code;
        try {
            code = run(args, System.in, stdout, stderr, stderrIsTerminal(), Clock.systemUTC());
        } catch (OutOfMemoryError e) {
            stderr.println("cc: out of memory; give Java a larger heap, e.g. JAVA_OPTS=-Xmx8g");
            code = FAILED;
        }
        stderr.flush();
        System.exit(code);
    }

    /** Runs one command line against the given streams and returns the exit code. */
    static int run(String[] args, InputStream stdin, OutputStream stdout, PrintWriter stderr, boolean terminal, Clock clock) {
        CcCommand cc = new CcCommand(stdin, stdout, stderr, terminal, clock);
        CommandLine commandLine = new CommandLine(cc);
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        commandLine.setErr(stderr);
        commandLine.setParameterExceptionHandler(cc::usageError);
        commandLine.setExecutionExceptionHandler(cc::failure);
        int code = commandLine.execute(args);
        stderr.flush();
        return code;
    }

    @Override
    public Integer call() {
        stderr.println("cc: missing command: dump, load or inspect (see 'cc --help')");
        return USAGE;
    }

    InputStream stdin() {
        return stdin;
    }

    OutputStream stdout() {
        return stdout;
    }

    PrintWriter stderr() {
        return stderr;
    }

    Clock clock() {
        return clock;
    }

    /** A progress line for this run: drawn only when stderr is a terminal. */
    Progress progress() {
        return new Progress(stderr, terminal, System::nanoTime);
    }

    private int usageError(ParameterException e, String[] args) {
        stderr.println("cc: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                + " --help')");
        return USAGE;
    }

    private int failure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        stderr.println("cc: " + describe(e));
        return FAILED;
    }

    /** One line for a failure: what went wrong and with what, never a stack trace. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause instanceof UncheckedIOException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof UserError || cause instanceof InvalidInputException) {
            return cause.getMessage();
        }
        if (cause instanceof CacheCorruptException) {
            return "corrupt cache " + cause.getMessage();
        }
        if (cause instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (cause instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (cause instanceof FileSystemException fileSystem) {
            return fileSystem.getMessage();
        }
        if (cause instanceof IOException) {
            return "I/O error: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
        }
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        return "internal error: " + cause + " (please report it)";
    }

    /**
     * Whether standard error is a terminal, where a progress line belongs. Linux tells through
     * /proc; elsewhere a console means an interactive session.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** {@code cc --version}: the build and the cache format it reads and writes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CcCommand.class.getPackage().getImplementationVersion();
            return new String[]{"cc " + (version != null ? version : "(development build)") + ", cache format "
                    + CacheStore.FORMAT_VERSION};
        }
    }
}
