package io.chihaya.testsupport;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test class its own MariaDB database with the project's schema and
 * fixtures loaded: {@code @ExtendWith(MariaDbExtension.class)}, or {@link MariaDbTest}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Before the class's first test (and before its {@code @BeforeAll} methods) a database
 *       {@code chihaya_test_<class>_<hex>} is created on the {@linkplain SharedServer shared server}
 *       and {@code database/schema.sql} and {@code fixtures/*.yml} are loaded into it.</li>
 *   <li>After the class's last test and {@code @AfterAll} method the database is dropped, also when
 *       tests or {@code @BeforeAll} methods failed. Should the after-all callback not run, JUnit
 *       closing the class's extension store drops it instead.</li>
 *   <li>Parameters of type {@link TestDatabase} or {@link DataSource} of constructors, lifecycle
 *       and test methods are resolved to that database.</li>
 *   <li>Tests share the database within the class; call {@link TestDatabase#reset()} where a test
 *       needs the fixtures back.</li>
 *   <li>A {@code @Nested} class shares the database of its enclosing class; a nested class whose
 *       enclosing class does not use the extension gets a database of its own.</li>
 * </ul>
 *
 * <p>Thread-safety: the extension holds no state of its own; JUnit's store guards the per-class
 * database, and {@link SharedServer} the per-JVM server. Tests of one class that run in parallel
 * share one database and must not depend on each other's rows.
 */
public final class MariaDbExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(MariaDbExtension.class);

    /** Used by JUnit through {@code @ExtendWith}. */
    public MariaDbExtension() {}

    /**
     * The database of the test class that {@code context} belongs to, created on the first call;
     * for other extensions (for example one that starts a tracker on the test database).
     */
    public static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(ClassDatabase.class, key -> ClassDatabase.create(testClass), ClassDatabase.class)
                .database();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() looks only at this class's store: a @Nested class leaves its outer class's database alone.
        ClassDatabase database = context.getStore(NAMESPACE).remove(ClassDatabase.class, ClassDatabase.class);
        if (database != null) {
            database.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = database(context);
        return parameter.getParameter().getType() == DataSource.class ? database.dataSource() : database;
    }

    /** A test class's database in the extension store; JUnit closes it, dropping the database, when the class is done. */
    private record ClassDatabase(TestDatabase database) implements AutoCloseable {

        static ClassDatabase create(Class<?> testClass) {
            return new ClassDatabase(TestDatabase.create(
                    SharedServer.get(), DatabaseNames.forTestClass(testClass), ProjectFiles.fromWorkingDirectory()));
        }

        @Override
        public void close() {
            database.drop();
        }
    }
}
