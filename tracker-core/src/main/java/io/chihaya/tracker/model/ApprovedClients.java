package io.chihaya.tracker.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The approved client prefixes ({@code approved_clients} rows that are not archived), matched against
 * the start of a peer_id.
 *
 * <p>Prefixes are grouped by length with one hash table per length, so a match costs one lookup per
 * distinct prefix length (a handful) however many clients are approved. Where several prefixes match,
 * the longest wins. An empty prefix approves every client. Immutable and safe for concurrent readers.
 */
public final class ApprovedClients {
    private static final ApprovedClients NONE = new ApprovedClients(new int[0], new ByteKeyTableArray(0), Map.of());

    private final int[] lengthsLongestFirst;
    private final ByteKeyTableArray tables;
    private final Map<Integer, String> prefixesById;

    private ApprovedClients(int[] lengthsLongestFirst, ByteKeyTableArray tables, Map<Integer, String> prefixesById) {
        this.lengthsLongestFirst = lengthsLongestFirst;
        this.tables = tables;
        this.prefixesById = prefixesById;
    }

    /** No client approved. */
    public static ApprovedClients none() {
        return NONE;
    }

    /**
     * Builds the matcher from {@code id → peer_id prefix}; null prefixes are skipped. Where two rows
     * have the same prefix, the lower id wins.
     */
    public static ApprovedClients of(Map<Integer, String> prefixesById) {
        TreeMap<Integer, ByteKeyTable.Builder<Integer>> byLength = new TreeMap<>();
        TreeMap<Integer, String> kept = new TreeMap<>();
        for (Map.Entry<Integer, String> entry : new TreeMap<>(prefixesById).descendingMap().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            kept.put(entry.getKey(), entry.getValue());
            byte[] prefix = entry.getValue().getBytes(StandardCharsets.ISO_8859_1);
            byLength.computeIfAbsent(prefix.length, length -> new ByteKeyTable.Builder<>(8)).put(prefix, entry.getKey());
        }
        int[] lengths = new int[byLength.size()];
        ByteKeyTableArray tables = new ByteKeyTableArray(lengths.length);
        int i = 0;
        for (Map.Entry<Integer, ByteKeyTable.Builder<Integer>> entry : byLength.descendingMap().entrySet()) {
            lengths[i] = entry.getKey();
            tables.set(i, entry.getValue().build());
            i++;
        }
        return new ApprovedClients(lengths, tables, Collections.unmodifiableMap(kept));
    }

    /** What this was built from: {@code id → peer_id prefix}, by id (for the cache file). */
    public Map<Integer, String> prefixesById() {
        return prefixesById;
    }

    /** The client id whose prefix starts {@code peerId[0, length)}, or 0 when none is approved. */
    public int match(byte[] peerId, int length) {
        for (int i = 0; i < lengthsLongestFirst.length; i++) {
            int prefixLength = lengthsLongestFirst[i];
            if (prefixLength <= length) {
                Integer id = tables.get(i).get(peerId, 0, prefixLength);
                if (id != null) {
                    return id;
                }
            }
        }
        return 0;
    }

    /** Number of approved prefixes. */
    public int size() {
        return prefixesById.size();
    }

    /** A typed array of tables (generic arrays cannot be created directly). */
    private static final class ByteKeyTableArray {
        private final Object[] tables;

        ByteKeyTableArray(int length) {
            tables = new Object[length];
        }

        void set(int index, ByteKeyTable<Integer> table) {
            tables[index] = table;
        }

        @SuppressWarnings("unchecked")
        ByteKeyTable<Integer> get(int index) {
            return (ByteKeyTable<Integer>) tables[index];
        }
    }
}
