package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MalformedInputLogTest {

    private static final long INTERVAL = 10_000;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MalformedInputLog log = new MalformedInputLog(INTERVAL, now::get);

    private static InetAddress address(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    @Test
    void oneLinePerSourcePerInterval() throws Exception {
        InetAddress a = address(1);
        assertTrue(log.report(a, "x", 10));
        assertFalse(log.report(a, "x", 10));
        assertTrue(log.report(address(2), "x", 10), "another source has its own budget");
        now.addAndGet(INTERVAL - 1);
        assertFalse(log.report(a, "x", 10));
        now.addAndGet(1);
        assertTrue(log.report(a, "x", 10));
    }

    @Test
    void manySources_areCappedPerInterval_andTheTableStaysBounded() throws Exception {
        int written = 0;
        for (int i = 0; i < 3 * MalformedInputLog.MAX_SOURCES; i++) {
            if (log.report(address(i), "x", 10)) {
                written++;
            }
        }
        assertEquals(MalformedInputLog.MAX_LINES_PER_INTERVAL, written);
        now.addAndGet(INTERVAL);
        assertTrue(log.report(address(5 * MalformedInputLog.MAX_SOURCES), "x", 10), "a new interval, a new budget");
    }
}
