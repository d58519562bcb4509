package io.chihaya.tracker.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Registry.UserLoad}: the streamed replacement of the user table. */
class UserLoadTest {
    private static String passkey(int id) {
        return String.format("%032d", id);
    }

    private static User user(int id, double up, boolean disableDownload) {
        return new User(id, passkey(id), 1.0, up, disableDownload, false);
    }

    private static Registry registryWith(int users) {
        Registry registry = new Registry();
        List<User> rows = new ArrayList<>();
        for (int id = 1; id <= users; id++) {
            rows.add(user(id, 1.0, false));
        }
        registry.loadUsers(rows);
        return registry;
    }

    @Test
    void unchangedUsersKeepTheirObjectsAndKeyArrays() {
        Registry registry = registryWith(300);
        User before = registry.user(passkey(7));
        byte[] key = registry.users().storedKey(passkey(7));
        Registry.UserLoad load = registry.userLoad();
        for (int id = 1; id <= 300; id++) {
            load.accept(user(id, 1.0, false));
        }
        assertThat(load.kept()).isEqualTo(300);
        load.finish();
        assertThat(registry.users().size()).isEqualTo(300);
        assertThat(registry.user(passkey(7))).isSameAs(before);
        assertThat(registry.users().storedKey(passkey(7))).as("the old key array is reused").isSameAs(key);
    }

    @Test
    void changedNewAndRemovedUsersAppearOnlyAtTheFinish() {
        Registry registry = registryWith(10);
        User seven = registry.user(passkey(7));
        Registry.UserLoad load = registry.userLoad();
        for (int id = 2; id <= 10; id++) {
            load.accept(id == 7 ? user(7, 2.0, true) : user(id, 1.0, false));
        }
        load.accept(user(11, 1.0, false));
        assertThat(load.kept()).as("all but 7 and the new 11").isEqualTo(8);
        assertThat(registry.user(passkey(7))).as("not yet").isSameAs(seven);
        assertThat(registry.user(passkey(1))).as("not yet dropped").isNotNull();
        assertThat(registry.user(passkey(11))).as("not yet added").isNull();

        load.finish();
        assertThat(registry.user(passkey(7))).isEqualTo(user(7, 2.0, true));
        assertThat(registry.user(passkey(1))).as("gone from the database").isNull();
        assertThat(registry.user(passkey(11))).isEqualTo(user(11, 1.0, false));
        assertThat(registry.users().size()).isEqualTo(10);
        assertThat(registry.users().storedKey(passkey(11)))
                .isEqualTo(passkey(11).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(registry.users().storedKey(passkey(1))).isNull();
    }

    @Test
    void aUserWhosePasskeyChangedIsFoundOnlyByTheNewOne() {
        Registry registry = registryWith(3);
        Registry.UserLoad load = registry.userLoad();
        load.accept(user(1, 1.0, false));
        load.accept(user(2, 1.0, false));
        load.accept(new User(3, "b".repeat(32), 1.0, 1.0, false, false));
        assertThat(load.kept()).isEqualTo(2);
        load.finish();
        assertThat(registry.user(passkey(3))).isNull();
        assertThat(registry.user("b".repeat(32)).id()).isEqualTo(3);
    }

    @Test
    void aLoadAbandonedHalfWayChangesNothing() {
        Registry registry = registryWith(10);
        ByteKeyTable<User> before = registry.users();
        Registry.UserLoad load = registry.userLoad();
        load.accept(user(3, 5.0, true));
        load.accept(user(42, 1.0, false));
        // The query failed here: finish() is never called.
        assertThat(registry.users()).isSameAs(before);
        assertThat(registry.user(passkey(42))).isNull();
        assertThat(registry.user(passkey(3)).upMultiplier()).isEqualTo(1.0);
    }
}
