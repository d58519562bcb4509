package io.chihaya.tracker.announce;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AddressResolverTest {
    private static final InetAddress SOCKET = TestTracker.address("9.9.9.9");
    private final AddressResolver.Resolution out = new AddressResolver.Resolution();

    private String resolve(AddressResolver resolver, String ip, String ipv4, String header, InetAddress remote) {
        resolver.resolve(ip, ipv4, header, remote, out);
        return out.failed() ? "FAIL " + out.failure() : Ipv4.format(out.address());
    }

    private String resolve(String ip, String ipv4, String header) {
        return resolve(new AddressResolver("X-Real-IP"), ip, ipv4, header, SOCKET);
    }

    @Test
    void publicIpv4WinsWhenIpIsAbsentPrivateOrEqual() {
        assertThat(resolve(null, "8.8.8.8", "1.1.1.1")).isEqualTo("8.8.8.8");
        assertThat(resolve("10.0.0.1", "8.8.8.8", null)).isEqualTo("8.8.8.8");
        assertThat(resolve("8.8.8.8", "8.8.8.8", null)).isEqualTo("8.8.8.8");
        assertThat(resolve("bogus", "8.8.8.8", null)).isEqualTo("8.8.8.8");
    }

    @Test
    void publicIpv4AndADifferentPublicIpFail() {
        assertThat(resolve("1.1.1.1", "8.8.8.8", null)).isEqualTo("FAIL Failed to parse IP address (ip: )");
    }

    @Test
    void nonPublicIpv4FallsThroughToIp() {
        assertThat(resolve("1.1.1.1", "192.168.0.1", null)).isEqualTo("1.1.1.1");
        assertThat(resolve("1.1.1.1", "garbage", null)).isEqualTo("1.1.1.1");
    }

    @Test
    void publicIpIsUsed() {
        assertThat(resolve("1.1.1.1", null, "2.2.2.2")).isEqualTo("1.1.1.1");
        assertThat(resolve("::ffff:8.8.8.8", null, null)).isEqualTo("8.8.8.8");
    }

    @Test
    void nonPublicIpFallsToProxyHeaderThenSocket() {
        assertThat(resolve("127.0.0.1", null, "2.2.2.2")).isEqualTo("2.2.2.2");
        assertThat(resolve("127.0.0.1", null, null)).isEqualTo("9.9.9.9");
        assertThat(resolve(null, null, null)).isEqualTo("9.9.9.9");
    }

    @Test
    void proxyHeaderTakesFirstEntryOfAList() {
        assertThat(resolve(null, null, " 3.3.3.3 , 4.4.4.4")).isEqualTo("3.3.3.3");
        assertThat(resolve(null, null, "10.1.2.3")).isEqualTo("10.1.2.3");
    }

    @Test
    void proxyHeaderThatIsNotIpv4Fails() {
        assertThat(resolve(null, null, "2001:db8::1")).isEqualTo("FAIL Failed to parse IP address (ip: 2001:db8::1)");
        assertThat(resolve(null, null, "unknown, 1.1.1.1")).isEqualTo("FAIL Failed to parse IP address (ip: unknown)");
    }

    @Test
    void headerIgnoredWithoutProxyConfigured() {
        assertThat(resolve(new AddressResolver(""), null, null, "2.2.2.2", SOCKET)).isEqualTo("9.9.9.9");
    }

    @Test
    void ipv6SocketFails() {
        assertThat(resolve(new AddressResolver(""), null, null, null, TestTracker.address("2001:db8::1")))
                .isEqualTo("FAIL Failed to parse IP address (ip: 2001:db8:0:0:0:0:0:1)");
    }

    @Test
    void publicRanges() {
        String[] notPublic = {"0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.2", "169.254.1.1",
            "172.16.0.1", "172.31.255.255", "192.168.1.1", "224.0.0.1", "239.255.255.255", "240.0.0.1",
            "255.255.255.255", "0.0.0.0"};
        for (String address : notPublic) {
            assertThat(Ipv4.isPublic((int) Ipv4.parse(address))).as(address).isFalse();
        }
        String[] isPublic = {"1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.167.1.1", "169.253.1.1", "223.255.255.255", "8.8.8.8"};
        for (String address : isPublic) {
            assertThat(Ipv4.isPublic((int) Ipv4.parse(address))).as(address).isTrue();
        }
    }

    @Test
    void parsing() {
        assertThat(Ipv4.parse("1.2.3.4")).isEqualTo(0x01020304L);
        assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(Ipv4.parse("::FFFF:1.2.3.4")).isEqualTo(0x01020304L);
        assertThat(Ipv4.parse("::ffff:0102:0304")).isEqualTo(0x01020304L);
        assertThat(Ipv4.parse("0:0:0:0:0:ffff:1.2.3.4")).isEqualTo(0x01020304L);
        for (String bad : new String[]{"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ",
            "a.b.c.d", "::1", "1.2.3.-4", "1.2.3.4.", ".1.2.3", "1234.1.1.1"}) {
            assertThat(Ipv4.parse(bad)).as(bad).isEqualTo(Ipv4.INVALID);
        }
        assertThat(Ipv4.format(0x7F000001)).isEqualTo("127.0.0.1");
    }
}
