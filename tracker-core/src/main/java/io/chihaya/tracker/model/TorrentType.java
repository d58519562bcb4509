package io.chihaya.tracker.model;

/** The {@code TorrentType} enum of the schema; also selects the group table ({@code anime → torrents_group}). */
public enum TorrentType {
    ANIME("anime"), MUSIC("music");

    private final String sqlName;

    TorrentType(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The value as stored in MariaDB. */
    public String sqlName() {
        return sqlName;
    }

    /** Parses the MariaDB enum value; anything unknown is treated as anime, the column default. */
    public static TorrentType fromSql(String value) {
        return "music".equals(value) ? MUSIC : ANIME;
    }
}
