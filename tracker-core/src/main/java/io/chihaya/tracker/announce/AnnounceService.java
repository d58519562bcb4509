package io.chihaya.tracker.announce;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.config.TrackerConfig;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.Multipliers;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.chihaya.tracker.stats.AnnounceObserver;
import io.chihaya.tracker.stats.StatSink;
import io.chihaya.tracker.swarm.AnnounceOutcome;
import io.chihaya.tracker.swarm.SwarmAnnouncer;
import io.chihaya.tracker.swarm.Torrent;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Answers announces (SPEC 4): parses the raw query, resolves the address, checks client, torrent and
 * permission, updates the swarm, emits the stat changes to the {@link StatSink} and writes the bencoded
 * response. Never throws for client input; every refusal is a bencoded failure.
 *
 * <p>Thread-safe: per-thread scratch objects, lock-free reads of the {@link Registry}, and only the
 * announced torrent's lock, held for the swarm update and peer selection.
 */
public final class AnnounceService {
    private static final int MALFORMED_INTERVAL = 3600;

    private final TrackerConfig config;
    private final Registry registry;
    private final StatSink sink;
    private final AnnounceObserver observer;
    private final LongSupplier clock;
    private final Supplier<RandomGenerator> random;
    private final AddressResolver addressResolver;
    private final SwarmAnnouncer swarmAnnouncer = new SwarmAnnouncer();
    private final ThreadLocal<Scratch> scratch;

    /** Per-thread reusable state, so an announce allocates next to nothing. */
    private static final class Scratch {
        final QueryParser parser = new QueryParser();
        final AnnounceRequest request = new AnnounceRequest(1);
        final AddressResolver.Resolution address = new AddressResolver.Resolution();
        final SwarmAnnouncer.Input input = new SwarmAnnouncer.Input();
        final AnnounceOutcome outcome;

        Scratch(int maxPeers) {
            outcome = new AnnounceOutcome(maxPeers);
        }
    }

    /**
     * @param clock  current time in seconds since the epoch
     * @param random the random generator to use on the calling thread (e.g. {@code ThreadLocalRandom::current})
     */
    public AnnounceService(TrackerConfig config, Registry registry, StatSink sink, AnnounceObserver observer,
                           LongSupplier clock, Supplier<RandomGenerator> random) {
        this.config = config;
        this.registry = registry;
        this.sink = sink;
        this.observer = observer;
        this.clock = clock;
        this.random = random;
        this.addressResolver = new AddressResolver(config.proxy());
        int maxPeers = Math.max(1, config.maxNumwant());
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(maxPeers));
    }

    /**
     * Answers one announce of {@code user}, writing the response into {@code out} (reset first).
     *
     * @param query       the raw query string, still percent-encoded; may be null
     * @param proxyValue  value of the configured proxy header, null when absent
     * @param remote      the socket's remote address
     */
    public Outcome announce(User user, CharSequence query, String proxyValue, InetAddress remote, BencodeWriter out) {
        Scratch s = scratch.get();
        return announce(s, user, s.parser.parse(query, s.request), proxyValue, remote, out);
    }

    /**
     * Answers one announce of {@code user} whose raw query string is {@code query[from, to)} (one byte
     * per char, still percent-encoded, as it came off the wire), writing the response into {@code out}.
     *
     * @param proxyValue value of the configured proxy header, null when absent
     * @param remote     the socket's remote address
     */
    public Outcome announce(User user, byte[] query, int from, int to, String proxyValue, InetAddress remote,
                            BencodeWriter out) {
        Scratch s = scratch.get();
        return announce(s, user, s.parser.parse(query, from, to, s.request), proxyValue, remote, out);
    }

    private Outcome announce(Scratch s, User user, QueryParser.Result parsed, String proxyValue, InetAddress remote,
                             BencodeWriter out) {
        AnnounceRequest request = s.request;
        if (parsed != QueryParser.Result.OK) {
            return fail(out, parsed.failure(), MALFORMED_INTERVAL);
        }
        String malformed = checkMandatory(request);
        if (malformed != null) {
            return fail(out, malformed, MALFORMED_INTERVAL);
        }
        addressResolver.resolve(request.ip, request.ipv4, proxyValue, remote, s.address);
        if (s.address.failed()) {
            return fail(out, s.address.failure(), MALFORMED_INTERVAL);
        }
        int clientId = registry.approvedClients().match(request.peerId, request.peerIdLength);
        if (clientId == 0) {
            return fail(out, clientNotApproved(request.peerId), 3600);
        }
        Torrent torrent = registry.torrents().get(request.infoHashes, 0, 20);
        if (torrent == null) {
            return fail(out, "This torrent does not exist", 30);
        }

        long now = clock.getAsLong();
        RandomGenerator rng = random.get();
        SwarmAnnouncer.Input in = s.input;
        in.userId = user.id();
        in.disableDownload = user.disableDownload();
        in.hasHitAndRun = user.disableDownload()
                && registry.hitAndRuns().contains(LongSet.pair(user.id(), torrent.id()));
        in.peerId = request.peerId;
        in.ip = s.address.address();
        in.port = request.port;
        in.clientId = clientId;
        in.uploaded = request.uploaded;
        in.downloaded = request.downloaded;
        in.left = request.left;
        in.completed = request.event == Event.COMPLETED;
        in.stopped = request.event == Event.STOPPED;
        in.now = now;
        in.peerInactivity = config.intervals().peerInactivity();
        in.numwant = numwant(request);
        AnnounceOutcome result = s.outcome;
        swarmAnnouncer.announce(torrent, in, rng, result);

        switch (result.refusal()) {
            case TORRENT_STATUS:
                return fail(out, "This torrent does not exist (status: " + result.status() + ", left: "
                        + Long.toUnsignedString(request.left) + ")", 300);
            case DOWNLOAD_DISABLED:
                return fail(out, "Your download privileges are disabled", 3600);
            default:
                break;
        }
        emitStats(user, torrent, request, in, result, now);
        writeResponse(request, in, result, rng, out);
        return Outcome.OK;
    }

    private String checkMandatory(AnnounceRequest request) {
        if (request.infoHashCount == 0) {
            return "Malformed request - missing info_hash";
        }
        if (request.infoHashValues > 1) {
            return "Malformed request - multiple info_hash values provided";
        }
        if (request.peerIdLength < 0) {
            return "Malformed request - missing peer_id";
        }
        if (request.peerIdLength != AnnounceRequest.PEER_ID_LENGTH) {
            return "Malformed request - invalid peer_id";
        }
        if (request.port < 0) {
            return "Malformed request - missing port";
        }
        if (config.strictPort() && request.port < 1024) {
            return "Malformed request - port outside of acceptable range (port: " + request.port + ")";
        }
        if (!request.hasUploaded) {
            return "Malformed request - missing uploaded";
        }
        if (!request.hasDownloaded) {
            return "Malformed request - missing downloaded";
        }
        if (!request.hasLeft) {
            return "Malformed request - missing left";
        }
        return null;
    }

    /** The client's numwant (unsigned, so 2^63 and more are huge, not negative) capped at max_numwant. */
    private int numwant(AnnounceRequest request) {
        if (!request.hasNumwant) {
            return Math.min(config.numwant(), config.maxNumwant());
        }
        return Long.compareUnsigned(request.numwant, config.maxNumwant()) > 0
                ? config.maxNumwant() : (int) request.numwant;
    }

    private void emitStats(User user, Torrent torrent, AnnounceRequest request, SwarmAnnouncer.Input in,
                           AnnounceOutcome result, long now) {
        int userId = user.id();
        int torrentId = torrent.id();
        long rawUp = result.rawUp();
        long rawDown = result.rawDown();
        if (result.unpruned()) {
            sink.unprune(torrentId);
        }
        Multipliers group = registry.groupFreeleech().get(result.groupId(), result.type());
        long up = scale(rawUp, user.upMultiplier(), group.up(), result.torrentUpMultiplier());
        long down = registry.globalFreeleech() ? 0
                : scale(rawDown, user.downMultiplier(), group.down(), result.torrentDownMultiplier());
        if ((up | down | rawUp | rawDown) != 0) {
            sink.user(userId, up, down, rawUp, rawDown);
        }
        int snatches = result.snatch() ? 1 : 0;
        sink.torrent(torrentId, result.groupId(), result.type(), result.seeders(), result.leechers(), snatches,
                result.lastAction());
        long remaining = in.left < 0 ? Long.MAX_VALUE : in.left;
        sink.transferHistory(userId, torrentId, rawUp, rawDown, result.seeding(), result.startTime(), now,
                result.deltaTime(), result.seedTime(), !in.stopped, snatches, remaining);
        int ipForHistory = user.trackerHide() ? Ipv4.LOOPBACK : in.ip;
        sink.transferIp(userId, torrentId, ipForHistory, in.clientId, in.port, rawUp, rawDown, result.startTime(), now);
        if (result.snatch()) {
            sink.snatch(userId, torrentId, now);
        }
        observer.announced(torrentId, userId, in.ip, in.port, request.eventText, result.seeding(),
                rawUp, rawDown, in.uploaded, in.downloaded, in.left);
    }

    /** raw × |a| × |b| × |c|, truncated toward zero (and capped at Long.MAX_VALUE). */
    static long scale(long raw, double a, double b, double c) {
        if (raw == 0) {
            return 0;
        }
        double scaled = (double) raw * Math.abs(a) * Math.abs(b) * Math.abs(c);
        return (long) scaled;
    }

    private void writeResponse(AnnounceRequest request, SwarmAnnouncer.Input in, AnnounceOutcome result,
                               RandomGenerator rng, BencodeWriter out) {
        TrackerConfig.Intervals intervals = config.intervals();
        int drift = intervals.announceDrift();
        long interval = intervals.announce() + (drift > 0 ? rng.nextInt(drift) : 0);
        out.reset();
        out.startDict()
                .key("complete").integer(result.seeders())
                .key("downloaded").integer(result.snatched())
                .key("incomplete").integer(result.leechers())
                .key("interval").integer(interval)
                .key("min interval").integer(intervals.minAnnounce());
        if (in.numwant > 0 && !in.stopped) {
            out.key("peers");
            PeerWriter.write(result, request.compact, request.noPeerId, out);
        }
        out.end();
    }

    private Outcome fail(BencodeWriter out, String reason, int interval) {
        Responses.failure(out, reason, interval);
        return Outcome.FAILURE;
    }

    private Outcome fail(BencodeWriter out, byte[] reason, int interval) {
        Responses.failure(out, reason, interval);
        return Outcome.FAILURE;
    }

    private static byte[] clientNotApproved(byte[] peerId) {
        byte[] head = "Your client is not approved (peer_id: ".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[head.length + AnnounceRequest.PEER_ID_LENGTH + 1];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(peerId, 0, message, head.length, AnnounceRequest.PEER_ID_LENGTH);
        message[message.length - 1] = ')';
        return message;
    }
}
