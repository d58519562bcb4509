package io.chihaya.tracker.announce;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Decides which IPv4 address a peer is announced under (SPEC 4.2 and the reference flowchart):
 * a public {@code ipv4} parameter, else a public {@code ip} parameter, else the configured proxy
 * header (first entry of a list), else the socket address. Stateless and thread-safe.
 */
public final class AddressResolver {
    /** The outcome; {@link #failure} is null on success. */
    public static final class Resolution {
        int address;
        String failure;

        /** The chosen address, valid when {@link #failed()} is false. */
        public int address() {
            return address;
        }

        /** Whether no IPv4 address could be chosen. */
        public boolean failed() {
            return failure != null;
        }

        /** The failure reason for the client. */
        public String failure() {
            return failure;
        }
    }

    private final boolean proxyConfigured;

    /** @param proxyHeader the configured header name, empty for none */
    public AddressResolver(String proxyHeader) {
        this.proxyConfigured = proxyHeader != null && !proxyHeader.isEmpty();
    }

    /**
     * Resolves into {@code out}.
     *
     * @param ipParam     the {@code ip} parameter or null
     * @param ipv4Param   the {@code ipv4} parameter or null
     * @param proxyValue  the proxy header's value, null when absent (ignored when no proxy is configured)
     * @param remote      the socket's remote address
     */
    public void resolve(String ipParam, String ipv4Param, String proxyValue, InetAddress remote, Resolution out) {
        out.failure = null;
        long ipv4 = Ipv4.parse(ipv4Param);
        long ip = Ipv4.parse(ipParam);
        boolean ipPublic = ip != Ipv4.INVALID && Ipv4.isPublic((int) ip);
        if (ipv4 != Ipv4.INVALID && Ipv4.isPublic((int) ipv4)) {
            if (ipPublic && ip != ipv4) {
                out.failure = "Failed to parse IP address (ip: )";
                return;
            }
            out.address = (int) ipv4;
            return;
        }
        if (ipPublic) {
            out.address = (int) ip;
            return;
        }
        if (proxyConfigured && proxyValue != null) {
            String first = firstListEntry(proxyValue);
            long fromHeader = Ipv4.parse(first);
            if (fromHeader == Ipv4.INVALID) {
                out.failure = "Failed to parse IP address (ip: " + first + ")";
                return;
            }
            out.address = (int) fromHeader;
            return;
        }
        if (remote instanceof Inet4Address) {
            byte[] b = remote.getAddress();
            out.address = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            return;
        }
        String text = remote == null ? "" : remote.getHostAddress();
        long mapped = Ipv4.parse(text);
        if (mapped == Ipv4.INVALID) {
            out.failure = "Failed to parse IP address (ip: " + text + ")";
            return;
        }
        out.address = (int) mapped;
    }

    private static String firstListEntry(String value) {
        int comma = value.indexOf(',');
        return (comma < 0 ? value : value.substring(0, comma)).trim();
    }
}
