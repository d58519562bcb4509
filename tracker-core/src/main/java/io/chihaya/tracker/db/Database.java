package io.chihaya.tracker.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool and Jdbi of a tracker. A small pool (the five writers, the loader and
 * un-prunes) with short timeouts, so that a dead server is noticed in seconds. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    /**
     * @param jdbcUrl  a {@code jdbc:mariadb://} URL (never containing the password)
     * @param user     user name
     * @param password password, kept out of URLs and logs
     */
    public Database(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("chihaya-db");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "5000");
        config.addDataSourceProperty("socketTimeout", "120000");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        this.dataSource = new HikariDataSource(config);
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The Jdbi over the pool. */
    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
