package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheContents;
import io.chihaya.tracker.cache.CacheStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cc dump}: the cache as stable, readable JSON. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Writes the cache as JSON: users, then torrents with their peers. Info hashes and peer ids "
                + "are hex, addresses dotted quads, counters unsigned decimals. Sorted (users and torrents by id, "
                + "peers by user id and peer id), so the same cache always gives the same bytes.",
                "The file is checked (checksums, lengths, ranges) before anything is written."},
        footerHeading = "%nExamples:%n",
        footer = {"  cc dump --dir /var/lib/chihaya > cache.json",
                "  cc dump --out cache.json && jq '.torrents | map(.peers | length) | add' cache.json"})
final class DumpCommand implements Callable<Integer> {
    @ParentCommand
    private CcCommand cc;

    @ArgGroup(exclusive = true)
    private CacheLocation location;

    @Option(names = "--out", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where to write the JSON; - (the default) is standard output.")
    private String out;

    @Override
    public Integer call() throws IOException, UserError {
        CacheStore store = CacheLocation.store(location);
        Progress progress = cc.progress();
        try {
            CacheContents contents = read(store, progress);
            if (out.equals("-")) {
                JsonDump.write(contents, cc.stdout(), progress.phase("writing"));
            } else {
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(Path.of(out)), 1 << 16)) {
                    JsonDump.write(contents, file, progress.phase("writing"));
                }
            }
        } finally {
            progress.clear();
        }
        return CcCommand.OK;
    }

    /** The whole cache, checked, or a one-line error when there is none. */
    static CacheContents read(CacheStore store, Progress progress) throws IOException, UserError {
        return store.read(progress.phase("reading")).orElseThrow(() -> new UserError("no cache at " + store.file()));
    }
}
