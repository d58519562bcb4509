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
        ByteKeyTable<Torrent> current = torrents;
        ByteKeyTable.Builder<Torrent> builder = new ByteKeyTable.Builder<>(current.size());
        for (TorrentRow row : rows) {
            long snatched = row.snatched() + pendingSnatches.applyAsLong(row.id());
            Torrent torrent = current.get(row.infoHash());
            if (torrent != null && torrent.id() == row.id()) {
                torrent.updateFromDatabase(row.status(), snatched, row.downMultiplier(), row.upMultiplier(),
                        row.groupId(), row.type());
            } else {
                torrent = new Torrent(row.id(), row.infoHash(), row.status(), snatched, row.downMultiplier(),
                        row.upMultiplier(), row.groupId(), row.type(), row.lastAction());
            }
            builder.put(torrent.infoHash(), torrent);
        }
        torrents = builder.build();
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
