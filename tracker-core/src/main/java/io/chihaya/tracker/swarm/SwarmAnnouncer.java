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
        long high = Swarm.keyHigh(in.peerId);
        long mid = Swarm.keyMid(in.peerId);
        int low = Swarm.keyLow(in.peerId);
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
            int slot = swarm.find(in.userId, high, mid, low);
            boolean isNew = slot < 0;
            boolean wasSeeding = !isNew && swarm.isSeeder(slot);
            if (isNew) {
                out.rawUp = 0;
                out.rawDown = 0;
                out.deltaTime = 0;
                out.startTime = Integer.toUnsignedLong((int) in.now);
            } else {
                out.rawUp = delta(in.uploaded, swarm.uploaded(slot));
                out.rawDown = delta(in.downloaded, swarm.downloaded(slot));
                long elapsed = in.now - swarm.lastAnnounce(slot);
                out.deltaTime = elapsed < 0 || elapsed > in.peerInactivity ? 0 : elapsed;
                out.startTime = swarm.startTime(slot);
            }
            out.seedTime = seeding ? out.deltaTime : 0;
            out.snatch = in.completed && seeding && !wasSeeding;

            if (in.stopped) {
                // A stopped peer leaves; one that was never here is not added only to be removed.
                if (!isNew) {
                    swarm.remove(slot);
                }
            } else {
                if (isNew) {
                    slot = swarm.add(in.userId, high, mid, low, seeding);
                    swarm.setStartTime(slot, (int) in.now);
                } else {
                    slot = swarm.setSeeding(slot, seeding);
                }
                swarm.update(slot, in.uploaded, in.downloaded, in.left, in.ip, in.port, in.clientId, (int) in.now);
            }
            if (seeding) {
                torrent.setLastActionLocked(Math.max(torrent.lastActionLocked(), in.now));
            }
            if (out.snatch) {
                torrent.addSnatchLocked();
            }
            out.peerCount = 0;
            if (!in.stopped && in.numwant > 0) {
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
            int slot = seeders ? swarm.seederSlot(index) : swarm.leecherSlot(index);
            index += step;
            if (index >= n) {
                index -= n;
            }
            int peerUser = swarm.userId(slot);
            if (peerUser == userId) {
                continue;
            }
            if (onePerUser) {
                int j = indexOf(out.chosenUsers, usersChosen, peerUser);
                if (j >= 0) {
                    // Reservoir sampling within the user: its k-th seeder seen replaces the pick with
                    // probability 1/k, so each of its seeders is equally likely whatever its position.
                    if (random.nextInt(++out.chosenUserSeen[j]) == 0) {
                        copyOut(swarm, slot, out.chosenUserSlot[j], out);
                    }
                    continue;
                }
                out.chosenUsers[usersChosen] = peerUser;
                out.chosenUserSeen[usersChosen] = 1;
                out.chosenUserSlot[usersChosen] = out.peerCount;
                usersChosen++;
            }
            copyOut(swarm, slot, out.peerCount++, out);
        }
    }

    private static void copyOut(Swarm swarm, int slot, int to, AnnounceOutcome out) {
        out.peerIps[to] = swarm.ip(slot);
        out.peerPorts[to] = (char) swarm.port(slot);
        swarm.copyPeerId(slot, out.peerIds, to * 20);
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
