package io.chihaya.server.http;

/**
 * Answers requests. Called on an I/O thread with one request at a time per connection; it must not
 * block: it either answers through {@link Exchange#respond} before returning, or takes a
 * {@link Exchange#defer() deferred} answer and hands the work to another thread.
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange);
}
