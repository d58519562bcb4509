package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.TorrentType;

/**
 * The pending-row types, one per table the tracker writes, and for each its {@link PendingRows.Layout}:
 * where its fields sit among the {@code long}s of a pending row ({@link FlushQueues} changes them
 * there by these indexes).
 */
final class Deltas {
    private Deltas() {
    }

    /** {@code users_main}: additive counters. */
    static final class User extends Delta<Integer, User> {
        static final int UP = 0;
        static final int DOWN = 1;
        static final int RAW_UP = 2;
        static final int RAW_DOWN = 3;
        static final PendingRows.Layout<User> LAYOUT = new PendingRows.Layout<>() {
            @Override
            public int fields() {
                return 4;
            }

            @Override
            public long key1(User row) {
                return row.key;
            }

            @Override
            public User read(long key1, long key2, long[] v, int base) {
                User row = new User((int) key1);
                row.up = v[base + UP];
                row.down = v[base + DOWN];
                row.rawUp = v[base + RAW_UP];
                row.rawDown = v[base + RAW_DOWN];
                return row;
            }

            @Override
            public void write(User row, long[] v, int base) {
                v[base + UP] = row.up;
                v[base + DOWN] = row.down;
                v[base + RAW_UP] = row.rawUp;
                v[base + RAW_DOWN] = row.rawDown;
            }
        };

        long up;
        long down;
        long rawUp;
        long rawDown;

        User(Integer id) {
            super(id);
        }

        @Override
        void absorbOlder(User older) {
            up = add(up, older.up);
            down = add(down, older.down);
            rawUp = add(rawUp, older.rawUp);
            rawDown = add(rawDown, older.rawDown);
        }
    }

    /** {@code torrents}: counts overwrite, Snatched adds, last_action max. */
    static final class Torrent extends Delta<Integer, Torrent> {
        static final int GROUP_ID = 0;
        /** {@link TorrentType#ordinal()} + 1; 0 for none. */
        static final int TYPE = 1;
        static final int SEEDERS = 2;
        static final int LEECHERS = 3;
        static final int SNATCHES = 4;
        static final int LAST_ACTION = 5;
        private static final TorrentType[] TYPES = TorrentType.values();
        static final PendingRows.Layout<Torrent> LAYOUT = new PendingRows.Layout<>() {
            @Override
            public int fields() {
                return 6;
            }

            @Override
            public long key1(Torrent row) {
                return row.key;
            }

            @Override
            public Torrent read(long key1, long key2, long[] v, int base) {
                Torrent row = new Torrent((int) key1);
                row.groupId = (int) v[base + GROUP_ID];
                row.type = type(v[base + TYPE]);
                row.seeders = (int) v[base + SEEDERS];
                row.leechers = (int) v[base + LEECHERS];
                row.snatches = v[base + SNATCHES];
                row.lastAction = v[base + LAST_ACTION];
                return row;
            }

            @Override
            public void write(Torrent row, long[] v, int base) {
                v[base + GROUP_ID] = row.groupId;
                v[base + TYPE] = type(row.type);
                v[base + SEEDERS] = row.seeders;
                v[base + LEECHERS] = row.leechers;
                v[base + SNATCHES] = row.snatches;
                v[base + LAST_ACTION] = row.lastAction;
            }
        };

        int groupId;
        TorrentType type;
        int seeders;
        int leechers;
        long snatches;
        long lastAction;

        Torrent(Integer id) {
            super(id);
        }

        @Override
        void absorbOlder(Torrent older) {
            snatches = add(snatches, older.snatches);
            lastAction = Math.max(lastAction, older.lastAction);
        }

        static long type(TorrentType type) {
            return type == null ? 0 : type.ordinal() + 1;
        }

        static TorrentType type(long stored) {
            return stored == 0 ? null : TYPES[(int) stored - 1];
        }
    }

    /** {@code transfer_history}, keyed by (uid, fid). */
    static final class History extends Delta<Long, History> {
        static final int UP = 0;
        static final int DOWN = 1;
        static final int SEEDING = 2;
        static final int START_TIME = 3;
        static final int LAST_ANNOUNCE = 4;
        static final int ACTIVE_TIME = 5;
        static final int SEED_TIME = 6;
        static final int ACTIVE = 7;
        static final int SNATCHES = 8;
        static final int REMAINING = 9;
        static final PendingRows.Layout<History> LAYOUT = new PendingRows.Layout<>() {
            @Override
            public int fields() {
                return 10;
            }

            @Override
            public long key1(History row) {
                return row.key;
            }

            @Override
            public History read(long key1, long key2, long[] v, int base) {
                History row = new History(key1);
                row.up = v[base + UP];
                row.down = v[base + DOWN];
                row.seeding = v[base + SEEDING] != 0;
                row.startTime = v[base + START_TIME];
                row.lastAnnounce = v[base + LAST_ANNOUNCE];
                row.activeTime = v[base + ACTIVE_TIME];
                row.seedTime = v[base + SEED_TIME];
                row.active = v[base + ACTIVE] != 0;
                row.snatches = v[base + SNATCHES];
                row.remaining = v[base + REMAINING];
                return row;
            }

            @Override
            public void write(History row, long[] v, int base) {
                v[base + UP] = row.up;
                v[base + DOWN] = row.down;
                v[base + SEEDING] = row.seeding ? 1 : 0;
                v[base + START_TIME] = row.startTime;
                v[base + LAST_ANNOUNCE] = row.lastAnnounce;
                v[base + ACTIVE_TIME] = row.activeTime;
                v[base + SEED_TIME] = row.seedTime;
                v[base + ACTIVE] = row.active ? 1 : 0;
                v[base + SNATCHES] = row.snatches;
                v[base + REMAINING] = row.remaining;
            }
        };

        long up;
        long down;
        boolean seeding;
        long startTime;
        long lastAnnounce;
        long activeTime;
        long seedTime;
        boolean active;
        long snatches;
        long remaining;

        History(Long key) {
            super(key);
        }

        @Override
        void absorbOlder(History older) {
            up = add(up, older.up);
            down = add(down, older.down);
            startTime = older.startTime;
            activeTime = add(activeTime, older.activeTime);
            seedTime = add(seedTime, older.seedTime);
            snatches = add(snatches, older.snatches);
        }
    }

    /** Key of a {@code transfer_ips} row. */
    record IpKey(int userId, int torrentId, int ip, int clientId) {
    }

    /** {@code transfer_ips}: bytes add, port and last_announce overwrite, starttime first. */
    static final class Ip extends Delta<IpKey, Ip> {
        static final int PORT = 0;
        static final int UP = 1;
        static final int DOWN = 2;
        static final int START_TIME = 3;
        static final int LAST_ANNOUNCE = 4;
        /** Key: (uid, fid) and (ip, client id), each pair as one long. */
        static final PendingRows.Layout<Ip> LAYOUT = new PendingRows.Layout<>() {
            @Override
            public int keyWidth() {
                return 2;
            }

            @Override
            public int fields() {
                return 5;
            }

            @Override
            public long key1(Ip row) {
                return LongSet.pair(row.key.userId(), row.key.torrentId());
            }

            @Override
            public long key2(Ip row) {
                return LongSet.pair(row.key.ip(), row.key.clientId());
            }

            @Override
            public Ip read(long key1, long key2, long[] v, int base) {
                Ip row = new Ip(new IpKey(high(key1), low(key1), high(key2), low(key2)));
                row.port = (int) v[base + PORT];
                row.up = v[base + UP];
                row.down = v[base + DOWN];
                row.startTime = v[base + START_TIME];
                row.lastAnnounce = v[base + LAST_ANNOUNCE];
                return row;
            }

            @Override
            public void write(Ip row, long[] v, int base) {
                v[base + PORT] = row.port;
                v[base + UP] = row.up;
                v[base + DOWN] = row.down;
                v[base + START_TIME] = row.startTime;
                v[base + LAST_ANNOUNCE] = row.lastAnnounce;
            }
        };

        int port;
        long up;
        long down;
        long startTime;
        long lastAnnounce;

        Ip(IpKey key) {
            super(key);
        }

        @Override
        void absorbOlder(Ip older) {
            up = add(up, older.up);
            down = add(down, older.down);
            startTime = older.startTime;
        }
    }

    /** {@code transfer_history.snatched_time}, keyed by (uid, fid). */
    static final class Snatch extends Delta<Long, Snatch> {
        static final int TIME = 0;
        static final PendingRows.Layout<Snatch> LAYOUT = new PendingRows.Layout<>() {
            @Override
            public int fields() {
                return 1;
            }

            @Override
            public long key1(Snatch row) {
                return row.key;
            }

            @Override
            public Snatch read(long key1, long key2, long[] v, int base) {
                Snatch row = new Snatch(key1);
                row.time = v[base + TIME];
                return row;
            }

            @Override
            public void write(Snatch row, long[] v, int base) {
                v[base + TIME] = row.time;
            }
        };

        long time;

        Snatch(Long key) {
            super(key);
        }

        @Override
        void absorbOlder(Snatch older) {
            // The newer time wins; nothing to keep from the older one.
        }
    }

    static int high(long key) {
        return (int) (key >>> 32);
    }

    static int low(long key) {
        return (int) key;
    }
}
