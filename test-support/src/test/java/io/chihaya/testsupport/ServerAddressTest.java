package io.chihaya.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void parsesTheDefaultUrl() {
        ServerAddress server = ServerAddress.parse(SharedServer.DEFAULT_URL);
        assertEquals(new ServerAddress("127.0.0.1", 3306, "root", "", "user=root"), server);
        assertEquals("jdbc:mariadb://127.0.0.1:3306/chihaya_test_x?user=root", server.jdbcUrl("chihaya_test_x"));
    }

    @Test
    void keepsEveryParameterAndDecodesThePassword() {
        ServerAddress server = ServerAddress.parse("jdbc:mariadb://db.example:3307/ignored?user=ci&password=p%40ss&useSsl=false");
        assertEquals("db.example", server.host());
        assertEquals(3307, server.port());
        assertEquals("ci", server.user());
        assertEquals("p@ss", server.password());
        assertEquals("jdbc:mariadb://db.example:3307/d?user=ci&password=p%40ss&useSsl=false", server.jdbcUrl("d"));
    }

    @Test
    void defaultsPortAndHostAndHandlesIpv6() {
        assertEquals(new ServerAddress("localhost", 3306, "", "", ""), ServerAddress.parse("jdbc:mariadb://"));
        ServerAddress v6 = ServerAddress.parse("jdbc:mariadb://[::1]:3310?user=root");
        assertEquals("::1", v6.host());
        assertEquals(3310, v6.port());
        assertEquals("jdbc:mariadb://[::1]:3310/?user=root", v6.jdbcUrl(""));
    }

    @Test
    void addsAParameterOnlyWhenAbsent() {
        ServerAddress server = ServerAddress.parse("jdbc:mariadb://h:1/?user=root&connectTimeout=500");
        assertEquals("jdbc:mariadb://h:1/?user=root&connectTimeout=500", server.jdbcUrl("", "connectTimeout", "2000"));
        assertEquals("jdbc:mariadb://h:1/d?user=root&connectTimeout=500&allowMultiQueries=true",
                server.jdbcUrl("d", "allowMultiQueries", "true"));
        assertEquals("jdbc:mariadb://h:1/d?a=b", ServerAddress.parse("jdbc:mariadb://h:1").jdbcUrl("d", "a", "b"));
    }

    @Test
    void rejectsWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("jdbc:mysql://h/"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("jdbc:mariadb://h:x/"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("jdbc:mariadb://h:70000/"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("jdbc:mariadb://a,b/"));
    }

    @Test
    void neverPrintsThePassword() {
        String text = ServerAddress.parse("jdbc:mariadb://h/?user=u&password=topsecret").toString();
        assertFalse(text.contains("topsecret"), text);
        assertTrue(text.contains("h:3306"), text);
    }
}
