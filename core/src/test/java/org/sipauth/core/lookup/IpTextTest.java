package org.sipauth.core.lookup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.1.2.3", "::", "::1", "1::", "2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001", "fe80::1:2:3:4", "::ffff:192.0.2.1", "::192.0.2.1",
            "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1::2:3:4:5:6:7", "FFFF::ABCD"})
    void parse_acceptsLiterals_asTheJdkReadsThem(String text) throws UnknownHostException {
        // The JDK reads these literals without DNS; ::ffff:a.b.c.d is IPv4 there, so compare its last 4 bytes.
        byte[] expected = InetAddress.getByName(text).getAddress();
        byte[] parsed = IpText.parse(text);
        if (expected.length == 4 && parsed.length == 16) {
            parsed = java.util.Arrays.copyOfRange(parsed, 12, 16);
        }
        assertArrayEquals(expected, parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "1.2.3.*", "1..2.3",
            "1.2.3.4/8", "localhost", "example.com", ":", ":::", "1:2", "1::2::3", "12345::", ":1::", "1:", "::1:",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "fe80::1%eth0", "[::1]", "::g", "1:2:3:4:5:6:7:1.2.3.4",
            "::1.2.3", "::1.2.3.256"})
    void parse_refusesEverythingElse(String text) {
        assertNull(IpText.parse(text));
    }
}
