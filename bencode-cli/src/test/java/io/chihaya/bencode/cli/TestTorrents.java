package io.chihaya.bencode.cli;

import io.chihaya.bencode.Bencode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds realistic .torrent files: multi-file info dict, random piece hashes, a non-UTF-8 file name. */
final class TestTorrents {
    private TestTorrents() {
    }

    static byte[] multiFileTorrent(long seed) {
        Random random = new Random(seed);
        int pieceLength = 262_144;
        List<Object> files = new ArrayList<>();
        long total = 0;
        String[] names = {"01 - Intro.flac", "02 - Ünïcödé Song.flac", "03 - 日本語.flac", "cover.jpg", "log.txt"};
        for (String name : names) {
            long length = 1 + random.nextInt(50_000_000);
            total += length;
            files.add(Map.of("length", length, "path", List.of("CD1", name)));
        }
        // an old client wrote this name in Latin-1: not UTF-8, so it must survive as raw bytes
        files.add(Map.of("length", 1234L, "path", List.of("caf\u00e9.nfo".getBytes(StandardCharsets.ISO_8859_1))));
        total += 1234;
        byte[] pieces = new byte[20 * (int) ((total + pieceLength - 1) / pieceLength)];
        random.nextBytes(pieces);

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", files);
        info.put("name", "Some Artist - Some Album (2024) [FLAC]");
        info.put("piece length", (long) pieceLength);
        info.put("pieces", pieces);
        info.put("private", 1L);
        info.put("source", "EXAMPLE");

        Map<String, Object> torrent = new LinkedHashMap<>();
        torrent.put("announce", "http://tracker.example.org:34000/0123456789abcdef0123456789abcdef/announce");
        torrent.put("announce-list", List.of(List.of("http://tracker.example.org:34000/0123456789abcdef0123456789abcdef/announce"),
                List.of("udp://backup.example.org:6969/announce")));
        torrent.put("comment", "made for a test\nwith a newline");
        torrent.put("created by", "mktorrent 1.1");
        torrent.put("creation date", 1_700_000_000L);
        torrent.put("encoding", "UTF-8");
        torrent.put("info", info);
        return Bencode.encode(torrent); // value() sorts the keys, so the result is canonical
    }
}
