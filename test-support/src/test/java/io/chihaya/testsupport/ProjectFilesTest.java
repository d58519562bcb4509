package io.chihaya.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {

    @TempDir
    Path root;

    @Test
    void walksUpToTheDirectoryWithTheSchema() throws IOException {
        Files.createDirectories(root.resolve("database"));
        Files.writeString(root.resolve("database/schema.sql"), "");
        Files.createDirectories(root.resolve("fixtures"));
        Files.writeString(root.resolve("fixtures/b.yml"), "");
        Files.writeString(root.resolve("fixtures/a.yml"), "");
        Files.writeString(root.resolve("fixtures/readme.txt"), "");
        Path module = Files.createDirectories(root.resolve("tracker-core/src"));

        ProjectFiles files = ProjectFiles.findFrom(module);

        assertEquals(root.toRealPath(), files.root().toRealPath());
        assertEquals(List.of(files.root().resolve("fixtures/a.yml"), files.root().resolve("fixtures/b.yml")), files.fixtures());
    }

    @Test
    void saysWhereItLookedWhenThereIsNoSchema() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> ProjectFiles.findFrom(root));
        assertTrue(error.getMessage().contains(root.toString()), error.getMessage());
    }
}
