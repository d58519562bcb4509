package io.chihaya.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DatabaseNamesTest {

    @Test
    void lowercasesTheClassAndAppendsEightHexDigits() {
        assertEquals("chihaya_test_fixturedatabasetest_0000beef", DatabaseNames.forTestClass("FixtureDatabaseTest", 0xbeef));
        assertEquals("chihaya_test_a_b_ffffffff", DatabaseNames.forTestClass("A$b", -1));
    }

    @Test
    void staysWithinMariaDbsLimitAndUsesOnlySafeCharacters() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(120);
            for (int c = 0; c < length; c++) {
                name.append((char) (32 + random.nextInt(400)));
            }
            String database = DatabaseNames.forTestClass(name.toString(), random.nextInt());
            assertTrue(database.length() <= DatabaseNames.MAX_LENGTH, "seed " + seed + ": " + database);
            assertTrue(database.matches("chihaya_test_[a-z0-9_]+_[0-9a-f]{8}"), "seed " + seed + ": " + database);
        }
    }

    @Test
    void twoCallsGiveTwoNames() {
        assertNotEquals(DatabaseNames.forTestClass(DatabaseNamesTest.class), DatabaseNames.forTestClass(DatabaseNamesTest.class));
    }
}
