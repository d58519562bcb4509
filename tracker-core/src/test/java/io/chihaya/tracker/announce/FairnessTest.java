package io.chihaya.tracker.announce;

import io.chihaya.tracker.model.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer selection is random and fair across announces (SPEC 4.5): in swarms larger than numwant,
 * thousands of announces of one requester return every eligible peer about equally often, whatever
 * its position in the swarm's arrays: first or last slot, right after a run of the requester's own
 * (excluded) peers, or after the end of the array wraps around. With several seeders per user (a
 * leecher gets at most one seeder per user) each of a user's seeders still gets its share.
 *
 * <p>Each peer's count must lie within 25% of the mean, and the chi-square statistic of the counts
 * must stay below df + 6 sqrt(2 df) (a bound a fair selection exceeds with negligible probability;
 * drawing without replacement within an announce only lowers the statistic). Means are about 500 per
 * peer. The tracker's random generator is seeded (TestTracker), so a run is reproducible.
 * {@link #bugAUsersAdjacentSeedersShareItsTurnsEqually} guards against a position bias of the
 * one-seeder-per-user selection that these tests found (fixed by sampling within each user).
 */
class FairnessTest {
    private static final int TORRENT = 1;
    private static final int REQUESTER = 1_000;
    private static final int NUMWANT = 25;

    private final TestTracker tracker = TestTracker.create();
    private final Map<Integer, User> users = new HashMap<>();

    FairnessTest() {
        tracker.torrent(TORRENT);
    }

    private User user(int id) {
        return users.computeIfAbsent(id, tracker::user);
    }

    /** Adds peer {@code peerIndex} of {@code userId} as a seeder or leecher (appended to its array). */
    private void join(int userId, int peerIndex, boolean seeder) {
        String query = PeerFixtures.query(TestTracker.hash(TORRENT), userId, peerIndex, 0, 0, seeder ? 0 : 1_000)
                + "&event=started&numwant=0";
        assertThat(TestTracker.decode(tracker.announce(user(userId), query))).doesNotContainKey("failure reason");
    }

    /** One regular announce of the requester's peer 0; the peers it got, in order. */
    private List<PeerFixtures.ReturnedPeer> announce(boolean seeder) {
        String query = PeerFixtures.query(TestTracker.hash(TORRENT), REQUESTER, 0, 0, 0, seeder ? 0 : 1_000)
                + "&numwant=" + NUMWANT;
        Map<String, Object> response = PeerFixtures.decodeTopLevel(tracker.announce(user(REQUESTER), query));
        assertThat(response).doesNotContainKey("failure reason");
        return PeerFixtures.peers(response.get("peers"));
    }

    private static List<Integer> key(PeerFixtures.ReturnedPeer peer) {
        return List.of(peer.userId(), peer.peerIndex());
    }

    /**
     * Announces {@code rounds} times and counts how often each peer came back; checks every response
     * has {@code perResponse} distinct peers, none of the requester's user.
     */
    private Map<List<Integer>, Integer> count(boolean requesterSeeds, int rounds, int perResponse) {
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<PeerFixtures.ReturnedPeer> peers = announce(requesterSeeds);
            assertThat(peers).as("round %d", round).hasSize(perResponse);
            Set<List<Integer>> distinct = new HashSet<>();
            for (PeerFixtures.ReturnedPeer peer : peers) {
                assertThat(peer.userId()).as("round %d: requester's own peer returned", round).isNotEqualTo(REQUESTER);
                assertThat(distinct.add(key(peer))).as("round %d: %s twice", round, peer).isTrue();
                counts.merge(key(peer), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every expected peer within 25% of the mean, and a chi-square statistic below a generous bound. */
    private static void assertFair(Map<List<Integer>, Integer> counts, Set<List<Integer>> eligible, String what) {
        assertThat(counts.keySet()).as("%s: peers returned", what).isSubsetOf(eligible);
        double total = 0;
        for (List<Integer> peer : eligible) {
            total += counts.getOrDefault(peer, 0);
        }
        double mean = total / eligible.size();
        double chiSquare = 0;
        Map<List<Integer>, Integer> outliers = new LinkedHashMap<>();
        for (List<Integer> peer : eligible) {
            int observed = counts.getOrDefault(peer, 0);
            chiSquare += (observed - mean) * (observed - mean) / mean;
            if (observed < mean * 0.75 || observed > mean * 1.25) {
                outliers.put(peer, observed);
            }
        }
        assertThat(outliers).as("%s: peers (user, peer number) returned more than 25%% away from the mean %.1f",
                what, mean).isEmpty();
        int df = eligible.size() - 1;
        assertThat(chiSquare).as("%s: chi-square of %d counts (mean %.1f)", what, eligible.size(), mean)
                .isLessThan(df + 6 * Math.sqrt(2.0 * df));
    }

    @Test
    void everySeederIsReturnedToALeecherAboutEquallyOften() {
        Set<List<Integer>> eligible = new HashSet<>();
        for (int u = 1; u <= 200; u++) {
            join(u, 0, true);
            eligible.add(List.of(u, 0));
        }
        join(REQUESTER, 0, false);
        assertFair(count(false, 4_000, NUMWANT), eligible, "200 seeders of 200 users");
    }

    /**
     * Layouts of the array the requester is served from, left to right: {@code E} an eligible peer,
     * {@code O} one of the requester's own peers (excluded), a number repeats the next letter. Eligible
     * peers sit in the first and last slots, right after runs of own peers, and right after a run of
     * own peers at the end of the array (so after the wrap-around).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "E 10O E 60E 20O E 60E E",          // eligible first and last, after inner runs of own peers
            "5O E 70E 15O E 60E E 10O",         // own peers in the first and last slots: E after them and after the wrap
            "O E O E O E O E 100E O E O E O E O", // own and eligible interleaved at both ends
    })
    void positionDoesNotStarveALeecherOfSeeders(String layout) {
        assertFair(servedFrom(layout, true), eligibleOf(layout), "seeders laid out as " + layout);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"E 10O E 60E 20O E 60E E", "5O E 70E 15O E 60E E 10O"})
    void positionDoesNotStarveASeederOfLeechers(String layout) {
        assertFair(servedFrom(layout, false), eligibleOf(layout), "leechers laid out as " + layout);
    }

    /** Builds the side the requester draws from in the layout's order and counts 3,000 announces. */
    private Map<List<Integer>, Integer> servedFrom(String layout, boolean seeders) {
        int nextUser = 1;
        int ownPeer = 1;  // the requester's peer 0 announces on the other side
        for (char slot : expand(layout)) {
            if (slot == 'O') {
                join(REQUESTER, ownPeer++, seeders);
            } else {
                join(nextUser++, 0, seeders);
            }
        }
        join(REQUESTER, 0, !seeders);
        return count(!seeders, 3_000, NUMWANT);
    }

    private static Set<List<Integer>> eligibleOf(String layout) {
        Set<List<Integer>> eligible = new HashSet<>();
        int nextUser = 1;
        for (char slot : expand(layout)) {
            if (slot == 'E') {
                eligible.add(List.of(nextUser++, 0));
            }
        }
        return eligible;
    }

    private static char[] expand(String layout) {
        StringBuilder slots = new StringBuilder();
        for (String part : layout.trim().split("\\s+")) {
            int times = part.length() == 1 ? 1 : Integer.parseInt(part.substring(0, part.length() - 1));
            slots.append(String.valueOf(part.charAt(part.length() - 1)).repeat(times));
        }
        return slots.toString().toCharArray();
    }

    /** 40 users with 5 seeders each: a leecher gets 25 seeders of 25 users, and every seeder its share. */
    @Test
    void eachOfAUsersSeedersIsChosenOverTimeDespiteOnePerUser() {
        Set<List<Integer>> eligible = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            for (int u = 1; u <= 40; u++) {
                join(u, round, true);
                eligible.add(List.of(u, round));
            }
        }
        join(REQUESTER, 0, false);
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (int round = 0; round < 4_000; round++) {
            List<PeerFixtures.ReturnedPeer> peers = announce(false);
            assertThat(peers).as("round %d", round).hasSize(NUMWANT);
            Set<Integer> usersSeen = new HashSet<>();
            for (PeerFixtures.ReturnedPeer peer : peers) {
                assertThat(usersSeen.add(peer.userId())).as("round %d: two seeders of user %d", round, peer.userId())
                        .isTrue();
                counts.merge(key(peer), 1, Integer::sum);
            }
        }
        assertFair(counts, eligible, "40 users x 5 seeders");
    }

    /**
     * Users with 1, 2, 5 or 10 seeders, each user's seeders side by side in the array: every seeder is
     * chosen again and again, and never two of one user in a response. (How often differs: a user is one
     * candidate however many seeders it has, so a lone seeder is chosen more often than each of ten.)
     */
    @Test
    void everySeederOfUsersWithSeveralIsChosenOverTime() {
        int[] seedersPerUser = {1, 2, 5, 10};
        Set<List<Integer>> all = new HashSet<>();
        int u = 1;
        for (int group = 0; group < 12; group++) {
            for (int size : seedersPerUser) {
                for (int p = 0; p < size; p++) {
                    join(u, p, true);
                    all.add(List.of(u, p));
                }
                u++;
            }
        }
        join(REQUESTER, 0, false);
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (int round = 0; round < 4_000; round++) {
            List<PeerFixtures.ReturnedPeer> peers = announce(false);
            assertThat(peers).as("round %d", round).hasSize(NUMWANT);
            Set<Integer> usersSeen = new HashSet<>();
            for (PeerFixtures.ReturnedPeer peer : peers) {
                assertThat(usersSeen.add(peer.userId())).as("round %d: two seeders of user %d", round, peer.userId())
                        .isTrue();
                counts.merge(key(peer), 1, Integer::sum);
            }
        }
        Map<List<Integer>, Integer> rarelyChosen = new LinkedHashMap<>();
        for (List<Integer> seeder : all) {
            // the least likely seeder (one of ten of a user) is expected about 300 times
            if (counts.getOrDefault(seeder, 0) < 100) {
                rarelyChosen.put(seeder, counts.getOrDefault(seeder, 0));
            }
        }
        assertThat(rarelyChosen).as("seeders chosen fewer than 100 times in 4,000 announces").isEmpty();
    }

    /**
     * BUG (fairness; SwarmAnnouncer.pick and stride): the visiting order is a random start plus a random
     * stride coprime with n, not a uniformly random permutation, and with one seeder per user the first
     * of a user's seeders to be visited is the one returned. When a user's seeders sit side by side in
     * the array (clients started together, or moved together by swap-removal), those at the ends of the
     * run are visited first far more often than those in the middle. Here 20 users have 10 adjacent
     * seeders each, so every response carries exactly one seeder of every user and each seeder should be
     * that one in 1/10 of the announces; with the seeded generator the first and last of each run get
     * 135% and 143% of their fair share, those in the middle 83-88%. (With 3 adjacent seeders per user
     * in a larger swarm the middle one gets about 16% fewer turns than each end.) Summed by position in
     * the run over 40,000 choices, a fair selection stays well within the 10% bound.
     */
    @Test
    void bugAUsersAdjacentSeedersShareItsTurnsEqually() {
        int users = 20;
        int perUser = 10;
        int rounds = 2_000;
        for (int u = 1; u <= users; u++) {
            for (int p = 0; p < perUser; p++) {
                join(u, p, true);
            }
        }
        join(REQUESTER, 0, false);
        Map<List<Integer>, Integer> counts = count(false, rounds, users);
        long[] byPosition = new long[perUser];
        counts.forEach((peer, times) -> byPosition[peer.get(1)] += times);
        double fair = (double) rounds * users / perUser;  // 4,000 turns per position in the run
        List<String> unfair = new ArrayList<>();
        for (int p = 0; p < perUser; p++) {
            if (Math.abs(byPosition[p] - fair) > fair * 0.1) {
                unfair.add(String.format("position %d: %d turns (%.0f%% of fair)", p, byPosition[p], 100 * byPosition[p] / fair));
            }
        }
        assertThat(unfair).as("turns of the seeders at each position of their user's run of %d, summed over %d "
                + "users and %d announces (fair: %.0f each): %s", perUser, users, rounds, fair,
                Arrays.toString(byPosition)).isEmpty();
    }

    /** 10 seeders and 100 leechers: all seeders every time, then 15 leechers, all about equally often. */
    @Test
    void leechersFillTheRestFairlyAfterAllSeeders() {
        Set<List<Integer>> seeders = new HashSet<>();
        Set<List<Integer>> leechers = new HashSet<>();
        for (int u = 1; u <= 110; u++) {
            join(u, 0, u <= 10);
            (u <= 10 ? seeders : leechers).add(List.of(u, 0));
        }
        join(REQUESTER, 0, false);
        Map<List<Integer>, Integer> leecherCounts = new HashMap<>();
        for (int round = 0; round < 3_400; round++) {
            List<PeerFixtures.ReturnedPeer> peers = announce(false);
            assertThat(peers).as("round %d", round).hasSize(NUMWANT);
            Set<List<Integer>> firstTen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                firstTen.add(key(peers.get(i)));
            }
            assertThat(firstTen).as("round %d: the first 10 peers are the 10 seeders", round).isEqualTo(seeders);
            for (int i = 10; i < NUMWANT; i++) {
                leecherCounts.merge(key(peers.get(i)), 1, Integer::sum);
            }
        }
        assertFair(leecherCounts, leechers, "15 of 100 leechers after 10 seeders");
    }
}
