package io.chihaya.tracker.flush;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rows waiting to be written to one table, one merged {@link Delta} per row key, so memory is
 * bounded by the number of distinct rows however many announces arrive.
 *
 * <p>Thread-safe. Announces {@link #open} a row and update it under its monitor (retrying if a writer
 * sealed it meanwhile); a writer {@link #take}s rows out, sealing each; a failed batch is
 * {@link #putBack put back} and merged under any newer changes.
 */
final class PendingRows<K, D extends Delta<K, D>> {
    private final ConcurrentHashMap<K, D> rows = new ConcurrentHashMap<>();
    private final Function<K, D> factory;

    PendingRows(Function<K, D> factory) {
        this.factory = factory;
    }

    /** The pending row for {@code key}, created if absent; lock it and check {@code sealed} before use. */
    D open(K key) {
        // Most announces find their row already there. get() reads without locking, whereas
        // computeIfAbsent locks the key's bin whenever the key is not its first node.
        D row = rows.get(key);
        return row != null ? row : rows.computeIfAbsent(key, factory);
    }

    /** The pending row for {@code key} or null, without creating one. */
    D peek(K key) {
        return rows.get(key);
    }

    /** Number of distinct rows waiting. */
    int size() {
        return rows.size();
    }

    /** Takes up to {@code max} rows out of the queue, sealed. */
    List<D> take(int max) {
        return take(rows.entrySet().iterator(), max);
    }

    /** An iterator for one complete pass over the rows present now (see {@link #take(Iterator, int)}). */
    Iterator<Map.Entry<K, D>> pass() {
        return rows.entrySet().iterator();
    }

    /**
     * Takes up to {@code max} rows from a pass. Repeated calls with the same iterator take every row
     * that was present when the iterator was made (and possibly newer ones).
     */
    List<D> take(Iterator<Map.Entry<K, D>> pass, int max) {
        List<D> batch = new ArrayList<>(Math.min(max, Math.max(16, rows.size())));
        while (batch.size() < max && pass.hasNext()) {
            Map.Entry<K, D> entry = pass.next();
            D row = entry.getValue();
            if (rows.remove(entry.getKey(), row)) {
                synchronized (row) {
                    row.sealed = true;
                }
                batch.add(row);
            }
        }
        return batch;
    }

    /** Puts back rows whose write failed, merging each under any change that arrived since. */
    void putBack(List<D> failed) {
        for (D old : failed) {
            while (true) {
                D current = rows.putIfAbsent(old.key, old.copy());
                if (current == null) {
                    break;
                }
                synchronized (current) {
                    if (!current.sealed) {
                        current.absorbOlder(old);
                        break;
                    }
                }
            }
        }
    }
}
