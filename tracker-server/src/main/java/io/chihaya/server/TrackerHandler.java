package io.chihaya.server;

import io.chihaya.bencode.BencodeWriter;
import io.chihaya.tracker.announce.AnnounceService;
import io.chihaya.tracker.announce.Outcome;
import io.chihaya.tracker.announce.Percent;
import io.chihaya.tracker.announce.Responses;
import io.chihaya.tracker.announce.ScrapeService;
import io.chihaya.tracker.model.Registry;
import io.chihaya.tracker.model.User;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Routes every request as the reference does (SPEC 3): the path is split at its last slash into a
 * directory (the passkey, slashes trimmed) and an action. Announce and scrape only touch memory and
 * are answered on the IO thread; metrics are dispatched to a worker. Thread-safe.
 */
final class TrackerHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerHandler.class);
    private static final String TEXT = "text/plain";

    private final Registry registry;
    private final AnnounceService announces;
    private final ScrapeService scrapes;
    private final Metrics metrics;
    private final boolean scrapeEnabled;
    private final HttpString proxyHeader;
    private final byte[] adminToken;
    private final ThreadLocal<BencodeWriter> writers = ThreadLocal.withInitial(() -> new BencodeWriter(512));
    private final HttpHandler metricsHandler = this::serveMetrics;

    TrackerHandler(Registry registry, AnnounceService announces, ScrapeService scrapes, Metrics metrics,
                   boolean scrapeEnabled, String proxyHeader, String adminToken) {
        this.registry = registry;
        this.announces = announces;
        this.scrapes = scrapes;
        this.metrics = metrics;
        this.scrapeEnabled = scrapeEnabled;
        this.proxyHeader = proxyHeader == null || proxyHeader.isEmpty() ? null : new HttpString(proxyHeader);
        this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        metrics.requests.increment();
        String path = Percent.decodePath(exchange.getRequestPath());
        if (path == null) {
            metrics.requestsFailed.increment();
            status(exchange, 400);
            return;
        }
        int slash = path.lastIndexOf('/');
        String action = path.substring(slash + 1);
        String directory = slash < 0 ? "" : path.substring(0, slash);
        if (action.isEmpty()) {
            status(exchange, 404);
            return;
        }
        if (onlySlashes(directory)) {
            if (action.equals("check")) {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT);
                exchange.getResponseSender().send(Long.toString(System.currentTimeMillis() / 1000));
            } else {
                status(exchange, 404);
            }
            return;
        }
        User user = registry.user(trimSlashes(directory));
        if (user == null) {
            BencodeWriter out = writers.get();
            Responses.invalidPasskey(out);
            metrics.requestsFailed.increment();
            send(exchange, 200, out);
            return;
        }
        switch (action) {
            case "announce" -> announce(exchange, user);
            case "scrape" -> {
                if (scrapeEnabled) {
                    scrape(exchange, user);
                } else {
                    status(exchange, 404);
                }
            }
            case "metrics" -> exchange.dispatch(metricsHandler);
            default -> status(exchange, 404);
        }
    }

    private void announce(HttpServerExchange exchange, User user) {
        BencodeWriter out = writers.get();
        try {
            String proxyValue = proxyHeader == null ? null : exchange.getRequestHeaders().getFirst(proxyHeader);
            InetSocketAddress source = exchange.getSourceAddress();
            Outcome outcome = announces.announce(user, exchange.getQueryString(), proxyValue,
                    source == null ? null : source.getAddress(), out);
            if (outcome != Outcome.OK) {
                metrics.requestsFailed.increment();
            }
            send(exchange, 200, out);
        } catch (RuntimeException | Error e) {
            internalError(exchange, "announce", e);
        }
    }

    private void scrape(HttpServerExchange exchange, User user) {
        BencodeWriter out = writers.get();
        try {
            if (scrapes.scrape(user, exchange.getQueryString(), out) != Outcome.OK) {
                metrics.requestsFailed.increment();
            }
            send(exchange, 200, out);
        } catch (RuntimeException | Error e) {
            internalError(exchange, "scrape", e);
        }
    }

    private void serveMetrics(HttpServerExchange exchange) {
        boolean operator = isOperator(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        byte[] body = metrics.scrape(operator);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Bearer token check in constant time; an empty configured token disables operator metrics. */
    private boolean isOperator(String authorization) {
        if (adminToken.length == 0 || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, adminToken);
    }

    private void internalError(HttpServerExchange exchange, String what, Throwable e) {
        metrics.requestsFailed.increment();
        metrics.internalErrors.increment();
        LOG.error("internal error in {} for query '{}'", what, abbreviate(exchange.getQueryString()), e);
        BencodeWriter out = new BencodeWriter();
        Responses.failure(out, "Internal error", 3600);
        send(exchange, 500, out);
    }

    private static void send(HttpServerExchange exchange, int status, BencodeWriter out) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT);
        // The writer is reused by the next request on this thread: send a copy.
        exchange.getResponseSender().send(ByteBuffer.wrap(Arrays.copyOf(out.buffer(), out.length())));
    }

    private static void status(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT);
        exchange.endExchange();
    }

    private static boolean onlySlashes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '/') {
                return false;
            }
        }
        return true;
    }

    private static String trimSlashes(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && text.charAt(from) == '/') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == '/') {
            to--;
        }
        return text.substring(from, to);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
