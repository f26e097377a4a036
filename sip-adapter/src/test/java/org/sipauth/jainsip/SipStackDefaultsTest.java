package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SipStackDefaultsTest {

    @Test
    void properties_boundWhatTheRiLeavesUnbounded() {
        Properties p = SipStackDefaults.properties("defaults-test");
        assertEquals("off", p.getProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT"));
        assertEquals("8192", p.getProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE"));
        assertEquals("true", p.getProperty("gov.nist.javax.sip.REENTRANT_LISTENER"));
        assertEquals(Integer.toString(SipStackDefaults.defaultThreadPoolSize()),
                p.getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));
        int limit = Integer.parseInt(p.getProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS"));
        assertEquals(SipStackDefaults.defaultMaxServerTransactions(), limit);
        assertTrue(limit >= 5_000 && limit <= 200_000, "limit " + limit);
        assertEquals(Slf4jStackLogger.class.getName(), p.getProperty("gov.nist.javax.sip.STACK_LOGGER"));
        // The RI never enforces MAX_SERVER_TRANSACTIONS and queues datagrams without bound: both are ours.
        assertEquals(StatelessValve.class.getName(), p.getProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE"));
        assertEquals("gov.nist.javax.sip.stack.SipauthMessageProcessorFactory",
                p.getProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY"));
        assertEquals("0", p.getProperty("gov.nist.javax.sip.LINGER_TIMER"));
        assertNotSame(p, SipStackDefaults.properties("defaults-test"));
    }

    @Test
    void properties_rejectBlankStackName() {
        assertThrows(IllegalArgumentException.class, () -> SipStackDefaults.properties(" "));
    }

    @Test
    void stack_startsWithTheDefaultsAndNoLog4j() throws Exception {
        SipStackImpl stack = new SipStackImpl(SipStackDefaults.properties("defaults-start-test"));
        try {
            stack.start();
            assertEquals(SipStackDefaults.MAX_MESSAGE_SIZE, stack.getMaxMessageSize());
        } finally {
            stack.stop();
        }
    }
}
