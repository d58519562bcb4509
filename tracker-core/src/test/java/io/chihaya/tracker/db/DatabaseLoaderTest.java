package io.chihaya.tracker.db;

import io.chihaya.testsupport.MariaDbTest;
import io.chihaya.testsupport.TestDatabase;
import io.chihaya.tracker.model.LongSet;
import io.chihaya.tracker.model.Multipliers;
import io.chihaya.tracker.model.TorrentRow;
import io.chihaya.tracker.model.TorrentType;
import io.chihaya.tracker.model.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference's load scenarios as black-box checks against the fixture database. */
@MariaDbTest
class DatabaseLoaderTest {
    private static Database database;
    private final TestDatabase db;
    private final DatabaseLoader loader;

    DatabaseLoaderTest(TestDatabase db) {
        this.db = db;
        if (database == null) {
            database = Sql.connect(db, "");
        }
        this.loader = new DatabaseLoader(database.jdbi());
    }

    @AfterAll
    static void close() {
        database.close();
        database = null;
    }

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void loadsOnlyEnabledUsersWithMultipliersAndFlags() {
        assertThat(loader.users()).containsExactlyInAnyOrder(
                new User(1, "mUztWMpBYNCqzmge6vGeEUGSrctJbgpQ", 1, 1, false, false),
                new User(2, "tbHfQDQ9xDaQdsNv5CZBtHPfk7KGzaCw", 2, 0.5, true, true));
    }

    @Test
    void loadsHitAndRunsOfEnabledUsersOnly() {
        LongSet hnrs = loader.hitAndRuns();
        assertThat(hnrs.size()).isEqualTo(1);
        assertThat(hnrs.contains(LongSet.pair(2, 2))).isTrue();
        Sql.execute(db, "UPDATE users_main SET Enabled = '0' WHERE ID = 2");
        assertThat(loader.hitAndRuns().size()).isZero();
    }

    @Test
    void loadsTorrentsWithEveryField() {
        List<TorrentRow> rows = loader.torrents();
        assertThat(rows).hasSize(3);
        TorrentRow first = rows.stream().filter(r -> r.id() == 1).findFirst().orElseThrow();
        assertThat(HexFormat.of().withUpperCase().formatHex(first.infoHash())).isEqualTo("72EF20EDDCB5438F73B6D88D78C4DFC1667B8938");
        assertThat(first.status()).isEqualTo(1);
        assertThat(first.snatched()).isEqualTo(2);
        assertThat(first.type()).isEqualTo(TorrentType.ANIME);
        assertThat(first.lastAction()).isEqualTo(1585955952L);
        TorrentRow second = rows.stream().filter(r -> r.id() == 2).findFirst().orElseThrow();
        assertThat(second.type()).isEqualTo(TorrentType.MUSIC);
        assertThat(second.downMultiplier()).isEqualTo(2.0);
        assertThat(second.upMultiplier()).isEqualTo(0.5);
        assertThat(second.groupId()).isEqualTo(1);
    }

    @Test
    void loadsGroupFreeleech() {
        assertThat(loader.groupFreeleech().get(2, TorrentType.ANIME)).isEqualTo(new Multipliers(0, 2));
        assertThat(loader.groupFreeleech().get(2, TorrentType.MUSIC)).isEqualTo(Multipliers.NEUTRAL);
        assertThat(loader.groupFreeleech().get(1, TorrentType.ANIME)).isEqualTo(Multipliers.NEUTRAL);
    }

    @Test
    void globalFreeleechFollowsTheRowAndNoRowMeansOff() {
        assertThat(loader.globalFreeleech()).isFalse();
        Sql.execute(db, "UPDATE mod_core SET mod_setting = 1 WHERE mod_option = 'global_freeleech'");
        assertThat(loader.globalFreeleech()).isTrue();
        Sql.execute(db, "DELETE FROM mod_core WHERE mod_option = 'global_freeleech'");
        assertThat(loader.globalFreeleech()).isFalse();
    }

    @Test
    void approvedClientsExcludeArchivedOnes() {
        var clients = loader.approvedClients();
        assertThat(clients.size()).isEqualTo(2);
        assertThat(clients.match(bytes("-TR2940-xxxxxxxxxxxx"), 20)).isEqualTo(1);
        assertThat(clients.match(bytes("-DE1350-xxxxxxxxxxxx"), 20)).isEqualTo(3);
        assertThat(clients.match(bytes("-qB4250-xxxxxxxxxxxx"), 20)).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
