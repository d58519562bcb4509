package io.chihaya.bencode.cli;

import io.chihaya.bencode.BencodeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one conversion over the FILE arguments in turn ({@code -} or none meaning stdin), writing
 * each result to stdout only once that input has converted completely, so a bad input never
 * leaves half a value behind it. Every failure becomes one {@link UserError}.
 */
final class Conversion {
    /** Converts one whole input to the bytes to write. */
    interface Converter {
        byte[] convert(InputStream input, String label) throws IOException;
    }

    static final int BAD_INPUT = 1;

    private final Terminal terminal;

    Conversion(Terminal terminal) {
        this.terminal = terminal;
    }

    int run(List<String> files, Converter converter) {
        List<String> inputs = files == null || files.isEmpty() ? List.of("-") : files;
        for (String file : inputs) {
            byte[] output = convertOne(file, converter);
            try {
                terminal.out().write(output);
            } catch (IOException failure) {
                throw new UserError(BAD_INPUT, "cannot write output: " + failure.getMessage());
            }
        }
        try {
            terminal.out().flush();
        } catch (IOException failure) {
            throw new UserError(BAD_INPUT, "cannot write output: " + failure.getMessage());
        }
        return 0;
    }

    private byte[] convertOne(String file, Converter converter) {
        boolean stdin = file.equals("-");
        String prefix = stdin ? "" : file + ": ";
        try {
            if (stdin) {
                return converter.convert(terminal.in(), null); // never close stdin
            }
            try (InputStream input = Files.newInputStream(Path.of(file))) {
                return converter.convert(input, file);
            }
        } catch (BencodeException invalid) {
            throw new UserError(BAD_INPUT, prefix + invalid.getMessage());
        } catch (NoSuchFileException missing) {
            // "bencode decdoe" reads a file named decdoe: say what the commands are
            boolean looksLikeCommand = file.matches("[a-z]+");
            throw new UserError(BAD_INPUT, "no such file: " + file + (looksLikeCommand ? " (the commands are encode and decode)" : ""));
        } catch (AccessDeniedException denied) {
            throw new UserError(BAD_INPUT, "permission denied: " + file);
        } catch (IOException failure) {
            throw new UserError(BAD_INPUT, "cannot read " + (stdin ? "standard input" : file) + ": " + failure.getMessage());
        }
    }
}
