package io.chihaya.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleRepeatsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRepeatWithinASecondIsIgnoredAndALaterOneExits() {
        Lifecycle.Repeats repeats = new Lifecycle.Repeats();
        assertThat(repeats.signal(5 * SECOND)).isEqualTo(Lifecycle.Repeats.STOP);
        assertThat(repeats.signal(5 * SECOND + 1_000)).isEqualTo(Lifecycle.Repeats.DUPLICATE);
        assertThat(repeats.signal(5 * SECOND + SECOND - 1)).isEqualTo(Lifecycle.Repeats.DUPLICATE);
        assertThat(repeats.signal(6 * SECOND)).isEqualTo(Lifecycle.Repeats.EXIT);
    }

    @Test
    void aSecondSignalAfterTheWindowExitsAtOnce() {
        Lifecycle.Repeats repeats = new Lifecycle.Repeats();
        assertThat(repeats.signal(-3 * SECOND)).isEqualTo(Lifecycle.Repeats.STOP);
        assertThat(repeats.signal(-1 * SECOND)).isEqualTo(Lifecycle.Repeats.EXIT);
    }
}
