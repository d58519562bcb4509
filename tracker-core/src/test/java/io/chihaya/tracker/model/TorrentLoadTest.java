package io.chihaya.tracker.model;

import io.chihaya.tracker.swarm.Torrent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Registry.TorrentLoad}: the streamed replacement of the torrent table. */
class TorrentLoadTest {
    private static byte[] hash(int id) {
        byte[] hash = new byte[20];
        hash[0] = (byte) id;
        hash[19] = (byte) (id >>> 8);
        return hash;
    }

    private static TorrentRow row(int id, int status, long snatched, double down) {
        return new TorrentRow(id, hash(id), down, 1.0, snatched, status, 100 + id, TorrentType.ANIME, 0);
    }

    private static Registry registryWith(int torrents) {
        Registry registry = new Registry();
        List<TorrentRow> rows = new ArrayList<>();
        for (int id = 1; id <= torrents; id++) {
            rows.add(row(id, 0, 5, 1.0));
        }
        registry.loadTorrents(rows, id -> 0);
        return registry;
    }

    @Test
    void unchangedRowsAreNotKeptAndKeepTheirTorrentObjects() {
        Registry registry = registryWith(300);
        Torrent before = registry.torrents().get(hash(7));
        Registry.TorrentLoad load = registry.torrentLoad(id -> 0);
        for (int id = 1; id <= 300; id++) {
            load.accept(row(id, 0, 5, 1.0));
        }
        assertThat(load.changed()).isZero();
        load.finish();
        assertThat(registry.torrents().size()).isEqualTo(300);
        assertThat(registry.torrents().get(hash(7))).isSameAs(before);
        assertThat(registry.torrents().get(hash(7)).infoHash()).as("the old key array is reused").isSameAs(before.infoHash());
    }

    @Test
    void changesAppearOnlyAtTheFinish() {
        Registry registry = registryWith(10);
        Torrent seven = registry.torrents().get(hash(7));
        Registry.TorrentLoad load = registry.torrentLoad(id -> id == 7 ? 3 : 0);
        for (int id = 2; id <= 10; id++) {
            load.accept(id == 7 ? row(7, 2, 40, 0.5) : row(id, 0, 5, 1.0));
        }
        load.accept(row(11, 0, 0, 1.0));
        assertThat(load.changed()).as("torrent 7 only (its pending snatches differ too)").isEqualTo(1);
        assertThat(seven.status()).as("not yet").isZero();
        assertThat(registry.torrents().get(hash(1))).as("not yet dropped").isNotNull();
        assertThat(registry.torrents().get(hash(11))).as("not yet added").isNull();

        load.finish();
        assertThat(seven.status()).isEqualTo(2);
        assertThat(seven.snatched()).as("database 40 + 3 pending").isEqualTo(43);
        assertThat(registry.torrents().get(hash(7))).isSameAs(seven);
        assertThat(registry.torrents().get(hash(1))).as("gone from the database").isNull();
        assertThat(registry.torrents().get(hash(11))).isNotNull();
        assertThat(registry.torrents().size()).isEqualTo(10);
    }

    @Test
    void aLoadAbandonedHalfWayChangesNothing() {
        Registry registry = registryWith(10);
        Torrent three = registry.torrents().get(hash(3));
        Registry.TorrentLoad load = registry.torrentLoad(id -> 0);
        load.accept(row(3, 1, 99, 2.0));
        load.accept(row(42, 0, 0, 1.0));
        // The query failed here: finish() is never called.
        assertThat(three.status()).isZero();
        assertThat(three.snatched()).isEqualTo(5);
        assertThat(registry.torrents().size()).isEqualTo(10);
        assertThat(registry.torrents().get(hash(42))).isNull();
    }

    @Test
    void aRowWhoseIdChangedForTheSameHashIsANewTorrent() {
        Registry registry = registryWith(3);
        Torrent old = registry.torrents().get(hash(2));
        Registry.TorrentLoad load = registry.torrentLoad(id -> 0);
        load.accept(new TorrentRow(99, hash(2), 1.0, 1.0, 0, 0, 1, TorrentType.ANIME, 0));
        load.finish();
        assertThat(registry.torrents().get(hash(2))).isNotSameAs(old);
        assertThat(registry.torrents().get(hash(2)).id()).isEqualTo(99);
    }

    @Test
    void theFinishAddsThePendingSnatchesOfThatMomentNotOfTheRowsArrival() {
        Registry registry = registryWith(3);
        Torrent two = registry.torrents().get(hash(2));
        long[] pending = {0};
        Registry.TorrentLoad load = registry.torrentLoad(id -> id == 2 ? pending[0] : 0);
        load.accept(row(2, 1, 5, 1.0));
        // A completion counted after the row arrived, before the swap: it must not be lost.
        pending[0] = 4;
        load.finish();
        assertThat(two.status()).isEqualTo(1);
        assertThat(two.snatched()).as("database 5 + the 4 pending at the finish").isEqualTo(9);
    }
}
