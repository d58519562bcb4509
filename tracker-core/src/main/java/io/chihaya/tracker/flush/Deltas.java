package io.chihaya.tracker.flush;

import io.chihaya.tracker.model.TorrentType;

/** The pending-row types, one per table the tracker writes. */
final class Deltas {
    private Deltas() {
    }

    /** {@code users_main}: additive counters. */
    static final class User extends Delta<Integer, User> {
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

        @Override
        User copy() {
            User c = new User(key);
            c.absorbOlder(this);
            return c;
        }
    }

    /** {@code torrents}: counts overwrite, Snatched adds, last_action max. */
    static final class Torrent extends Delta<Integer, Torrent> {
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

        @Override
        Torrent copy() {
            Torrent c = new Torrent(key);
            c.groupId = groupId;
            c.type = type;
            c.seeders = seeders;
            c.leechers = leechers;
            c.snatches = snatches;
            c.lastAction = lastAction;
            return c;
        }
    }

    /** {@code transfer_history}, keyed by (uid, fid). */
    static final class History extends Delta<Long, History> {
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

        @Override
        History copy() {
            History c = new History(key);
            c.up = up;
            c.down = down;
            c.seeding = seeding;
            c.startTime = startTime;
            c.lastAnnounce = lastAnnounce;
            c.activeTime = activeTime;
            c.seedTime = seedTime;
            c.active = active;
            c.snatches = snatches;
            c.remaining = remaining;
            return c;
        }
    }

    /** Key of a {@code transfer_ips} row. */
    record IpKey(int userId, int torrentId, int ip, int clientId) {
    }

    /** {@code transfer_ips}: bytes add, port and last_announce overwrite, starttime first. */
    static final class Ip extends Delta<IpKey, Ip> {
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

        @Override
        Ip copy() {
            Ip c = new Ip(key);
            c.port = port;
            c.up = up;
            c.down = down;
            c.startTime = startTime;
            c.lastAnnounce = lastAnnounce;
            return c;
        }
    }

    /** {@code transfer_history.snatched_time}, keyed by (uid, fid). */
    static final class Snatch extends Delta<Long, Snatch> {
        long time;

        Snatch(Long key) {
            super(key);
        }

        @Override
        void absorbOlder(Snatch older) {
            // The newer time wins; nothing to keep from the older one.
        }

        @Override
        Snatch copy() {
            Snatch c = new Snatch(key);
            c.time = time;
            return c;
        }
    }

    static int high(long key) {
        return (int) (key >>> 32);
    }

    static int low(long key) {
        return (int) key;
    }
}
