package io.chihaya.tracker.swarm;

import java.util.random.RandomGenerator;

/**
 * The part of an announce that happens under the torrent's lock (SPEC 4.3 from the pruned check on,
 * 4.4 and the peer selection of 4.5): status and permission checks, the peer's transition, deltas,
 * snatch counting, and a random, fair choice of peers. Stateless; thread-safe.
 */
public final class SwarmAnnouncer {
    /** Everything about the announcing peer that the swarm needs. Reusable per thread. */
    public static final class Input {
        public int userId;
        public boolean disableDownload;
        public boolean hasHitAndRun;
        public byte[] peerId;
        public int ip;
        public int port;
        public int clientId;
        /** Reported counters, unsigned 64-bit. */
        public long uploaded;
        public long downloaded;
        public long left;
        public boolean completed;
        public boolean stopped;
        public long now;
        public long peerInactivity;
        public int numwant;
    }

    /**
     * Applies one announce to {@code torrent}, filling {@code out}. When {@code out.refusal()} is not
     * NONE nothing changed.
     */
    public void announce(Torrent torrent, Input in, RandomGenerator random, AnnounceOutcome out) {
        long high = PeerIds.high(in.peerId);
        long mid = PeerIds.mid(in.peerId);
        int low = PeerIds.low(in.peerId);
        boolean seeding = in.left == 0;
        synchronized (torrent) {
            out.refusal = AnnounceOutcome.Refusal.NONE;
            out.unpruned = false;
            int status = torrent.statusLocked();
            if (status != 0) {
                if (status == 1 && seeding) {
                    torrent.setStatusLocked(0);
                    out.unpruned = true;
                } else {
                    out.refusal = AnnounceOutcome.Refusal.TORRENT_STATUS;
                    out.status = status;
                    return;
                }
            }
            if (!seeding && in.disableDownload && !in.hasHitAndRun) {
                out.refusal = AnnounceOutcome.Refusal.DOWNLOAD_DISABLED;
                return;
            }
            Swarm swarm = torrent.swarm;
            Peer peer = swarm.find(in.userId, high, mid, low);
            boolean isNew = peer == null;
            boolean wasSeeding = !isNew && peer.seeding;
            if (isNew) {
                peer = new Peer(in.userId, high, mid, low);
                peer.startTime = (int) in.now;
                peer.lastAnnounce = (int) in.now;
                peer.uploaded = in.uploaded;
                peer.downloaded = in.downloaded;
                peer.seeding = seeding;
                out.rawUp = 0;
                out.rawDown = 0;
                out.deltaTime = 0;
            } else {
                out.rawUp = delta(in.uploaded, peer.uploaded);
                out.rawDown = delta(in.downloaded, peer.downloaded);
                long elapsed = in.now - Integer.toUnsignedLong(peer.lastAnnounce);
                out.deltaTime = elapsed < 0 || elapsed > in.peerInactivity ? 0 : elapsed;
            }
            out.seedTime = seeding ? out.deltaTime : 0;
            out.snatch = in.completed && seeding && !wasSeeding;
            out.startTime = Integer.toUnsignedLong(peer.startTime);

            peer.uploaded = in.uploaded;
            peer.downloaded = in.downloaded;
            peer.left = in.left;
            peer.ip = in.ip;
            peer.port = (char) in.port;
            peer.clientId = in.clientId;
            peer.lastAnnounce = (int) in.now;
            if (isNew) {
                swarm.add(peer);
            } else {
                swarm.setSeeding(peer, seeding);
            }
            if (seeding) {
                torrent.setLastActionLocked(Math.max(torrent.lastActionLocked(), in.now));
            }
            if (out.snatch) {
                torrent.addSnatchLocked();
            }
            out.peerCount = 0;
            if (in.stopped) {
                swarm.remove(peer);
            } else if (in.numwant > 0) {
                select(swarm, in.userId, seeding, Math.min(in.numwant, out.capacity()), random, out);
            }
            out.seeding = seeding;
            out.seeders = swarm.seeders();
            out.leechers = swarm.leechers();
            out.snatched = torrent.snatchedLocked();
            out.lastAction = torrent.lastActionLocked();
            out.groupId = torrent.groupIdLocked();
            out.type = torrent.typeLocked();
            out.torrentDown = torrent.downMultiplierLocked();
            out.torrentUp = torrent.upMultiplierLocked();
        }
    }

    /** reported − last for unsigned counters; 0 when it went down (client restart). */
    static long delta(long reported, long last) {
        if (Long.compareUnsigned(reported, last) <= 0) {
            return 0;
        }
        long d = reported - last;
        return d < 0 ? Long.MAX_VALUE : d;
    }

    private static void select(Swarm swarm, int userId, boolean seeding, int want, RandomGenerator random,
                               AnnounceOutcome out) {
        if (seeding) {
            pick(swarm, false, userId, want, false, random, out);
        } else {
            pick(swarm, true, userId, want, true, random, out);
            if (out.peerCount < want) {
                pick(swarm, false, userId, want, false, random, out);
            }
        }
    }

    /**
     * Visits one side in a random order (random start, random stride coprime with its size: a
     * permutation) and copies out eligible peers until {@code want} are chosen. Every peer is equally
     * likely to be chosen, whatever its position in the array.
     */
    private static void pick(Swarm swarm, boolean seeders, int userId, int want, boolean onePerUser,
                             RandomGenerator random, AnnounceOutcome out) {
        int n = seeders ? swarm.seeders() : swarm.leechers();
        if (n == 0) {
            return;
        }
        int index = random.nextInt(n);
        int step = stride(n, random);
        int usersChosen = 0;
        for (int visited = 0; visited < n && out.peerCount < want; visited++) {
            Peer peer = seeders ? swarm.seederAt(index) : swarm.leecherAt(index);
            index += step;
            if (index >= n) {
                index -= n;
            }
            if (peer.userId == userId) {
                continue;
            }
            if (onePerUser) {
                int j = indexOf(out.chosenUsers, usersChosen, peer.userId);
                if (j >= 0) {
                    // Reservoir sampling within the user: its k-th seeder seen replaces the pick with
                    // probability 1/k, so each of its seeders is equally likely whatever its position.
                    if (random.nextInt(++out.chosenUserSeen[j]) == 0) {
                        copyOut(peer, out.chosenUserSlot[j], out);
                    }
                    continue;
                }
                out.chosenUsers[usersChosen] = peer.userId;
                out.chosenUserSeen[usersChosen] = 1;
                out.chosenUserSlot[usersChosen] = out.peerCount;
                usersChosen++;
            }
            copyOut(peer, out.peerCount++, out);
        }
    }

    private static void copyOut(Peer peer, int slot, AnnounceOutcome out) {
        out.peerIps[slot] = peer.ip;
        out.peerPorts[slot] = peer.port;
        PeerIds.write(out.peerIds, slot * 20, peer.idHigh, peer.idMid, peer.idLow);
    }

    private static int stride(int n, RandomGenerator random) {
        if (n <= 2) {
            return 1;
        }
        while (true) {
            int step = 1 + random.nextInt(n - 1);
            if (gcd(step, n) == 1) {
                return step;
            }
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static int indexOf(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
