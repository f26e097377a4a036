package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sipauth.jainsip.SipStackDefaults;

class SipauthTcpLimitsTest {

    private static <T> T withStack(Properties overrides, Function<SipStackImpl, T> use) throws Exception {
        Properties p = SipStackDefaults.properties("tcp-limits-" + System.nanoTime());
        p.putAll(overrides);
        return onStack(p, use);
    }

    private static <T> T onStack(Properties properties, Function<SipStackImpl, T> use) throws Exception {
        SipStackImpl stack = new SipStackImpl(properties);
        try {
            return use.apply(stack);
        } finally {
            stack.stop();
        }
    }

    @Test
    void sipauthDefaults_boundEveryConnection() throws Exception {
        SipauthTcpLimits limits = withStack(new Properties(), SipauthTcpLimits::of);
        assertLimits(limits, SipStackDefaults.MAX_MESSAGE_SIZE, 8192, 300_000, 10_000, 32_000, 2048, 128);
        assertTrue(limits.maxConnectionsPerSource < limits.maxConnections);
    }

    @Test
    void stackProperties_overrideEachLimit() throws Exception {
        Properties p = new Properties();
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "16384");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "100");
        p.setProperty(SipauthTcpLimits.MAX_BODY_SIZE, "32768");
        p.setProperty(SipauthTcpLimits.IDLE_TIMEOUT, "0");
        p.setProperty(SipauthTcpLimits.MESSAGE_TIMEOUT, " 2500 ");
        p.setProperty(SipauthTcpLimits.MAX_CONNECTIONS_PER_SOURCE, "4");
        p.setProperty(SipauthTcpLimits.SEND_TIMEOUT, "1500");
        assertLimits(withStack(p, SipauthTcpLimits::of), 16384, 32768, 0, 2500, 1500, 100, 4);
    }

    private static void assertLimits(SipauthTcpLimits limits, int maxHeaderSize, int maxBodySize, int idleTimeoutMillis,
                                     int messageTimeoutMillis, int sendTimeoutMillis, int maxConnections,
                                     int maxConnectionsPerSource) {
        assertAll(() -> assertEquals(maxHeaderSize, limits.maxHeaderSize, "maxHeaderSize"),
                () -> assertEquals(maxBodySize, limits.maxBodySize, "maxBodySize"),
                () -> assertEquals(idleTimeoutMillis, limits.idleTimeoutMillis, "idleTimeoutMillis"),
                () -> assertEquals(messageTimeoutMillis, limits.messageTimeoutMillis, "messageTimeoutMillis"),
                () -> assertEquals(sendTimeoutMillis, limits.sendTimeoutMillis, "sendTimeoutMillis"),
                () -> assertEquals(maxConnections, limits.maxConnections, "maxConnections"),
                () -> assertEquals(maxConnectionsPerSource, limits.maxConnectionsPerSource, "maxConnectionsPerSource"));
    }

    @Test
    void withoutAMessageSize_theHeaderBlockIsStillBounded() throws Exception {
        Properties p = SipStackDefaults.properties("tcp-limits-unbounded-" + System.nanoTime());
        p.remove("gov.nist.javax.sip.MAX_MESSAGE_SIZE"); // the RI's "unlimited"
        onStack(p, stack -> {
            assertEquals(0, stack.getMaxMessageSize());
            assertEquals(SipauthTcpLimits.FALLBACK_MAX_HEADER_SIZE, SipauthTcpLimits.of(stack).maxHeaderSize);
            return null;
        });
    }

    @Test
    void invalidValues_areRejectedWithThePropertyName() throws Exception {
        for (String[] bad : new String[][] {{SipauthTcpLimits.MAX_BODY_SIZE, "0"},
                {SipauthTcpLimits.IDLE_TIMEOUT, "-1"}, {SipauthTcpLimits.MESSAGE_TIMEOUT, "ten"},
                {SipauthTcpLimits.MAX_CONNECTIONS_PER_SOURCE, "0"}, {SipauthTcpLimits.SEND_TIMEOUT, "0"}}) {
            Properties p = new Properties();
            p.setProperty(bad[0], bad[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withStack(p, SipauthTcpLimits::of));
            assertTrue(e.getMessage().startsWith(bad[0]), e.getMessage());
        }
    }
}
