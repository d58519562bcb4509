package io.chihaya.tracker.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovedClientsTest {
    private static int match(ApprovedClients clients, String peerId) {
        byte[] bytes = peerId.getBytes(StandardCharsets.ISO_8859_1);
        return clients.match(bytes, bytes.length);
    }

    @Test
    void prefixMatchLongestWins() {
        ApprovedClients clients = ApprovedClients.of(Map.of(1, "-TR2", 3, "-DE13", 4, "-TR29"));
        assertThat(match(clients, "-TR2940-abcdefghijkl")).isEqualTo(4);
        assertThat(match(clients, "-TR2840-abcdefghijkl")).isEqualTo(1);
        assertThat(match(clients, "-DE1390-abcdefghijkl")).isEqualTo(3);
        assertThat(match(clients, "-qB4250-abcdefghijkl")).isZero();
        assertThat(match(clients, "-TR")).isZero();
        assertThat(match(ApprovedClients.none(), "-TR2940-abcdefghijkl")).isZero();
    }

    @Test
    void sameAsLinearScanOverHundredsOfPrefixes() {
        long seed = 20261124L;
        Random random = new Random(seed);
        Map<Integer, String> prefixes = new HashMap<>();
        for (int id = 1; id <= 400; id++) {
            prefixes.put(id, randomText(random, 1 + random.nextInt(6)));
        }
        ApprovedClients clients = ApprovedClients.of(prefixes);
        for (int i = 0; i < 20_000; i++) {
            String peerId = randomText(random, 20);
            int expected = 0;
            int bestLength = -1;
            for (Map.Entry<Integer, String> e : new java.util.TreeMap<>(prefixes).entrySet()) {
                if (peerId.startsWith(e.getValue()) && e.getValue().length() > bestLength) {
                    expected = e.getKey();
                    bestLength = e.getValue().length();
                }
            }
            assertThat(match(clients, peerId)).as("seed %d peer %s", seed, peerId).isEqualTo(expected);
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append("-ab".charAt(random.nextInt(3)));
        }
        return sb.toString();
    }
}
