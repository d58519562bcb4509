package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the cache is: {@code --dir} (the tracker's working directory) or {@code --file}; one of them at most. */
final class CacheLocation {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory holding " + CacheStore.FILE_NAME + " (the tracker's working directory). Default: the current directory.")
    Path dir;

    @Option(names = "--file", paramLabel = "FILE",
            description = "A cache file by name instead, e.g. a quarantined " + CacheStore.FILE_NAME + ".corrupt-<time>.")
    Path file;

    /** The store for the given location, the current directory when {@code location} is null. */
    static CacheStore store(CacheLocation location) {
        if (location != null && location.file != null) {
            return new CacheStore(location.file);
        }
        return CacheStore.inDirectory(location != null && location.dir != null ? location.dir : Path.of("."));
    }
}
