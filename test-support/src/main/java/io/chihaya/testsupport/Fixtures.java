package io.chihaya.testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the YAML fixtures, read once and inserted as often as needed.
 *
 * <p>The format is the reference tracker's: a file {@code <table>.yml} holds a YAML list of maps
 * from column to value. Each row is inserted with bound parameters, except that a string value
 * starting with {@code RAW=} is an SQL expression written into the statement verbatim (for example
 * {@code RAW=_binary 0x72EF...}). An empty file, a bare {@code ~} or {@code []} means no rows.
 *
 * <p>Immutable and thread-safe; {@link #insertInto} uses only the connection it is given.
 */
final class Fixtures {

    private static final String RAW_PREFIX = "RAW=";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // Keep "0.5" as the decimal it is written as, not the nearest double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One fixture file: the table and its rows, each a map from column name to value. */
    record Table(String file, String name, List<Map<String, Object>> rows) {}

    private final List<Table> tables;

    private Fixtures(List<Table> tables) {
        this.tables = List.copyOf(tables);
    }

    /**
     * Reads the given fixture files.
     *
     * @throws IllegalArgumentException naming the file and row when a file is not a list of maps
     *     of scalars, or when a table or column name cannot be a plain identifier
     */
    static Fixtures read(List<Path> files) {
        List<Table> tables = new ArrayList<>();
        for (Path file : files) {
            tables.add(readTable(file));
        }
        return new Fixtures(tables);
    }

    /** The tables read, in file-name order. */
    List<Table> tables() {
        return tables;
    }

    /**
     * Inserts every row into the current database of {@code connection}, in file order.
     *
     * @throws SQLException naming the file and row that failed
     */
    void insertInto(Connection connection) throws SQLException {
        for (Table table : tables) {
            for (int index = 0; index < table.rows().size(); index++) {
                Map<String, Object> row = table.rows().get(index);
                try (PreparedStatement statement = connection.prepareStatement(insertSql(table.name(), row))) {
                    bind(statement, row);
                    statement.executeUpdate();
                } catch (SQLException e) {
                    throw new SQLException("fixture " + table.file() + " row " + (index + 1) + ": " + e.getMessage(),
                            e.getSQLState(), e.getErrorCode(), e);
                }
            }
        }
    }

    /** The INSERT for one row: RAW= values inline, every other value a {@code ?} placeholder. */
    static String insertSql(String table, Map<String, Object> row) {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            if (columns.length() > 0) {
                columns.append(", ");
                values.append(", ");
            }
            columns.append('`').append(column.getKey()).append('`');
            values.append(rawSql(column.getValue()) != null ? rawSql(column.getValue()) : "?");
        }
        return "INSERT INTO `" + table + "` (" + columns + ") VALUES (" + values + ")";
    }

    private static void bind(PreparedStatement statement, Map<String, Object> row) throws SQLException {
        int parameter = 1;
        for (Object value : row.values()) {
            if (rawSql(value) != null) {
                continue;
            }
            if (value == null) {
                statement.setNull(parameter, Types.NULL);
            } else {
                statement.setObject(parameter, value);
            }
            parameter++;
        }
    }

    private static String rawSql(Object value) {
        return value instanceof String text && text.startsWith(RAW_PREFIX) ? text.substring(RAW_PREFIX.length()) : null;
    }

    private static Table readTable(Path file) {
        String fileName = file.getFileName().toString();
        String table = fileName.endsWith(".yml") ? fileName.substring(0, fileName.length() - 4) : fileName;
        checkIdentifier(table, file, "table name");
        JsonNode document;
        try {
            document = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + file + ": " + e.getMessage(), e);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (document == null || document.isMissingNode() || document.isNull()) {
            return new Table(fileName, table, rows);
        }
        if (!document.isArray()) {
            throw new IllegalArgumentException("fixture " + file + " is not a YAML list of rows");
        }
        for (int index = 0; index < document.size(); index++) {
            rows.add(readRow(document.get(index), file, index + 1));
        }
        return new Table(fileName, table, rows);
    }

    private static Map<String, Object> readRow(JsonNode node, Path file, int rowNumber) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("fixture " + file + " row " + rowNumber + " is not a map of column to value");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            checkIdentifier(field.getKey(), file, "column name");
            row.put(field.getKey(), scalar(field.getValue(), file, rowNumber, field.getKey()));
        }
        if (row.isEmpty()) {
            throw new IllegalArgumentException("fixture " + file + " row " + rowNumber + " has no columns");
        }
        return row;
    }

    private static Object scalar(JsonNode value, Path file, int rowNumber, String column) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        throw new IllegalArgumentException("fixture " + file + " row " + rowNumber + " column " + column
                + " is a " + value.getNodeType() + ", expected a scalar");
    }

    private static void checkIdentifier(String name, Path file, String what) {
        // Names are quoted with backticks; a backtick or NUL in one would break out of the quotes.
        if (name.isEmpty() || name.indexOf('`') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("fixture " + file + ": invalid " + what + " '" + name + "'");
        }
    }
}
