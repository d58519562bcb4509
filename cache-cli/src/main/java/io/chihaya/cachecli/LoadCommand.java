package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.cache.CacheWriteSummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cc load} (alias {@code restore}): a cache built from JSON in the form {@code cc dump} writes. */
@Command(name = "load", aliases = "restore", mixinStandardHelpOptions = true,
        description = {"Builds the cache from JSON in the form cc dump writes. Every entry is checked first; "
                + "the first bad one stops the load with its JSON path and the reason, and nothing is written. "
                + "The cache is then replaced atomically (written aside, synced, renamed).",
                "Stop the tracker first: it rewrites the cache every database_serialize seconds and at shutdown."},
        footerHeading = "%nExamples:%n",
        footer = {"  cc load --dir /var/lib/chihaya --in cache.json",
                "  jq '.torrents |= map(select(.status == 0))' cache.json | cc restore --dir /var/lib/chihaya"})
final class LoadCommand implements Callable<Integer> {
    @ParentCommand
    private CcCommand cc;

    @ArgGroup(exclusive = true)
    private CacheLocation location;

    @Option(names = "--in", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where to read the JSON from; - (the default) is standard input.")
    private String in;

    @Override
    public Integer call() throws IOException, UserError {
        CacheStore store = CacheLocation.store(location);
        if (!Files.isDirectory(store.file().getParent())) {
            throw new UserError("no such directory: " + store.file().getParent() + " (nothing was read or written)");
        }
        String source = in.equals("-") ? "standard input" : in;
        Progress progress = cc.progress();
        LoadedCache cache;
        CacheWriteSummary summary;
        try {
            try (InputStream input = new BufferedInputStream(in.equals("-") ? cc.stdin() : Files.newInputStream(Path.of(in)), 1 << 16)) {
                progress.start();
                cache = JsonLoad.read(input, entries -> progress.count("reading", entries), cc.clock().instant());
            } catch (InvalidInputException e) {
                throw new UserError(source + ": " + e.getMessage() + " (nothing was written)");
            }
            summary = store.write(cache.writtenAt(), cache.users(), cache.torrents(), cache.clients(), progress.phase("writing"));
        } finally {
            progress.clear();
        }
        cc.stderr().printf("cc: wrote %s: %d users, %d torrents, %d peers, %d bytes%n", summary.file(),
                summary.users(), summary.torrents(), summary.peers(), summary.bytes());
        return CcCommand.OK;
    }
}
