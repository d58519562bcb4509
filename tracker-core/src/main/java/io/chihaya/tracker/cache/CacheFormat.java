package io.chihaya.tracker.cache;

/**
 * The layout of a cache file, version 1. All integers are big-endian; "u" marks unsigned values.
 *
 * <pre>
 * header (40 bytes)
 *   0  magic      8  89 43 48 59 43 0D 0A 1A  ("\x89CHYC\r\n\x1a": binary, and mangled by text transfers)
 *   8  version    u16  1
 *  10  flags      u16  0 (reserved)
 *  12  written at i64  epoch milliseconds
 *  20  users      u32 (at most 2^31-1)
 *  24  torrents   u32 (at most 2^31-1)
 *  28  peers      i64 (at least 0)
 *  36  CRC32C     u32  of bytes 0-35
 * sections, each
 *      tag        4 ASCII letters: USRS (users), TRNT (torrents with their peers), clnt (approved
 *                 clients; optional, after the torrents)
 *      length     u32  bytes of body that follow (at most 2^30)
 *      body       whole records, never one split across sections
 * trailer (8 bytes)
 *      "CEND"     4
 *      CRC32C     u32  of every byte from offset 40 up to and including "CEND"
 *
 * user record (23 + passkey bytes)
 *      id i32, flags u8 (bit 0 DisableDownload, bit 1 TrackerHide), down multiplier f64,
 *      up multiplier f64, passkey length u8 (1-255), passkey (ISO-8859-1)
 * torrent record (69 bytes + 67 per peer)
 *      id i32, info hash 20, status i32, snatched i64 (&gt;= 0), down multiplier f64, up multiplier f64,
 *      group id i32, type u8 (0 anime, 1 music), last action i64, peer count u32, peers
 * peer record (67 bytes)
 *      user id i32, peer id 20, ip i32, port u16, uploaded u64, downloaded u64, left u64,
 *      start time u32, last announce u32, client id i32, flags u8 (bit 0 seeding)
 * approved client record (5 + prefix bytes)
 *      id i32, peer_id prefix length u8 (0-255), prefix (ISO-8859-1); ids distinct
 * </pre>
 *
 * <p>The approved clients are kept so that a tracker started while MariaDB is unreachable can
 * serve from the cache at all: without them every announce would be refused as "not approved".
 * The section is optional (lower-case tag), so version 1 readers that predate it skip it; a file
 * without it restores no clients.
 *
 * <p>All user sections come before all torrent sections. A reader skips a section whose tag starts with
 * a lower-case letter and that it does not know (an optional addition, such as pending stat changes,
 * that an older reader may ignore); an unknown tag starting with an upper-case letter is an error. An
 * incompatible change raises {@link #VERSION}. Multipliers are finite. The header is written last (the
 * writer streams the sections and only then knows the counts), which is why it carries its own
 * checksum.
 */
final class CacheFormat {
    static final byte[] MAGIC = {(byte) 0x89, 'C', 'H', 'Y', 'C', '\r', '\n', 0x1A};
    static final int VERSION = 1;

    static final int HEADER_SIZE = 40;
    static final int HEADER_CRC_OFFSET = 36;
    static final int TRAILER_SIZE = 8;
    static final int SECTION_HEADER_SIZE = 8;
    static final int MAX_SECTION_LENGTH = 1 << 30;

    static final int TAG_USERS = tag("USRS");
    static final int TAG_TORRENTS = tag("TRNT");
    static final int TAG_END = tag("CEND");
    static final int TAG_CLIENTS = tag("clnt");
    static final int CLIENT_FIXED_SIZE = 4 + 1;
    static final int MAX_PREFIX_LENGTH = 255;

    static final int USER_FIXED_SIZE = 4 + 1 + 8 + 8 + 1;
    static final int MIN_USER_SIZE = USER_FIXED_SIZE + 1;
    static final int MAX_PASSKEY_LENGTH = 255;
    static final int TORRENT_FIXED_SIZE = 4 + 20 + 4 + 8 + 8 + 8 + 4 + 1 + 8 + 4;
    static final int PEER_SIZE = 4 + 20 + 4 + 2 + 8 + 8 + 8 + 4 + 4 + 4 + 1;

    static final int USER_DISABLE_DOWNLOAD = 1;
    static final int USER_TRACKER_HIDE = 2;
    static final int PEER_SEEDING = 1;

    private CacheFormat() {
    }

    static int tag(String name) {
        return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
    }

    /** The tag as text, with anything that is not a printable ASCII letter shown in hex. */
    static String tagName(int tag) {
        StringBuilder name = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (tag >>> shift) & 0xFF;
            if (!isLetter(c)) {
                return String.format("0x%08x", tag);
            }
            name.append((char) c);
        }
        return name.toString();
    }

    static boolean isLetter(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Whether a reader that does not know the section may skip it (its tag starts with a lower-case letter). */
    static boolean isOptional(int tag) {
        int first = tag >>> 24;
        return first >= 'a' && first <= 'z';
    }

    static int torrentSize(int peers) {
        return TORRENT_FIXED_SIZE + PEER_SIZE * peers;
    }
}
