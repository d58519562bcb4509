package io.chihaya.bencode.cli;

import io.chihaya.bencode.BencodeJson;
import io.chihaya.bencode.BencodeOptions;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bencode decode} (and {@code bencode -d}): bencode to indented JSON on stdout. */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "Reads bencode and writes it as indented JSON to standard output.",
            "Byte strings that are valid UTF-8 become JSON strings; others become",
            "{\"__bytes__\": \"<base64>\"}. A dictionary with a key that is not UTF-8,",
            "or whose only key is __bytes__ or __dict__, becomes",
            "{\"__dict__\": [[key, value], ...]}. Unsorted or duplicate dictionary",
            "keys are errors unless --lenient is given."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  bencode decode file.torrent",
            "  bencode -d < file.torrent            (-d is the same as decode)",
            "  curl -s 'http://tracker/PASSKEY/announce?...' | bencode decode",
            "  bencode decode --lenient odd.torrent  (a warning per unsorted key)"})
final class DecodeCommand implements Callable<Integer> {
    @Option(names = "--lenient",
            description = "accept unsorted and duplicate dictionary keys (the last value wins), with a warning on stderr for each")
    boolean lenient;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "bencode files to decode, one after another; '-' or none reads standard input")
    List<String> files;

    @ParentCommand
    BencodeCommand parent;

    private final Terminal terminal;

    DecodeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        return decode(terminal, files, lenient || parent.lenient);
    }

    /** Shared with {@code bencode -d}. */
    static int decode(Terminal terminal, List<String> files, boolean lenient) {
        return new Conversion(terminal).run(files, (input, label) -> {
            BencodeOptions options = BencodeOptions.defaults().withStrict(!lenient).withWarnings(warning ->
                    terminal.err().println("bencode: warning: " + (label == null ? "" : label + ": ") + warning));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            new BencodeJson(options).bencodeToJson(input, json);
            return json.toByteArray();
        });
    }
}
