package io.chihaya.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkout's {@code database/schema.sql} and {@code fixtures/*.yml}, found by walking up from a
 * start directory (surefire runs each module's tests with the module directory as working directory).
 *
 * <p>Immutable and thread-safe.
 *
 * @param root the directory holding {@code database/schema.sql}
 */
record ProjectFiles(Path root) {

    private static final String SCHEMA = "database/schema.sql";

    /** Finds the project root from the working directory. */
    static ProjectFiles fromWorkingDirectory() {
        return findFrom(Path.of("").toAbsolutePath());
    }

    /**
     * Finds the nearest directory at or above {@code start} that holds {@code database/schema.sql}.
     *
     * @throws IllegalStateException naming {@code start} when no such directory exists
     */
    static ProjectFiles findFrom(Path start) {
        for (Path directory = start.toAbsolutePath().normalize(); directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve(SCHEMA))) {
                return new ProjectFiles(directory);
            }
        }
        throw new IllegalStateException("no " + SCHEMA + " in " + start + " or any directory above it;"
                + " run the tests from inside the chihaya checkout");
    }

    /** The schema file. */
    Path schema() {
        return root.resolve(SCHEMA);
    }

    /** The fixture files, {@code <table>.yml}, sorted by name so loads are repeatable. */
    List<Path> fixtures() {
        Path directory = root.resolve("fixtures");
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.yml")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.sort(null);
        return files;
    }
}
