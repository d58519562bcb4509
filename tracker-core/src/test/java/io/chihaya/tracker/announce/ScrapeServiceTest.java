package io.chihaya.tracker.announce;

import io.chihaya.tracker.model.User;
import org.junit.jupiter.api.Test;

import static io.chihaya.tracker.announce.TestTracker.encode;
import static io.chihaya.tracker.announce.TestTracker.hash;
import static io.chihaya.tracker.announce.TestTracker.query;
import static io.chihaya.tracker.announce.TestTracker.text;
import static org.assertj.core.api.Assertions.assertThat;

class ScrapeServiceTest {
    private final TestTracker tracker = TestTracker.create();
    private final User alice = tracker.user(1);
    private final User bob = tracker.user(2);

    private static String entry(int id, int complete, int downloaded, int incomplete) {
        return "20:" + text(hash(id)) + "d8:completei" + complete + "e10:downloadedi" + downloaded
                + "e10:incompletei" + incomplete + "ee";
    }

    private static final String TAIL = "5:flagsd20:min_request_intervali900ee8:intervali900e12:min intervali900ee";

    @Test
    void countsForSeveralHashesInBencodeOrderWithUnknownAndRepeatsDropped() {
        tracker.torrent(1);
        tracker.torrent(2);
        tracker.torrent(3, 1, 1, 1, 3, io.chihaya.tracker.model.TorrentType.ANIME); // pruned: still scraped
        tracker.announce(alice, query(1, "a", 0, 0, 0, ""));
        tracker.announce(bob, query(1, "b", 0, 0, 5, ""));
        tracker.announce(bob, query(2, "b", 0, 0, 5, "event=completed"));
        String q = "info_hash=" + encode(hash(2)) + "&info_hash=" + encode(hash(1)) + "&info_hash=" + encode(hash(99))
                + "&info_hash=" + encode(hash(1)) + "&info_hash=" + encode(hash(3));
        byte[][] sorted = {hash(1), hash(2), hash(3)};
        java.util.Arrays.sort(sorted, java.util.Arrays::compareUnsigned);
        StringBuilder files = new StringBuilder();
        for (byte[] h : sorted) {
            int id = h[0];
            files.append(id == 1 ? entry(1, 1, 0, 1) : id == 2 ? entry(2, 0, 0, 1) : entry(3, 0, 0, 0));
        }
        assertThat(text(tracker.scrape(alice, q))).isEqualTo("d5:filesd" + files + "e" + TAIL);
    }

    @Test
    void torrentsTheUserMayNotDownloadAreLeftOutUnlessHitAndRun() {
        tracker.torrent(1);
        tracker.torrent(2);
        User banned = tracker.user(3, 1, 1, true, false);
        tracker.hitAndRun(3, 2);
        String q = "info_hash=" + encode(hash(1)) + "&info_hash=" + encode(hash(2));
        assertThat(text(tracker.scrape(banned, q))).isEqualTo("d5:filesd" + entry(2, 0, 0, 0) + "e" + TAIL);
    }

    @Test
    void noHashIsAFailureWithEmptyFiles() {
        assertThat(text(tracker.scrape(alice, "")))
                .isEqualTo("d14:failure reason41:Scrape without info_hash is not supported5:filesde" + TAIL);
        assertThat(text(tracker.scrape(alice, "info_hash=short")))
                .isEqualTo("d14:failure reason41:Scrape without info_hash is not supported5:filesde" + TAIL);
    }

    @Test
    void malformedQuery() {
        assertThat(text(tracker.scrape(alice, "info_hash=%Q")))
                .isEqualTo(TestTracker.failure("Malformed request - invalid percent-encoding", 3600));
    }
}
