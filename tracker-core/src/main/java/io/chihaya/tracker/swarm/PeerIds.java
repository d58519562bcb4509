package io.chihaya.tracker.swarm;

/** Packs a 20-byte peer_id into two longs and an int (big-endian) and back. */
final class PeerIds {
    private PeerIds() {
    }

    static long high(byte[] id) {
        return readLong(id, 0);
    }

    static long mid(byte[] id) {
        return readLong(id, 8);
    }

    static int low(byte[] id) {
        return (id[16] & 0xFF) << 24 | (id[17] & 0xFF) << 16 | (id[18] & 0xFF) << 8 | (id[19] & 0xFF);
    }

    static byte[] toBytes(long high, long mid, int low) {
        byte[] out = new byte[20];
        write(out, 0, high, mid, low);
        return out;
    }

    /** Writes the 20 bytes at {@code out[offset]}. */
    static void write(byte[] out, int offset, long high, long mid, int low) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (high >>> (56 - 8 * i));
            out[offset + 8 + i] = (byte) (mid >>> (56 - 8 * i));
        }
        out[offset + 16] = (byte) (low >>> 24);
        out[offset + 17] = (byte) (low >>> 16);
        out[offset + 18] = (byte) (low >>> 8);
        out[offset + 19] = (byte) low;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
