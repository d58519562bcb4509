package io.chihaya.tracker.flush;

/**
 * A pending change to one database row, merged with later changes to the same row while it waits.
 *
 * <p>Guarded by its own monitor. Once a writer has taken it out of its queue it is {@link #sealed}
 * and never changes again; an announce that finds it sealed starts a fresh row instead.
 *
 * @param <K> the row key
 * @param <D> the concrete type
 */
abstract class Delta<K, D extends Delta<K, D>> {
    final K key;
    boolean sealed;

    Delta(K key) {
        this.key = key;
    }

    /**
     * Folds in a change that happened before this one (a batch that failed to write and is put back):
     * adds are summed, overwrites keep this row's values, insert-only values keep the older one.
     */
    abstract void absorbOlder(D older);

    /** An unsealed copy, for putting a failed batch back. */
    abstract D copy();

    /** Saturating addition: counters never wrap negative. */
    static long add(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
