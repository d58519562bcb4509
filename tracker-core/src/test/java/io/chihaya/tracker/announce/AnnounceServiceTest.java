package io.chihaya.tracker.announce;

import io.chihaya.tracker.announce.RecordingSink.HistoryChange;
import io.chihaya.tracker.announce.RecordingSink.IpChange;
import io.chihaya.tracker.announce.RecordingSink.Snatch;
import io.chihaya.tracker.announce.RecordingSink.TorrentChange;
import io.chihaya.tracker.announce.RecordingSink.Unprune;
import io.chihaya.tracker.announce.RecordingSink.UserChange;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.chihaya.tracker.announce.TestTracker.START;
import static io.chihaya.tracker.announce.TestTracker.encode;
import static io.chihaya.tracker.announce.TestTracker.failure;
import static io.chihaya.tracker.announce.TestTracker.hash;
import static io.chihaya.tracker.announce.TestTracker.peerId;
import static io.chihaya.tracker.announce.TestTracker.query;
import static io.chihaya.tracker.announce.TestTracker.text;
import static org.assertj.core.api.Assertions.assertThat;

class AnnounceServiceTest {
    private final TestTracker tracker = TestTracker.create();
    private final User alice = tracker.user(1);
    private final User bob = tracker.user(2);
    private final Torrent torrent = tracker.torrent(1);

    private String announce(User user, String query) {
        return text(tracker.announce(user, query));
    }

    private static final String HASH1 = "info_hash=" + encode(hash(1));
    private static final String PEER = "&peer_id=" + encode(peerId("a"));

    // ---- mandatory parameters, in order -------------------------------------------------------

    @Test
    void missingInfoHash() {
        assertThat(announce(alice, "peer_id=x&port=1")).isEqualTo(failure("Malformed request - missing info_hash", 3600));
        assertThat(announce(alice, "info_hash=tooshort" + PEER + "&port=1&uploaded=0&downloaded=0&left=0"))
                .isEqualTo(failure("Malformed request - missing info_hash", 3600));
    }

    @Test
    void multipleInfoHashes() {
        assertThat(announce(alice, HASH1 + "&" + HASH1 + PEER))
                .isEqualTo(failure("Malformed request - multiple info_hash values provided", 3600));
    }

    @Test
    void peerIdMissingOrWrongLength() {
        assertThat(announce(alice, HASH1 + "&port=1")).isEqualTo(failure("Malformed request - missing peer_id", 3600));
        assertThat(announce(alice, HASH1 + "&peer_id=-TR2short&port=1"))
                .isEqualTo(failure("Malformed request - invalid peer_id", 3600));
        assertThat(announce(alice, HASH1 + "&peer_id=" + encode(peerId("a")) + "X&port=1"))
                .isEqualTo(failure("Malformed request - invalid peer_id", 3600));
    }

    @Test
    void portMissingOrOutOfRange() {
        assertThat(announce(alice, HASH1 + PEER + "&uploaded=0")).isEqualTo(failure("Malformed request - missing port", 3600));
        assertThat(announce(alice, HASH1 + PEER + "&port=70000&uploaded=0&downloaded=0&left=0"))
                .isEqualTo(failure("Malformed request - missing port", 3600));
        assertThat(announce(alice, HASH1 + PEER + "&port=-1&uploaded=0&downloaded=0&left=0"))
                .isEqualTo(failure("Malformed request - missing port", 3600));
    }

    @Test
    void strictPortRefusesPrivilegedPorts() {
        TestTracker strict = new TestTracker(TrackerConfig.defaults().withProxy("", true), 1);
        User user = strict.user(1);
        strict.torrent(1);
        String q = HASH1 + PEER + "&port=1023&uploaded=0&downloaded=0&left=0";
        assertThat(text(strict.announce(user, q)))
                .isEqualTo(failure("Malformed request - port outside of acceptable range (port: 1023)", 3600));
        assertThat(announce(alice, q)).startsWith("d8:complete");
        assertThat(text(strict.announce(user, q.replace("port=1023", "port=1024")))).startsWith("d8:complete");
    }

    @Test
    void countersMissing() {
        String base = HASH1 + PEER + "&port=1";
        assertThat(announce(alice, base + "&downloaded=0&left=0")).isEqualTo(failure("Malformed request - missing uploaded", 3600));
        assertThat(announce(alice, base + "&uploaded=0&left=0")).isEqualTo(failure("Malformed request - missing downloaded", 3600));
        assertThat(announce(alice, base + "&uploaded=0&downloaded=0")).isEqualTo(failure("Malformed request - missing left", 3600));
        assertThat(announce(alice, base + "&uploaded=1.5&downloaded=0&left=0")).isEqualTo(failure("Malformed request - missing uploaded", 3600));
    }

    @Test
    void malformedEscapeAndOversizedQuery() {
        assertThat(announce(alice, HASH1 + "&peer_id=%zz")).isEqualTo(failure("Malformed request - invalid percent-encoding", 3600));
        assertThat(announce(alice, "x=" + "y".repeat(20_000))).isEqualTo(failure("Malformed request - query string too long", 3600));
    }

    // ---- address, client, torrent, status, permission -----------------------------------------

    @Test
    void addressFailure() {
        assertThat(announce(alice, query(1, "a", 0, 0, 0, "ip=1.1.1.1&ipv4=2.2.2.2")))
                .isEqualTo(failure("Failed to parse IP address (ip: )", 3600));
        tracker.remote = TestTracker.address("::1");
        assertThat(announce(alice, query(1, "a", 0, 0, 0, "")))
                .isEqualTo(failure("Failed to parse IP address (ip: 0:0:0:0:0:0:0:1)", 3600));
    }

    @Test
    void unapprovedClientNamesItsPeerId() {
        String q = HASH1 + "&peer_id=-XX1234567890abcdefg&port=1&uploaded=0&downloaded=0&left=0";
        assertThat(announce(alice, q))
                .isEqualTo(failure("Your client is not approved (peer_id: -XX1234567890abcdefg)", 3600));
    }

    @Test
    void unapprovedClientIsCheckedBeforeTheTorrent() {
        String q = "info_hash=" + encode(hash(99)) + "&peer_id=-XX1234567890abcdefg&port=1&uploaded=0&downloaded=0&left=0";
        assertThat(announce(alice, q)).contains("Your client is not approved");
    }

    @Test
    void unknownTorrent() {
        assertThat(announce(alice, query(99, "a", 0, 0, 0, ""))).isEqualTo(failure("This torrent does not exist", 30));
        assertThat(tracker.sink.calls).isEmpty();
    }

    @Test
    void prunedTorrentRefusesLeechers() {
        Torrent pruned = tracker.torrent(2, 1, 1, 1, 2, TorrentType.ANIME);
        assertThat(announce(alice, query(2, "a", 0, 0, 5, "")))
                .isEqualTo(failure("This torrent does not exist (status: 1, left: 5)", 300));
        assertThat(pruned.status()).isEqualTo(1);
        assertThat(pruned.leechers()).isZero();
        assertThat(tracker.sink.calls).isEmpty();
    }

    @Test
    void seederUnprunesAPrunedTorrent() {
        Torrent pruned = tracker.torrent(2, 1, 1, 1, 2, TorrentType.ANIME);
        assertThat(announce(alice, query(2, "a", 0, 0, 0, ""))).startsWith("d8:completei1e");
        assertThat(pruned.status()).isZero();
        assertThat(tracker.sink.of(Unprune.class)).containsExactly(new Unprune(2));
        // Un-pruned once: a leecher is now welcome.
        assertThat(announce(bob, query(2, "b", 0, 0, 9, ""))).startsWith("d8:completei1e");
        assertThat(tracker.sink.of(Unprune.class)).hasSize(1);
    }

    @Test
    void otherStatusesRefuseEvenSeeders() {
        tracker.torrent(3, 2, 1, 1, 3, TorrentType.ANIME);
        assertThat(announce(alice, query(3, "a", 0, 0, 0, "")))
                .isEqualTo(failure("This torrent does not exist (status: 2, left: 0)", 300));
    }

    @Test
    void disabledDownloadRefusesLeechingButNotSeeding() {
        User banned = tracker.user(3, 1, 1, true, false);
        assertThat(announce(banned, query(1, "c", 0, 0, 10, ""))).isEqualTo(failure("Your download privileges are disabled", 3600));
        assertThat(announce(banned, query(1, "c", 0, 0, 0, ""))).startsWith("d8:completei1e");
    }

    @Test
    void hitAndRunLetsADisabledUserDownloadThatTorrent() {
        User banned = tracker.user(3, 1, 1, true, false);
        tracker.torrent(2);
        tracker.hitAndRun(3, 2);
        assertThat(announce(banned, query(2, "c", 0, 0, 10, ""))).startsWith("d8:completei0e");
        assertThat(announce(banned, query(1, "c", 0, 0, 10, ""))).isEqualTo(failure("Your download privileges are disabled", 3600));
    }

    // ---- response ---------------------------------------------------------------------------

    @Test
    void firstLeecherGetsAnEmptyCompactPeerList() {
        assertThat(announce(alice, query(1, "a", 0, 0, 100, "")))
                .isEqualTo("d8:completei0e10:downloadedi0e10:incompletei1e8:intervali1800e12:min intervali900e5:peers0:e");
    }

    @Test
    void seederAndLeecherSeeEachOtherCompact() {
        tracker.remote = TestTracker.address("1.2.3.4");
        announce(alice, query(1, "a", 0, 0, 0, "").replace("port=6881", "port=258"));
        tracker.remote = TestTracker.address("5.6.7.8");
        String leecher = announce(bob, query(1, "b", 0, 0, 50, "").replace("port=6881", "port=513"));
        assertThat(leecher).isEqualTo("d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1800e"
                + "12:min intervali900e5:peers6:\u0001\u0002\u0003\u0004\u0001\u0002e");
        tracker.remote = TestTracker.address("1.2.3.4");
        String seeder = announce(alice, query(1, "a", 0, 0, 0, "").replace("port=6881", "port=258"));
        assertThat(seeder).endsWith("5:peers6:\u0005\u0006\u0007\u0008\u0002\u0001e");
    }

    @Test
    void dictionaryPeersWithAndWithoutPeerId() {
        tracker.remote = TestTracker.address("1.2.3.4");
        announce(alice, query(1, "a", 0, 0, 0, ""));
        String withId = announce(bob, query(1, "b", 0, 0, 50, "compact=0"));
        assertThat(withId).endsWith("5:peersld2:ip7:1.2.3.47:peer id20:" + text(peerId("a")) + "4:porti6881eeee");
        String withoutId = announce(bob, query(1, "b", 0, 0, 50, "compact=0&no_peer_id=1"));
        assertThat(withoutId).endsWith("5:peersld2:ip7:1.2.3.44:porti6881eeee");
    }

    @Test
    void numwantZeroOmitsPeersAndNumwantIsCapped() {
        assertThat(announce(alice, query(1, "a", 0, 0, 10, "numwant=0"))).doesNotContain("5:peers");
        for (int i = 0; i < 60; i++) {
            User user = tracker.user(100 + i);
            tracker.announce(user, query(1, "s" + i, 0, 0, 0, ""));
        }
        Map<String, Object> capped = TestTracker.decode(tracker.announce(alice, query(1, "a", 0, 0, 10, "numwant=99999999999")));
        assertThat(((String) capped.get("peers")).length()).isEqualTo(50 * 6);
        Map<String, Object> byDefault = TestTracker.decode(tracker.announce(alice, query(1, "a", 0, 0, 10, "")));
        assertThat(((String) byDefault.get("peers")).length()).isEqualTo(25 * 6);
        Map<String, Object> few = TestTracker.decode(tracker.announce(alice, query(1, "a", 0, 0, 10, "numwant=3")));
        assertThat(((String) few.get("peers")).length()).isEqualTo(3 * 6);
    }

    @Test
    void ownPeersAreNeverReturned() {
        announce(alice, query(1, "a1", 0, 0, 0, ""));
        announce(alice, query(1, "a2", 0, 0, 0, ""));
        String response = announce(alice, query(1, "a3", 0, 0, 10, ""));
        assertThat(response).contains("8:completei2e").endsWith("5:peers0:e");
    }

    @Test
    void leecherGetsOneSeederPerUserThenLeechers() {
        tracker.remote = TestTracker.address("1.1.1.1");
        announce(bob, query(1, "b1", 0, 0, 0, ""));
        announce(bob, query(1, "b2", 0, 0, 0, ""));
        announce(bob, query(1, "b3", 0, 0, 0, ""));
        User carol = tracker.user(3);
        tracker.remote = TestTracker.address("2.2.2.2");
        announce(carol, query(1, "c1", 0, 0, 7, ""));
        tracker.remote = TestTracker.address("3.3.3.3");
        Map<String, Object> response = TestTracker.decode(tracker.announce(alice, query(1, "a", 0, 0, 10, "compact=0")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peers = (List<Map<String, Object>>) response.get("peers");
        assertThat(peers).extracting(p -> p.get("ip")).containsExactly("1.1.1.1", "2.2.2.2");
    }

    @Test
    void seederGetsOnlyLeechers() {
        tracker.remote = TestTracker.address("1.1.1.1");
        announce(bob, query(1, "b", 0, 0, 0, ""));
        User carol = tracker.user(3);
        tracker.remote = TestTracker.address("2.2.2.2");
        announce(carol, query(1, "c", 0, 0, 7, ""));
        Map<String, Object> response = TestTracker.decode(tracker.announce(alice, query(1, "a", 0, 0, 0, "compact=0")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peers = (List<Map<String, Object>>) response.get("peers");
        assertThat(peers).extracting(p -> p.get("ip")).containsExactly("2.2.2.2");
    }

    @Test
    void intervalCarriesRandomDrift() {
        TestTracker drifting = new TestTracker(TrackerConfig.defaults(), 7);
        User user = drifting.user(1);
        drifting.torrent(1);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            long interval = (Long) TestTracker.decode(drifting.announce(user, query(1, "a", 0, 0, 1, ""))).get("interval");
            assertThat(interval).isBetween(1800L, 2099L);
            seen.add(interval);
        }
        assertThat(seen.size()).isGreaterThan(100);
    }

    // ---- swarm transitions and snatches ------------------------------------------------------

    @Test
    void leecherCompletingIsASnatchShownAtOnce() {
        announce(alice, query(1, "a", 0, 0, 100, ""));
        String done = announce(alice, query(1, "a", 0, 100, 0, "event=completed"));
        assertThat(done).startsWith("d8:completei1e10:downloadedi1e10:incompletei0e");
        assertThat(tracker.sink.of(Snatch.class)).containsExactly(new Snatch(1, 1, START));
        assertThat(tracker.sink.of(TorrentChange.class)).last().extracting(TorrentChange::snatches).isEqualTo(1);
        assertThat(tracker.sink.of(HistoryChange.class)).last().extracting(HistoryChange::snatches).isEqualTo(1);
        assertThat(torrent.snatched()).isEqualTo(1);
    }

    @Test
    void repeatedCompletedFromASeederCountsNothing() {
        announce(alice, query(1, "a", 0, 0, 100, ""));
        announce(alice, query(1, "a", 0, 100, 0, "event=completed"));
        String again = announce(alice, query(1, "a", 0, 100, 0, "event=completed"));
        assertThat(again).contains("10:downloadedi1e");
        assertThat(tracker.sink.of(Snatch.class)).hasSize(1);
    }

    @Test
    void newPeerCompletingIsASnatchButCompletedWithLeftIsNot() {
        announce(alice, query(1, "a", 0, 0, 50, "event=completed"));
        assertThat(torrent.snatched()).isZero();
        announce(bob, query(1, "b", 0, 0, 0, "event=completed"));
        assertThat(torrent.snatched()).isEqualTo(1);
        assertThat(tracker.sink.of(Snatch.class)).containsExactly(new Snatch(2, 1, START));
    }

    @Test
    void leecherReachingZeroWithoutCompletedMovesWithoutSnatch() {
        announce(alice, query(1, "a", 0, 0, 100, ""));
        assertThat(announce(alice, query(1, "a", 0, 100, 0, ""))).startsWith("d8:completei1e10:downloadedi0e10:incompletei0e");
        assertThat(tracker.sink.of(Snatch.class)).isEmpty();
    }

    @Test
    void seederReportingLeftBecomesALeecherAgain() {
        announce(alice, query(1, "a", 0, 0, 0, ""));
        assertThat(announce(alice, query(1, "a", 0, 0, 10, ""))).startsWith("d8:completei0e10:downloadedi0e10:incompletei1e");
    }

    @Test
    void stoppedRecordsThenRemovesAndSendsNoPeers() {
        announce(bob, query(1, "b", 0, 0, 0, ""));
        announce(alice, query(1, "a", 0, 0, 100, ""));
        tracker.clock.addAndGet(60);
        tracker.sink.clear();
        String stopped = announce(alice, query(1, "a", 30, 40, 60, "event=stopped"));
        assertThat(stopped).isEqualTo("d8:completei1e10:downloadedi0e10:incompletei0e8:intervali1800e12:min intervali900ee");
        assertThat(tracker.sink.of(HistoryChange.class)).containsExactly(
                new HistoryChange(1, 1, 30, 40, false, START, START + 60, 60, 0, false, 0, 60));
        assertThat(tracker.sink.of(UserChange.class)).containsExactly(new UserChange(1, 30, 40, 30, 40));
        assertThat(torrent.leechers()).isZero();
    }

    // ---- deltas ------------------------------------------------------------------------------

    @Test
    void firstAnnounceHasZeroDeltasThenDeltasAreDifferences() {
        announce(alice, query(1, "a", 1000, 500, 10, "event=started"));
        assertThat(tracker.sink.of(UserChange.class)).isEmpty();
        assertThat(tracker.sink.of(HistoryChange.class)).containsExactly(
                new HistoryChange(1, 1, 0, 0, false, START, START, 0, 0, true, 0, 10));
        assertThat(tracker.sink.of(IpChange.class)).containsExactly(
                new IpChange(1, 1, 0x08080404, 1, 6881, 0, 0, START, START));
        tracker.clock.addAndGet(100);
        tracker.sink.clear();
        announce(alice, query(1, "a", 1500, 800, 5, ""));
        assertThat(tracker.sink.of(UserChange.class)).containsExactly(new UserChange(1, 500, 300, 500, 300));
        assertThat(tracker.sink.of(HistoryChange.class)).containsExactly(
                new HistoryChange(1, 1, 500, 300, false, START, START + 100, 100, 0, true, 0, 5));
        assertThat(tracker.sink.of(TorrentChange.class)).containsExactly(
                new TorrentChange(1, 1, TorrentType.ANIME, 0, 1, 0, 0));
    }

    @Test
    void negativeDeltaAfterClientRestartCountsZero() {
        announce(alice, query(1, "a", 1000, 1000, 10, ""));
        tracker.sink.clear();
        announce(alice, query(1, "a", 10, 2000, 10, ""));
        assertThat(tracker.sink.of(UserChange.class)).containsExactly(new UserChange(1, 0, 1000, 0, 1000));
    }

    @Test
    void idleLongerThanPeerInactivityGivesNoActiveTime() {
        announce(alice, query(1, "a", 0, 0, 0, ""));
        tracker.clock.addAndGet(3901);
        tracker.sink.clear();
        announce(alice, query(1, "a", 0, 0, 0, ""));
        assertThat(tracker.sink.of(HistoryChange.class)).extracting(HistoryChange::activeTime, HistoryChange::seedTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0L));
        tracker.clock.addAndGet(3900);
        tracker.sink.clear();
        announce(alice, query(1, "a", 0, 0, 0, ""));
        assertThat(tracker.sink.of(HistoryChange.class)).extracting(HistoryChange::activeTime, HistoryChange::seedTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3900L, 3900L));
    }

    @Test
    void seedingAnnounceSetsLastAction() {
        announce(alice, query(1, "a", 0, 0, 10, ""));
        assertThat(torrent.lastAction()).isZero();
        tracker.clock.addAndGet(5);
        announce(bob, query(1, "b", 0, 0, 0, ""));
        assertThat(torrent.lastAction()).isEqualTo(START + 5);
        assertThat(tracker.sink.of(TorrentChange.class)).last().extracting(TorrentChange::lastAction).isEqualTo(START + 5);
    }

    @Test
    void multipliersOfUserGroupAndTorrentCombine() {
        User half = tracker.user(3, 2, 0.5, false, false);
        tracker.torrent(2, 0, 3, -4, 7, TorrentType.MUSIC);
        tracker.group(7, TorrentType.MUSIC, 0.25, 1.5);
        tracker.group(7, TorrentType.ANIME, 100, 100);
        announce(half, query(2, "h", 0, 0, 10, ""));
        tracker.sink.clear();
        announce(half, query(2, "h", 1001, 1001, 10, ""));
        // up: 1001 * 0.5 * 1.5 * |-4| = 3003; down: 1001 * 2 * 0.25 * 3 = 1501.5 -> 1501
        assertThat(tracker.sink.of(UserChange.class)).containsExactly(new UserChange(3, 3003, 1501, 1001, 1001));
    }

    @Test
    void globalFreeleechZeroesOnlyDownload() {
        tracker.registry.setGlobalFreeleech(true);
        announce(alice, query(1, "a", 0, 0, 10, ""));
        tracker.sink.clear();
        announce(alice, query(1, "a", 70, 90, 10, ""));
        assertThat(tracker.sink.of(UserChange.class)).containsExactly(new UserChange(1, 70, 0, 70, 90));
    }

    @Test
    void trackerHideWritesLoopbackButPeersSeeTheRealAddress() {
        User hidden = tracker.user(3, 1, 1, false, true);
        tracker.remote = TestTracker.address("4.4.4.4");
        announce(hidden, query(1, "h", 0, 0, 0, ""));
        assertThat(tracker.sink.of(IpChange.class)).extracting(IpChange::ip).containsExactly(Ipv4.LOOPBACK);
        tracker.remote = TestTracker.address("5.5.5.5");
        String response = announce(alice, query(1, "a", 0, 0, 10, ""));
        assertThat(response).endsWith("5:peers6:\u0004\u0004\u0004\u0004\u001a\u00e1e");
    }

    @Test
    void observerSeesEventTextAndCounters() {
        announce(alice, query(1, "a", 5, 6, 7, "event=paused"));
        assertThat(tracker.recorded).containsExactly("1,1,8.8.4.4,6881,paused,false,0,0,5,6,7");
    }
}
