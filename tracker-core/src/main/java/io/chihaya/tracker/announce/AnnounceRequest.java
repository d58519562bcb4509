package io.chihaya.tracker.announce;

/**
 * The parameters of one announce or scrape query, decoded from the raw query bytes.
 *
 * <p>A reusable, mutable holder: one per thread, {@link #clear() cleared} before each parse, so parsing
 * allocates nothing for the common parameters. Numbers hold {@link #MISSING} when absent or invalid;
 * 64-bit counters are unsigned (compare with {@link Long#compareUnsigned}). Not thread-safe.
 */
public final class AnnounceRequest {
    /** Marks a number that is absent, negative, fractional, non-numeric or out of range. */
    public static final long MISSING = -1;
    /** Peer ids longer than this are only counted, not kept. */
    static final int PEER_ID_LENGTH = 20;

    final byte[] infoHashes;
    int infoHashCount;
    /** info_hash values of exactly 20 bytes seen (kept or not). */
    int infoHashValues;

    final byte[] peerId = new byte[PEER_ID_LENGTH];
    /** Length of the decoded peer_id, -1 when absent. */
    int peerIdLength = -1;

    int port = -1;
    long uploaded = MISSING;
    boolean hasUploaded;
    long downloaded = MISSING;
    boolean hasDownloaded;
    long left = MISSING;
    boolean hasLeft;
    long numwant = MISSING;
    boolean hasNumwant;

    Event event = Event.NONE;
    /** The event text as given, for the recorder: "" when absent. */
    String eventText = "";
    boolean compact = true;
    boolean noPeerId;
    String ip;
    String ipv4;

    /** A holder that keeps up to {@code maxInfoHashes} 20-byte hashes. */
    public AnnounceRequest(int maxInfoHashes) {
        infoHashes = new byte[maxInfoHashes * 20];
    }

    /** Resets every field to "absent". */
    public void clear() {
        infoHashCount = 0;
        infoHashValues = 0;
        peerIdLength = -1;
        port = -1;
        uploaded = MISSING;
        hasUploaded = false;
        downloaded = MISSING;
        hasDownloaded = false;
        left = MISSING;
        hasLeft = false;
        numwant = MISSING;
        hasNumwant = false;
        event = Event.NONE;
        eventText = "";
        compact = true;
        noPeerId = false;
        ip = null;
        ipv4 = null;
    }

    /** Number of valid (20-byte) info hashes kept. */
    public int infoHashCount() {
        return infoHashCount;
    }

    /** The buffer of kept info hashes, hash {@code i} at {@code [20 i, 20 i + 20)}. */
    public byte[] infoHashes() {
        return infoHashes;
    }

    public int peerIdLength() {
        return peerIdLength;
    }

    public byte[] peerId() {
        return peerId;
    }

    public int port() {
        return port;
    }

    public long uploaded() {
        return uploaded;
    }

    public long downloaded() {
        return downloaded;
    }

    public long left() {
        return left;
    }

    public long numwant() {
        return numwant;
    }

    public Event event() {
        return event;
    }

    public String eventText() {
        return eventText;
    }

    public boolean compact() {
        return compact;
    }

    public boolean noPeerId() {
        return noPeerId;
    }

    public String ip() {
        return ip;
    }

    public String ipv4() {
        return ipv4;
    }
}
