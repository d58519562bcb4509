package io.chihaya.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixturesTest {

    @TempDir
    Path directory;

    @Test
    void readsRowsInOrderWithTheirTypes() throws IOException {
        Path file = write("users_main.yml", "- ID: 1\n  Enabled: \"1\"\n  UpMultiplier: 0.5\n  peer_id: -TR2\n  note: ~\n");
        Fixtures.Table table = Fixtures.read(List.of(file)).tables().get(0);
        assertEquals("users_main", table.name());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ID", 1);
        expected.put("Enabled", "1");
        expected.put("UpMultiplier", new BigDecimal("0.5"));
        expected.put("peer_id", "-TR2");
        expected.put("note", null);
        assertEquals(List.of(expected), table.rows());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(table.rows().get(0).keySet()));
    }

    @Test
    void emptyFilesAndEmptyListsHaveNoRows() throws IOException {
        Fixtures fixtures = Fixtures.read(List.of(write("a.yml", ""), write("b.yml", "[]\n"), write("c.yml", "~\n"),
                write("d.yml", "# nothing yet\n")));
        for (Fixtures.Table table : fixtures.tables()) {
            assertEquals(List.of(), table.rows(), table.file());
        }
    }

    @Test
    void rawValuesGoIntoTheStatementAndTheRestAreParameters() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", 1);
        row.put("info_hash", "RAW=_binary 0x72EF");
        row.put("Status", 0);
        assertEquals("INSERT INTO `torrents` (`ID`, `info_hash`, `Status`) VALUES (?, _binary 0x72EF, ?)",
                Fixtures.insertSql("torrents", row));
    }

    @Test
    void rejectsFilesThatAreNotListsOfFlatMaps() throws IOException {
        Path notList = write("t.yml", "ID: 1\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Fixtures.read(List.of(notList)));
        assertTrue(error.getMessage().contains("t.yml"), error.getMessage());
        Path nested = write("u.yml", "- ID: [1, 2]\n");
        error = assertThrows(IllegalArgumentException.class, () -> Fixtures.read(List.of(nested)));
        assertTrue(error.getMessage().contains("row 1 column ID"), error.getMessage());
        Path badColumn = write("v.yml", "- \"a`b\": 1\n");
        assertThrows(IllegalArgumentException.class, () -> Fixtures.read(List.of(badColumn)));
    }

    @Test
    void readsTheProjectsOwnFixtures() {
        ProjectFiles files = ProjectFiles.fromWorkingDirectory();
        Fixtures fixtures = Fixtures.read(files.fixtures());
        assertTrue(fixtures.tables().stream().anyMatch(table -> table.name().equals("users_main") && table.rows().size() == 3));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }
}
