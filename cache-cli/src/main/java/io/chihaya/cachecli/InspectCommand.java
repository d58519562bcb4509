package io.chihaya.cachecli;

import io.chihaya.tracker.cache.CacheHeader;
import io.chihaya.tracker.cache.CacheStore;
import io.chihaya.tracker.cache.CacheVisitor;
import io.chihaya.tracker.swarm.PeerSnapshot;
import io.chihaya.tracker.swarm.TorrentSnapshot;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;

/** {@code cc inspect}: a summary of the cache, after checking all of it; writes nothing. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Checks the whole cache (checksums, lengths, ranges, duplicates) and prints a summary: format "
                + "version, written-at time, checksum, counts of users, torrents, peers, seeders and leechers, and "
                + "the ten largest swarms. Writes nothing. A corrupt cache is one line on stderr and exit code 1."},
        footerHeading = "%nExamples:%n",
        footer = {"  cc inspect --dir /var/lib/chihaya",
                "  cc inspect --file chihaya-cache.bin.corrupt-20240131T120000Z",
                "  cc inspect --json | jq .peers"})
final class InspectCommand implements Callable<Integer> {
    private static final int LARGEST = 10;
    /** Largest first; among equals, lowest id first. */
    private static final Comparator<Swarm> BY_SIZE = Comparator.comparingInt(Swarm::peers).reversed()
            .thenComparingInt(Swarm::id);

    @ParentCommand
    private CcCommand cc;

    @ArgGroup(exclusive = true)
    private CacheLocation location;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws IOException, UserError {
        CacheStore store = CacheLocation.store(location);
        Progress progress = cc.progress();
        Summary summary = new Summary();
        Optional<CacheHeader> header;
        try {
            header = store.read(summary, progress.phase("checking"));
        } finally {
            progress.clear();
        }
        if (header.isEmpty()) {
            throw new UserError("no cache at " + store.file());
        }
        List<Swarm> largest = new ArrayList<>(summary.largest);
        largest.sort(BY_SIZE);
        if (json) {
            printJson(store, header.get(), summary, largest);
        } else {
            printText(store, header.get(), summary, largest);
        }
        return CcCommand.OK;
    }

    private void printText(CacheStore store, CacheHeader header, Summary summary, List<Swarm> largest) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(cc.stdout(), StandardCharsets.UTF_8));
        out.printf(Locale.ROOT, "file        %s%n", store.file());
        out.printf(Locale.ROOT, "size        %d bytes%n", header.fileSize());
        out.printf(Locale.ROOT, "format      version %d%n", header.version());
        out.printf(Locale.ROOT, "written at  %s%n", header.writtenAt());
        out.printf(Locale.ROOT, "checksum    ok (CRC32C %08x)%n", header.checksum());
        out.printf(Locale.ROOT, "users       %d%n", header.users());
        out.printf(Locale.ROOT, "torrents    %d%n", header.torrents());
        out.printf(Locale.ROOT, "peers       %d%n", header.peers());
        out.printf(Locale.ROOT, "seeders     %d%n", summary.seeders);
        out.printf(Locale.ROOT, "leechers    %d%n", summary.leechers);
        if (!largest.isEmpty()) {
            out.printf(Locale.ROOT, "largest swarms:%n%10s %10s %10s %11s  %s%n", "peers", "seeders", "leechers",
                    "torrent id", "info hash");
            for (Swarm swarm : largest) {
                out.printf(Locale.ROOT, "%10d %10d %10d %11d  %s%n", swarm.peers(), swarm.seeders(), swarm.leechers(),
                        swarm.id(), HexFormat.of().formatHex(swarm.infoHash()));
            }
        }
        out.flush();
    }

    private void printJson(CacheStore store, CacheHeader header, Summary summary, List<Swarm> largest) throws IOException {
        JsonOut out = new JsonOut(cc.stdout());
        out.raw("{\"file\": ").string(store.file().toString())
                .raw(", \"size\": ").number(header.fileSize())
                .raw(", \"version\": ").number(header.version())
                .raw(", \"written_at\": ").string(header.writtenAt().toString())
                .raw(", \"checksum\": \"ok\", \"crc32c\": ").string(String.format("%08x", header.checksum()))
                .raw(", \"users\": ").number(header.users())
                .raw(", \"torrents\": ").number(header.torrents())
                .raw(", \"peers\": ").number(header.peers())
                .raw(", \"seeders\": ").number(summary.seeders)
                .raw(", \"leechers\": ").number(summary.leechers)
                .raw(", \"largest_swarms\": [");
        for (int i = 0; i < largest.size(); i++) {
            Swarm swarm = largest.get(i);
            out.raw(i == 0 ? "" : ", ").raw("{\"id\": ").number(swarm.id())
                    .raw(", \"info_hash\": ").hex(swarm.infoHash())
                    .raw(", \"peers\": ").number(swarm.peers())
                    .raw(", \"seeders\": ").number(swarm.seeders())
                    .raw(", \"leechers\": ").number(swarm.leechers()).raw("}");
        }
        out.raw("]}\n");
        out.flush();
    }

    /** One torrent's size. */
    private record Swarm(int id, byte[] infoHash, int peers, int seeders, int leechers) {
    }

    /** Counts as the file streams past, keeping only the largest swarms. */
    private static final class Summary implements CacheVisitor {
        /** The smallest of the kept swarms at the head, so it is the one to drop. */
        final PriorityQueue<Swarm> largest = new PriorityQueue<>(BY_SIZE.reversed());
        long seeders;
        long leechers;

        @Override
        public void torrent(TorrentSnapshot torrent) {
            int seeding = 0;
            for (PeerSnapshot peer : torrent.peers()) {
                if (peer.seeding()) {
                    seeding++;
                }
            }
            int size = torrent.peers().size();
            seeders += seeding;
            leechers += size - seeding;
            if (size == 0) {
                return;
            }
            largest.add(new Swarm(torrent.id(), torrent.infoHash(), size, seeding, size - seeding));
            if (largest.size() > LARGEST) {
                largest.poll();
            }
        }
    }
}
