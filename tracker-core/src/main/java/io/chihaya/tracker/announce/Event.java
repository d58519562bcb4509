package io.chihaya.tracker.announce;

/** The {@code event} of an announce; anything but the three named events is a regular announce. */
public enum Event {
    NONE, STARTED, COMPLETED, STOPPED
}
