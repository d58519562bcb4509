package io.chihaya.server;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling. The JVM's own handlers would run shutdown hooks once and ignore a
 * second signal; the tracker instead stops cleanly on the first and exits at once on the second.
 */
final class Signals {
    private Signals() {
    }

    static void install(Runnable onSignal) {
        Signal.handle(new Signal("TERM"), signal -> onSignal.run());
        Signal.handle(new Signal("INT"), signal -> onSignal.run());
    }
}
