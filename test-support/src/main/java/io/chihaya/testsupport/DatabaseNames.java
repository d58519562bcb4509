package io.chihaya.testsupport;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names of the databases the extension creates: {@code chihaya_test_<class>_<8 hex digits>}, at
 * most 64 characters (MariaDB's limit), so a leftover database says which test class made it and
 * two classes, or two concurrent runs of one class, never share one.
 *
 * <p>Stateless and thread-safe.
 */
final class DatabaseNames {

    /** Every test database name starts with this; {@code LIKE 'chihaya\_test\_%'} finds them all. */
    static final String PREFIX = "chihaya_test_";

    /** The SQL LIKE pattern matching every test database name. */
    static final String LIKE_PATTERN = "chihaya\\_test\\_%";

    static final int MAX_LENGTH = 64;
    private static final int SUFFIX_LENGTH = 1 + 8;

    private DatabaseNames() {}

    /** A fresh name for a database of {@code testClass}. */
    static String forTestClass(Class<?> testClass) {
        return forTestClass(testClass.getSimpleName(), ThreadLocalRandom.current().nextInt());
    }

    /** The name for {@code simpleName} and the random value {@code random}; visible for tests. */
    static String forTestClass(String simpleName, int random) {
        String cleaned = simpleName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty()) {
            cleaned = "anonymous";
        }
        int room = MAX_LENGTH - PREFIX.length() - SUFFIX_LENGTH;
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, room);
        }
        return PREFIX + cleaned + "_" + String.format(Locale.ROOT, "%08x", random);
    }
}
