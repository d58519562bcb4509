package io.chihaya.tracker.flush;

/**
 * A pending change to one database row, merged with later changes to the same row while it waits.
 *
 * <p>The form in which a writer gets a row out of its {@link PendingRows} (where the rows wait as
 * primitive fields), and in which a failed batch is put back. Confined to the writer's thread.
 *
 * @param <K> the row key
 * @param <D> the concrete type
 */
abstract class Delta<K, D extends Delta<K, D>> {
    final K key;

    Delta(K key) {
        this.key = key;
    }

    /**
     * Folds in a change that happened before this one (a batch that failed to write and is put back):
     * adds are summed, overwrites keep this row's values, insert-only values keep the older one.
     */
    abstract void absorbOlder(D older);

    /** Saturating addition: counters never wrap negative. */
    static long add(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
