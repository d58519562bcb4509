package io.chihaya.bench;

import io.chihaya.tracker.announce.AnnounceRequest;
import io.chihaya.tracker.announce.QueryParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link QueryParser#parse} on realistic announce queries: 256 distinct Transmission-style query
 * Strings (random info hash and peer_id, both percent-encoded as clients do, growing counters, one in
 * eight with {@code event=started}), parsed in rotation into one reused {@link AnnounceRequest}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class QueryParseBenchmark {
    private static final int QUERIES = 256;

    private final QueryParser parser = new QueryParser();
    private final AnnounceRequest request = new AnnounceRequest(1);
    private String[] queries;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        queries = new String[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            boolean seeder = random.nextBoolean();
            AnnounceQuery query = new AnnounceQuery(Queries.infoHash(random), Queries.peerId(random),
                    1024 + random.nextInt(64_000), seeder ? 0 : random.nextLong(1L << 34), Queries.text(random, 8));
            query.counters(random.nextLong(1L << 40), random.nextLong(1L << 36));
            queries[i] = query + (i % 8 == 0 ? "&event=started" : "");
        }
        if (parser.parse(queries[0], request) != QueryParser.Result.OK || request.infoHashCount() != 1
                || request.peerIdLength() != 20) {
            throw new IllegalStateException("query did not parse: " + queries[0]);
        }
        System.out.println("sample query (" + queries[1].length() + " chars): " + queries[1]);
    }

    @Benchmark
    public AnnounceRequest parse() {
        String query = queries[next];
        next = (next + 1) & (QUERIES - 1);
        parser.parse(query, request);
        return request;
    }
}
