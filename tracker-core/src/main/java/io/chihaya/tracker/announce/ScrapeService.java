package io.chihaya.tracker.announce;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.swarm.Torrent;

import java.util.Arrays;

/**
 * Answers scrapes (SPEC 5): counts for each known torrent the user may download, keyed by raw info
 * hash in bencode order. A torrent's Status is not checked. Thread-safe.
 */
public final class ScrapeService {
    /** Most hashes one scrape can carry: the query cap divided by the shortest encoded pair. */
    static final int MAX_HASHES = QueryParser.MAX_QUERY_LENGTH / "info_hash=".length() + 1;

    private final TrackerConfig config;
    private final Registry registry;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final QueryParser parser = new QueryParser();
        final AnnounceRequest request = new AnnounceRequest(MAX_HASHES);
        final int[] order = new int[MAX_HASHES];
    }

    public ScrapeService(TrackerConfig config, Registry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** Answers one scrape of {@code user}, writing the response into {@code out} (reset first). */
    public Outcome scrape(User user, CharSequence query, BencodeWriter out) {
        Scratch s = scratch.get();
        return scrape(s, user, s.parser.parse(query, s.request), out);
    }

    /** Answers one scrape whose raw query string is {@code query[from, to)} (see {@link QueryParser#parse(byte[], int, int, AnnounceRequest)}). */
    public Outcome scrape(User user, byte[] query, int from, int to, BencodeWriter out) {
        Scratch s = scratch.get();
        return scrape(s, user, s.parser.parse(query, from, to, s.request), out);
    }

    private Outcome scrape(Scratch s, User user, QueryParser.Result parsed, BencodeWriter out) {
        AnnounceRequest request = s.request;
        if (parsed != QueryParser.Result.OK) {
            Responses.failure(out, parsed.failure(), 3600);
            return Outcome.FAILURE;
        }
        int interval = config.intervals().scrape();
        int count = request.infoHashCount();
        byte[] hashes = request.infoHashes();
        out.reset();
        out.startDict();
        if (count == 0) {
            out.key("failure reason").string("Scrape without info_hash is not supported");
        }
        out.key("files").startDict();
        int distinct = sortDistinct(hashes, count, s.order);
        for (int i = 0; i < distinct; i++) {
            int at = s.order[i] * 20;
            Torrent torrent = registry.torrents().get(hashes, at, at + 20);
            if (torrent == null || !mayDownload(user, torrent)) {
                continue;
            }
            int seeders;
            int leechers;
            long snatched;
            synchronized (torrent) { // one consistent reading of the three counts
                seeders = torrent.seeders();
                leechers = torrent.leechers();
                snatched = torrent.snatched();
            }
            out.string(hashes, at, 20).startDict()
                    .key("complete").integer(seeders)
                    .key("downloaded").integer(snatched)
                    .key("incomplete").integer(leechers)
                    .end();
        }
        out.end();
        out.key("flags").startDict().key("min_request_interval").integer(interval).end()
                .key("interval").integer(interval)
                .key("min interval").integer(interval)
                .end();
        return count == 0 ? Outcome.FAILURE : Outcome.OK;
    }

    private boolean mayDownload(User user, Torrent torrent) {
        return !user.disableDownload() || registry.hitAndRuns().contains(LongSet.pair(user.id(), torrent.id()));
    }

    /** Sorts hash indexes by unsigned byte order, dropping repeats; returns how many remain. */
    private static int sortDistinct(byte[] hashes, int count, int[] order) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            int position = n;
            boolean duplicate = false;
            while (position > 0) {
                int cmp = Arrays.compareUnsigned(hashes, order[position - 1] * 20, order[position - 1] * 20 + 20,
                        hashes, i * 20, i * 20 + 20);
                if (cmp == 0) {
                    duplicate = true;
                    break;
                }
                if (cmp < 0) {
                    break;
                }
                position--;
            }
            if (duplicate) {
                continue;
            }
            System.arraycopy(order, position, order, position + 1, n - position);
            order[position] = i;
            n++;
        }
        return n;
    }
}
