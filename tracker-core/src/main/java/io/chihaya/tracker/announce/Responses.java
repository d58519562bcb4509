package io.chihaya.tracker.announce;

import io.chihaya.bencode.BencodeWriter;

/** Writes the failure responses shared by every endpoint. */
public final class Responses {
    /** Failure reason for a passkey that matches no enabled user. */
    public static final String INVALID_PASSKEY = "Your passkey is invalid";
    /** Interval sent with {@link #INVALID_PASSKEY}. */
    public static final int INVALID_PASSKEY_INTERVAL = 3600;

    private Responses() {
    }

    /** {@code {failure reason: reason, interval: interval, min interval: interval}}, replacing {@code out}'s content. */
    public static void failure(BencodeWriter out, String reason, int interval) {
        out.reset();
        out.startDict().key("failure reason").string(reason).key("interval").integer(interval)
                .key("min interval").integer(interval).end();
    }

    /** The same with a reason given as raw bytes (it may carry a client's binary peer_id). */
    public static void failure(BencodeWriter out, byte[] reason, int interval) {
        out.reset();
        out.startDict().key("failure reason").string(reason).key("interval").integer(interval)
                .key("min interval").integer(interval).end();
    }

    /** The response to an unknown or disabled passkey. */
    public static void invalidPasskey(BencodeWriter out) {
        failure(out, INVALID_PASSKEY, INVALID_PASSKEY_INTERVAL);
    }
}
