package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.LongSet;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flush statements write each batch in primary-key order, across the statements a large batch
 * is split into, and leave the caller's list (which a failed write puts back) as it was. The SQL is
 * captured by a stand-in connection; writing it to MariaDB is covered by PendingStatsDatabaseTest.
 */
class FlushStatementsOrderTest {
    private static final Pattern TUPLE = Pattern.compile("\\((-?\\d+),(-?\\d+),(-?\\d+)(?:,(-?\\d+))?");

    @Test
    void historyRowsAreWrittenByUserThenTorrentAcrossStatements() throws Exception {
        Random random = new Random(11);
        List<Deltas.History> batch = new ArrayList<>();
        for (int i = 0; i < 4500; i++) {
            // Distinct (uid, fid) pairs; fid 1..3 and a spread of users, so both key parts matter.
            Deltas.History row = new Deltas.History(LongSet.pair(1 + i / 3, 1 + i % 3));
            row.up = random.nextInt(1000);
            batch.add(row);
        }
        Collections.shuffle(batch, random);
        List<Deltas.History> before = new ArrayList<>(batch);

        List<String> sql = capture(connection -> FlushStatements.HISTORY.write(connection, batch));

        assertThat(sql).hasSize(3);
        List<long[]> written = tuples(sql);
        assertThat(written).hasSize(4500);
        for (int i = 1; i < written.size(); i++) {
            long[] a = written.get(i - 1);
            long[] b = written.get(i);
            assertThat(a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]))
                    .as("row %d (%d,%d) after (%d,%d)", i, b[0], b[1], a[0], a[1]).isTrue();
        }
        assertThat(batch).containsExactlyElementsOf(before);
    }

    @Test
    void ipRowsAreOrderedAsTheUnsignedColumnsOfTheKey() throws Exception {
        List<Deltas.Ip> batch = new ArrayList<>();
        // 203.0.113.9 is a negative int; as the unsigned column it sorts after 10.0.0.1.
        int high = (203 << 24) | (113 << 8) | 9;
        int low = (10 << 24) | 1;
        batch.add(new Deltas.Ip(new Deltas.IpKey(2, 1, low, 0)));
        batch.add(new Deltas.Ip(new Deltas.IpKey(1, 5, high, 0)));
        batch.add(new Deltas.Ip(new Deltas.IpKey(1, 5, low, 7)));
        batch.add(new Deltas.Ip(new Deltas.IpKey(1, 5, low, 3)));
        batch.add(new Deltas.Ip(new Deltas.IpKey(1, 2, high, 0)));

        List<String> sql = capture(connection -> FlushStatements.IPS.write(connection, batch));

        assertThat(sql).hasSize(1);
        List<long[]> written = tuples(sql);
        long h = Integer.toUnsignedLong(high);
        long l = Integer.toUnsignedLong(low);
        assertThat(written).extracting(t -> t[0] + "/" + t[1] + "/" + t[2] + "/" + t[3]).containsExactly(
                "1/2/" + h + "/0", "1/5/" + l + "/3", "1/5/" + l + "/7", "1/5/" + h + "/0", "2/1/" + l + "/0");
    }

    @Test
    void usersAreOrderedById() throws Exception {
        List<Deltas.User> batch = new ArrayList<>();
        for (int id : new int[]{30, 4, 17, 2}) {
            batch.add(new Deltas.User(id));
        }

        List<String> sql = capture(connection -> FlushStatements.USERS.write(connection, batch));

        Matcher ids = Pattern.compile("SELECT (\\d+)").matcher(sql.get(0));
        List<Integer> order = new ArrayList<>();
        while (ids.find()) {
            order.add(Integer.parseInt(ids.group(1)));
        }
        assertThat(order).containsExactly(2, 4, 17, 30);
    }

    private interface Write {
        void run(Connection connection) throws Exception;
    }

    /** The SQL each statement of {@code write} executes, through a connection that only records it. */
    private static List<String> capture(Write write) throws Exception {
        List<String> executed = new ArrayList<>();
        Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[]{Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "executeUpdate" -> {
                        executed.add((String) args[0]);
                        yield 0;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createStatement")) {
                        return statement;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        write.run(connection);
        return executed;
    }

    /** The first three or four numbers of each VALUES tuple, in statement order. */
    private static List<long[]> tuples(List<String> sql) {
        List<long[]> tuples = new ArrayList<>();
        for (String statement : sql) {
            Matcher m = TUPLE.matcher(statement.substring(statement.indexOf(" VALUES ")));
            while (m.find()) {
                tuples.add(new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), m.group(4) == null ? -1 : Long.parseLong(m.group(4))});
            }
        }
        return tuples;
    }
}
