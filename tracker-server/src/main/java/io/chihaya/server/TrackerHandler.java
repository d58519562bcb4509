package io.chihaya.server;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.server.http.ContentType;
import io.chihaya.server.http.Deferred;
import io.chihaya.server.http.Exchange;
import io.chihaya.server.http.Handler;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.announce.Outcome;
import io.chihaya.tracker.announce.Percent;
import io.chihaya.tracker.announce.Responses;
import io.chihaya.tracker.announce.ScrapeService;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Routes every request as the reference does (SPEC 3): the percent-decoded path is split at its last
 * slash into a directory (the passkey, slashes trimmed) and an action. Announce and scrape only touch
 * memory and are answered on the I/O thread, from the raw bytes of the request; metrics are handed
 * to a worker. Thread-safe.
 */
final class TrackerHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerHandler.class);
    static final ContentType TEXT = ContentType.of("text/plain");
    private static final byte[] ANNOUNCE = ascii("announce");
    private static final byte[] SCRAPE = ascii("scrape");
    private static final byte[] METRICS = ascii("metrics");
    private static final byte[] CHECK = ascii("check");
    private static final byte[] AUTHORIZATION = ascii("authorization");

    private final Registry registry;
    private final AnnounceService announces;
    private final ScrapeService scrapes;
    private final Metrics metrics;
    private final boolean scrapeEnabled;
    private final byte[] proxyHeader;
    private final byte[] adminToken;
    private final Executor workers;
    private final ContentType metricsType;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers: the response being written and the decoded path. */
    private static final class Scratch {
        final BencodeWriter out = new BencodeWriter(512);
        byte[] path = new byte[256];
    }

    /**
     * @param workers runs what may take longer than an announce (metrics); never the I/O threads
     */
    TrackerHandler(Registry registry, AnnounceService announces, ScrapeService scrapes, Metrics metrics,
                   boolean scrapeEnabled, String proxyHeader, String adminToken, Executor workers) {
        this.registry = registry;
        this.announces = announces;
        this.scrapes = scrapes;
        this.metrics = metrics;
        this.scrapeEnabled = scrapeEnabled;
        this.proxyHeader = proxyHeader == null || proxyHeader.isEmpty() ? null
                : proxyHeader.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
        this.workers = workers;
        this.metricsType = ContentType.of(metrics.contentType());
    }

    @Override
    public void handle(Exchange exchange) {
        metrics.requests.increment();
        Scratch s = scratch.get();
        int rawLength = exchange.pathEnd() - exchange.pathStart();
        if (s.path.length < rawLength) {
            s.path = new byte[rawLength];
        }
        byte[] path = s.path;
        int length = Percent.decodePath(exchange.buffer(), exchange.pathStart(), exchange.pathEnd(), path);
        if (length < 0) {
            metrics.requestsFailed.increment();
            exchange.respond(400, TEXT);
            return;
        }
        int slash = length - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        int action = slash + 1;
        if (action == length) {
            exchange.respond(404, TEXT);
            return;
        }
        int from = 0;
        int to = Math.max(slash, 0);
        while (from < to && path[from] == '/') {
            from++;
        }
        while (to > from && path[to - 1] == '/') {
            to--;
        }
        if (from == to) { // the directory is only slashes
            if (is(path, action, length, CHECK)) {
                byte[] body = ascii(Long.toString(System.currentTimeMillis() / 1000));
                exchange.respond(200, TEXT, body, 0, body.length);
            } else {
                exchange.respond(404, TEXT);
            }
            return;
        }
        User user = registry.users().get(path, from, to);
        if (user == null) {
            BencodeWriter out = s.out;
            Responses.invalidPasskey(out);
            metrics.requestsFailed.increment();
            send(exchange, 200, out);
            return;
        }
        if (is(path, action, length, ANNOUNCE)) {
            announce(exchange, user, s.out);
        } else if (is(path, action, length, SCRAPE) && scrapeEnabled) {
            scrape(exchange, user, s.out);
        } else if (is(path, action, length, METRICS)) {
            metrics(exchange);
        } else {
            exchange.respond(404, TEXT);
        }
    }

    private void announce(Exchange exchange, User user, BencodeWriter out) {
        try {
            String proxyValue = proxyHeader == null ? null : exchange.header(proxyHeader);
            Outcome outcome = announces.announce(user, exchange.buffer(), exchange.queryStart(), exchange.queryEnd(),
                    proxyValue, exchange.remoteAddress(), out);
            if (outcome != Outcome.OK) {
                metrics.requestsFailed.increment();
            }
            send(exchange, 200, out);
        } catch (RuntimeException | Error e) {
            internalError(exchange, "announce", e);
        }
    }

    private void scrape(Exchange exchange, User user, BencodeWriter out) {
        try {
            if (scrapes.scrape(user, exchange.buffer(), exchange.queryStart(), exchange.queryEnd(), out) != Outcome.OK) {
                metrics.requestsFailed.increment();
            }
            send(exchange, 200, out);
        } catch (RuntimeException | Error e) {
            internalError(exchange, "scrape", e);
        }
    }

    private void metrics(Exchange exchange) {
        boolean operator = isOperator(exchange.header(AUTHORIZATION));
        Deferred answer = exchange.defer();
        try {
            workers.execute(() -> {
                try {
                    answer.respond(200, metricsType, metrics.scrape(operator));
                } catch (RuntimeException | Error e) {
                    LOG.error("metrics failed", e);
                    metrics.internalErrors.increment();
                    answer.respond(500, TEXT, new byte[0]);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.respond(503, TEXT, new byte[0]); // stopping
        }
    }

    /** Bearer token check in constant time; an empty configured token disables operator metrics. */
    private boolean isOperator(String authorization) {
        if (adminToken.length == 0 || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, adminToken);
    }

    private void internalError(Exchange exchange, String what, Throwable e) {
        metrics.requestsFailed.increment();
        metrics.internalErrors.increment();
        LOG.error("internal error in {} for query '{}'", what, abbreviate(exchange.queryString()), e);
        BencodeWriter out = new BencodeWriter();
        Responses.failure(out, "Internal error", 3600);
        send(exchange, 500, out);
    }

    private static void send(Exchange exchange, int status, BencodeWriter out) {
        exchange.respond(status, TEXT, out.buffer(), 0, out.length()); // copied: the writer is reused at once
    }

    private static boolean is(byte[] bytes, int from, int to, byte[] word) {
        return java.util.Arrays.equals(bytes, from, to, word, 0, word.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
