package io.chihaya.bencode.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns every failure into exactly one line on stderr and an exit code; never a stack trace. */
final class OneLineErrors {
    private OneLineErrors() {
    }

    /** Bad arguments: exit 2, with a pointer to the help of the command that was being parsed. */
    static int onBadArguments(ParameterException badArguments, String[] args) {
        CommandLine commandLine = badArguments.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println("bencode: " + firstLine(badArguments.getMessage()) + " (see '" + command + " --help')");
        commandLine.getErr().flush();
        return BencodeCommand.USAGE;
    }

    /** A failure while running: exit 1 (or the code a {@link UserError} carries). */
    static int onFailure(Exception failure, CommandLine commandLine, ParseResult parsed) {
        int exitCode = 1;
        String message;
        if (failure instanceof UserError userError) {
            exitCode = userError.exitCode();
            message = userError.getMessage();
        } else {
            // a bug rather than a user error, but still one line: the type says where to look
            message = "internal error: " + failure;
        }
        commandLine.getErr().println("bencode: " + firstLine(message));
        commandLine.getErr().flush();
        return exitCode;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
