package io.chihaya.tracker.model;

import io.chihaya.tracker.swarm.Torrent;

/**
 * Everything the tracker reads from MariaDB, each part an immutable structure published through a
 * volatile field. Announces read whatever is current without locking; the loader builds replacements
 * aside and swaps them in, so an announce sees either the old or the new data, never a mix within one
 * structure. Thread-safe.
 */
public final class Registry {
    private volatile ByteKeyTable<User> users = ByteKeyTable.empty();
    private volatile ByteKeyTable<Torrent> torrents = ByteKeyTable.empty();
    private volatile LongSet hitAndRuns = LongSet.empty();
    private volatile GroupFreeleech groupFreeleech = GroupFreeleech.none();
    private volatile boolean globalFreeleech;
    private volatile ApprovedClients approvedClients = ApprovedClients.none();

    /** Users by passkey. */
    public ByteKeyTable<User> users() {
        return users;
    }

    /** Torrents by raw info hash. */
    public ByteKeyTable<Torrent> torrents() {
        return torrents;
    }

    /** Hit-and-runs as {@link LongSet#pair(int, int)} of (user, torrent). */
    public LongSet hitAndRuns() {
        return hitAndRuns;
    }

    /** Group multipliers. */
    public GroupFreeleech groupFreeleech() {
        return groupFreeleech;
    }

    /** Whether site-wide freeleech is on. */
    public boolean globalFreeleech() {
        return globalFreeleech;
    }

    /** Approved client prefixes. */
    public ApprovedClients approvedClients() {
        return approvedClients;
    }

    /** The user with that passkey, or null. */
    public User user(CharSequence passkey) {
        return users.get(passkey);
    }

    /** Replaces the users with {@code rows} (the enabled users of a fresh load). */
    public void loadUsers(Iterable<User> rows) {
        ByteKeyTable.Builder<User> builder = new ByteKeyTable.Builder<>(users.size());
        for (User user : rows) {
            builder.put(user.passkey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), user);
        }
        users = builder.build();
    }

    /**
     * Replaces the torrents with {@code rows}: a torrent still present keeps its object and its
     * swarm (row fields updated), a new one starts empty, one no longer present is dropped with its
     * peers. Announces keep running meanwhile and see the old table until the swap.
     *
     * @param pendingSnatches snatches counted in memory but not yet written, by torrent id, added to
     *                        the database's Snatched so that figures never go backwards
     */
    public void loadTorrents(Iterable<TorrentRow> rows, java.util.function.IntToLongFunction pendingSnatches) {
        TorrentLoad load = torrentLoad(pendingSnatches);
        for (TorrentRow row : rows) {
            load.accept(row);
        }
        load.finish();
    }

    /**
     * A replacement of the torrents that takes the rows one at a time as they stream from the
     * database (see {@link #loadTorrents}); nothing changes until {@link TorrentLoad#finish()}, so a
     * load abandoned half-way (a failed query) leaves every torrent as it was.
     *
     * @param pendingSnatches as for {@link #loadTorrents}
     */
    public TorrentLoad torrentLoad(java.util.function.IntToLongFunction pendingSnatches) {
        return new TorrentLoad(torrents, pendingSnatches);
    }

    /**
     * Builds the next torrent table from streamed rows. A torrent that stays keeps its object, whose
     * info hash array becomes the new table's key, so a row that changed nothing leaves no object
     * behind: only changed rows are kept until the finish, which keeps a reload of a million torrents
     * from holding a million rows in the heap at once. Not thread-safe; one load at a time.
     */
    public final class TorrentLoad implements java.util.function.Consumer<TorrentRow> {
        private final ByteKeyTable<Torrent> current;
        private final ByteKeyTable.Builder<Torrent> builder;
        private final java.util.function.IntToLongFunction pendingSnatches;
        private final java.util.List<Change> changed = new java.util.ArrayList<>();

        /** A torrent that stays, and its fresh row that differs from it. */
        private record Change(Torrent torrent, TorrentRow row) {
        }

        private TorrentLoad(ByteKeyTable<Torrent> current, java.util.function.IntToLongFunction pendingSnatches) {
            this.current = current;
            this.builder = new ByteKeyTable.Builder<>(current.size());
            this.pendingSnatches = pendingSnatches;
        }

        @Override
        public void accept(TorrentRow row) {
            long snatched = row.snatched() + pendingSnatches.applyAsLong(row.id());
            Torrent torrent = current.get(row.infoHash());
            if (torrent != null && torrent.id() == row.id()) {
                if (!torrent.hasDatabaseFields(row.status(), snatched, row.downMultiplier(), row.upMultiplier(),
                        row.groupId(), row.type())) {
                    changed.add(new Change(torrent, row));
                }
            } else {
                torrent = new Torrent(row.id(), row.infoHash(), row.status(), snatched, row.downMultiplier(),
                        row.upMultiplier(), row.groupId(), row.type(), row.lastAction());
            }
            builder.put(torrent.infoHash(), torrent);
        }

        /** Applies the changed rows and swaps the new table in. */
        public void finish() {
            for (Change change : changed) {
                TorrentRow row = change.row();
                // Read again, not the figure of accept(): snatches counted since the row arrived are
                // pending now and would be lost if the older sum were written over the torrent.
                long snatched = row.snatched() + pendingSnatches.applyAsLong(row.id());
                change.torrent().updateFromDatabase(row.status(), snatched, row.downMultiplier(), row.upMultiplier(),
                        row.groupId(), row.type());
            }
            torrents = builder.build();
        }

        /** Rows that changed a torrent that stays (for tests). */
        public int changed() {
            return changed.size();
        }
    }

    public void setUsers(ByteKeyTable<User> users) {
        this.users = users;
    }

    public void setTorrents(ByteKeyTable<Torrent> torrents) {
        this.torrents = torrents;
    }

    public void setHitAndRuns(LongSet hitAndRuns) {
        this.hitAndRuns = hitAndRuns;
    }

    public void setGroupFreeleech(GroupFreeleech groupFreeleech) {
        this.groupFreeleech = groupFreeleech;
    }

    public void setGlobalFreeleech(boolean globalFreeleech) {
        this.globalFreeleech = globalFreeleech;
    }

    public void setApprovedClients(ApprovedClients approvedClients) {
        this.approvedClients = approvedClients;
    }
}
