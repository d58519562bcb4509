package io.chihaya.tracker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUrlTest {
    private static TrackerConfig.Database database(String proto, String addr, String password) {
        return new TrackerConfig.Database("chihaya", password, "tracker", proto, addr, 1, 5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tcp  | 127.0.0.1:3306       | jdbc:mariadb://127.0.0.1:3306/tracker
            tcp  | db.example:3307      | jdbc:mariadb://db.example:3307/tracker
            tcp  | db.example           | jdbc:mariadb://db.example:3306/tracker
            tcp  | :3306                | jdbc:mariadb://localhost:3306/tracker
            tcp  | [::1]:3306           | jdbc:mariadb://[::1]:3306/tracker
            unix | /run/mysqld/my.sock  | jdbc:mariadb://localhost/tracker?localSocket=/run/mysqld/my.sock
            """)
    void buildsTheConnectorJUrlWithoutCredentials(String proto, String addr, String url) {
        DatabaseUrl databaseUrl = DatabaseUrl.of(database(proto, addr, "pw"));

        assertThat(databaseUrl).isEqualTo(new DatabaseUrl(url, "chihaya", "pw"));
    }

    @Test
    void describeShowsWhetherAPasswordIsSetButNeverIt() {
        assertThat(DatabaseUrl.of(database("tcp", "127.0.0.1:3306", "hunter2")).describe())
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/tracker (user chihaya, password ****)");
        assertThat(DatabaseUrl.of(database("tcp", "127.0.0.1:3306", "")).toString())
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/tracker (user chihaya, password (empty))");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '§', textBlock = """
            jdbc:mariadb://db/x                                         | jdbc:mariadb://db/x
            jdbc:mariadb://db/x?user=u&password=hunter2                 | jdbc:mariadb://db/x?user=u&password=****
            jdbc:mariadb://db/x?PASSWORD=hunter2&sslMode=verify-full    | jdbc:mariadb://db/x?PASSWORD=****&sslMode=verify-full
            jdbc:mariadb://db/x?trustStorePassword=hunter2&password     | jdbc:mariadb://db/x?trustStorePassword=****&password
            jdbc:mariadb://u:hunter2@db/x                               | jdbc:mariadb://u:****@db/x
            """)
    void maskHidesPasswordParameters(String url, String masked) {
        assertThat(DatabaseUrl.mask(url)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            :34000             | -1   | ''            | 34000
            0.0.0.0:34000      | -1   | 0.0.0.0       | 34000
            [::]:34000         | -1   | ::            | 34000
            [::1]              | 3306 | ::1           | 3306
            127.0.0.1:34000    | -1   | 127.0.0.1     | 34000
            db_1.example-x:9   | -1   | db_1.example-x | 9
            db                 | 3306 | db            | 3306
            """)
    void hostPortsThatParse(String text, int defaultPort, String host, int port) {
        assertThat(HostPort.parse(text, defaultPort)).contains(new HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''             | -1
            ':'            | -1
            34000          | -1
            db             | -1
            :0             | -1
            :65536         | -1
            :123456        | -1
            :-1            | -1
            :+80           | -1
            ::1:34000      | -1
            [::1]34000     | -1
            [db]:34000     | -1
            [::1           | -1
            'a b:1'        | -1
            'h/x:1'        | -1
            ':'            | 3306
            """)
    void hostPortsThatDoNot(String text, int defaultPort) {
        assertThat(HostPort.parse(text, defaultPort)).isEqualTo(Optional.empty());
    }

    @Test
    void hostPortPrintsAsWritten() {
        assertThat(new HostPort("::1", 3306)).hasToString("[::1]:3306");
        assertThat(new HostPort("", 34000)).hasToString(":34000");
        assertThat(new HostPort("", 34000).urlHost()).isEqualTo("localhost");
    }
}
