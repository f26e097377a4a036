package gov.nist.javax.sip.stack;

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
        SipStackImpl stack = new SipStackImpl(p);
        try {
            return use.apply(stack);
        } finally {
            stack.stop();
        }
    }

    @Test
    void sipauthDefaults_boundEveryConnection() throws Exception {
        SipauthTcpLimits limits = withStack(new Properties(), SipauthTcpLimits::of);
        assertEquals(SipStackDefaults.MAX_MESSAGE_SIZE, limits.maxHeaderSize);
        assertEquals(8192, limits.maxBodySize);
        assertEquals(300_000, limits.idleTimeoutMillis);
        assertEquals(10_000, limits.messageTimeoutMillis);
        assertEquals(32_000, limits.sendTimeoutMillis);
        assertEquals(2048, limits.maxConnections);
        assertEquals(128, limits.maxConnectionsPerSource);
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
        SipauthTcpLimits limits = withStack(p, SipauthTcpLimits::of);
        assertEquals(16384, limits.maxHeaderSize);
        assertEquals(32768, limits.maxBodySize);
        assertEquals(0, limits.idleTimeoutMillis);
        assertEquals(2500, limits.messageTimeoutMillis);
        assertEquals(100, limits.maxConnections);
        assertEquals(4, limits.maxConnectionsPerSource);
        assertEquals(1500, limits.sendTimeoutMillis);
    }

    @Test
    void withoutAMessageSize_theHeaderBlockIsStillBounded() throws Exception {
        Properties p = SipStackDefaults.properties("tcp-limits-unbounded-" + System.nanoTime());
        p.remove("gov.nist.javax.sip.MAX_MESSAGE_SIZE"); // the RI's "unlimited"
        SipStackImpl stack = new SipStackImpl(p);
        try {
            assertEquals(0, stack.getMaxMessageSize());
            assertEquals(SipauthTcpLimits.FALLBACK_MAX_HEADER_SIZE, SipauthTcpLimits.of(stack).maxHeaderSize);
        } finally {
            stack.stop();
        }
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
