package io.chihaya.tracker.model;

/** A pair of download/upload multipliers, e.g. a {@code torrent_group_freeleech} row. */
public record Multipliers(double down, double up) {
    /** No change to the figures. */
    public static final Multipliers NEUTRAL = new Multipliers(1, 1);
}
