package io.chihaya.bencode.cli;

import io.chihaya.bencode.BencodeJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bencode encode}: one JSON document per input to bencode on stdout. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "Reads JSON and writes its bencode form to standard output.",
            "Numbers must be integers (any size); object keys are sorted by their",
            "UTF-8 bytes. {\"__bytes__\": \"<base64>\"} is a byte string that is not",
            "UTF-8; {\"__dict__\": [[key, value], ...]} is a dictionary whose keys are",
            "strings or __bytes__ objects. true, false, null and fractions have no",
            "bencode form and are rejected with their JSON path."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  bencode encode < file.json > file.torrent",
            "  echo '{\"interval\": 1800, \"peers\": []}' | bencode encode",
            "  bencode decode file.torrent | bencode encode   (reproduces file.torrent byte for byte)"})
final class EncodeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "JSON files to encode, one after another; '-' or none reads standard input")
    List<String> files;

    @ParentCommand
    BencodeCommand parent;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    EncodeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (parent.decode) {
            throw new ParameterException(spec.commandLine(), "-d (decode) cannot be combined with the encode command");
        }
        if (parent.lenient) {
            throw new ParameterException(spec.commandLine(), "--lenient applies only to decoding (decode or -d)");
        }
        return encode(terminal, files);
    }

    /** Shared with {@code bencode} without a command. */
    static int encode(Terminal terminal, List<String> files) {
        BencodeJson json = new BencodeJson();
        return new Conversion(terminal).run(files, (input, label) -> json.jsonToBencode(input));
    }
}
