package io.chihaya.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small probe classes through the JUnit engine and checks what the extension did: which
 * database each got, and that none is left behind, even when tests or {@code @BeforeAll} fail.
 */
@MariaDbTest
class ExtensionLifecycleTest {

    /** Names of the databases the probes saw, in the order they saw them. */
    private static final List<String> seen = new ArrayList<>();

    private final DataSource dataSource;

    ExtensionLifecycleTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Test
    void databaseIsDroppedAfterAFailingTest() throws SQLException {
        seen.clear();
        run(FailingTestProbe.class).assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertEquals(2, seen.size());
        assertEquals(seen.get(0), seen.get(1), "one database per class, shared by its tests");
        assertEquals(0, databasesNamed(seen.get(0)), seen.get(0) + " left behind");
    }

    @Test
    void databaseIsDroppedWhenBeforeAllFails() throws SQLException {
        seen.clear();
        run(FailingBeforeAllProbe.class).assertStatistics(stats -> stats.started(0));
        assertEquals(1, seen.size());
        assertEquals(0, databasesNamed(seen.get(0)), seen.get(0) + " left behind");
    }

    @Test
    void nestedClassSharesItsOuterClassDatabase() throws SQLException {
        seen.clear();
        run(OuterProbe.class).assertStatistics(stats -> stats.succeeded(2));
        assertEquals(2, seen.size());
        assertEquals(seen.get(0), seen.get(1));
        assertEquals(0, databasesNamed(seen.get(0)), seen.get(0) + " left behind");
    }

    @Test
    void injectsTheSameDatabaseAsDataSourceAndTestDatabase(TestDatabase database) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(database.name(), connection.getCatalog());
        }
        assertEquals(1, databasesNamed(database.name()));
        assertNotNull(database.jdbcUrl());
    }

    private static Events run(Class<?> probe) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(probe)).execute().testEvents();
    }

    private int databasesNamed(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    // Probes: static nested classes without @Nested, so only EngineTestKit runs them.

    @MariaDbTest
    static class FailingTestProbe {
        @Test
        void passes(TestDatabase database) {
            seen.add(database.name());
        }

        @Test
        void fails(TestDatabase database) {
            seen.add(database.name());
            fail("on purpose");
        }
    }

    @MariaDbTest
    static class FailingBeforeAllProbe {
        @BeforeAll
        static void breaks(TestDatabase database) {
            seen.add(database.name());
            throw new IllegalStateException("on purpose");
        }

        @Test
        void neverRuns() {}
    }

    @MariaDbTest
    static class OuterProbe {
        @Test
        void outer(TestDatabase database) {
            seen.add(database.name());
        }

        @Nested
        class Inner {
            @Test
            void inner(TestDatabase database) {
                seen.add(database.name());
            }
        }
    }
}
