package io.chihaya.tracker.announce;

/** Whether a request was served or answered with a failure (for metrics). */
public enum Outcome {
    OK, FAILURE
}
