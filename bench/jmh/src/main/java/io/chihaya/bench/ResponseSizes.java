package io.chihaya.bench;

import io.chihaya.tracker.announce.Outcome;

/** Counts responses, refusals and response bytes of one benchmark thread; printed at tear-down. */
final class ResponseSizes {
    private long responses;
    private long refusals;
    private long bytes;
    private int min = Integer.MAX_VALUE;
    private int max;

    /** Records one response; returns its length so that the benchmark can hand it to JMH. */
    int record(Outcome outcome, int length) {
        responses++;
        if (outcome != Outcome.OK) {
            refusals++;
        }
        bytes += length;
        if (length < min) {
            min = length;
        }
        if (length > max) {
            max = length;
        }
        return length;
    }

    String summary() {
        return String.format("responses=%d refusals=%d bytes/response: mean=%.1f min=%d max=%d", responses, refusals,
                responses == 0 ? 0.0 : (double) bytes / responses, responses == 0 ? 0 : min, max);
    }

    /** Fails the run if the tracker refused any announce, which would make the numbers meaningless. */
    void requireNoRefusals() {
        if (refusals != 0) {
            throw new IllegalStateException("the tracker refused " + refusals + " announces: " + summary());
        }
    }
}
