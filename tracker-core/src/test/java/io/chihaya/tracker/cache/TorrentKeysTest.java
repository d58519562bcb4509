package io.chihaya.tracker.cache;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TorrentKeysTest {
    @Test
    void findsEveryRepeatOfAnIdOrAHashAndNothingElsePastItsExpectedSize() {
        TorrentKeys keys = new TorrentKeys(4); // grows many times over
        Random random = new Random(7);
        byte[][] hashes = new byte[5000][];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = new byte[20];
            random.nextBytes(hashes[i]);
            assertThat(keys.addId(i * 1_000_003, i)).isEqualTo(-1);
            assertThat(keys.addHash(hashes[i], i)).isEqualTo(-1);
        }
        for (int i = 0; i < hashes.length; i += 97) {
            assertThat(keys.addId(i * 1_000_003, hashes.length + i)).isEqualTo(i);
            assertThat(keys.addHash(hashes[i].clone(), hashes.length + i)).isEqualTo(i);
        }
        byte[] almost = hashes[10].clone();
        almost[19] ^= 1;
        assertThat(keys.addHash(almost, 9999)).isEqualTo(-1);
        assertThat(keys.addId(-1, 9999)).isEqualTo(-1);
        assertThat(keys.addId(0, 10_000)).isEqualTo(0); // id 0 is a key like any other
    }
}
