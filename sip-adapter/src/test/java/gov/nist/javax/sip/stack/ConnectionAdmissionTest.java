package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gov.nist.javax.sip.stack.ConnectionAdmission.Verdict;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void sourceAtItsLimit_isRefused_whileOtherSourcesAreStillAdmitted() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(10, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.ADMITTED, admission.admit(ip("192.0.2.1")));
        }
        assertEquals(Verdict.SOURCE_FULL, admission.admit(ip("192.0.2.1")));
        assertEquals(Verdict.ADMITTED, admission.admit(ip("192.0.2.2")));
        assertEquals(3, admission.open(ip("192.0.2.1")));
        assertEquals(4, admission.open());
        admission.release(ip("192.0.2.1"));
        assertEquals(Verdict.ADMITTED, admission.admit(ip("192.0.2.1")));
    }

    @Test
    void atTheGlobalLimit_everySourceIsRefused_untilOneCloses() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(4, 2);
        for (String source : new String[] {"192.0.2.1", "192.0.2.1", "192.0.2.2", "192.0.2.2"}) {
            assertEquals(Verdict.ADMITTED, admission.admit(ip(source)));
        }
        assertEquals(Verdict.ALL_FULL, admission.admit(ip("192.0.2.3")));
        assertEquals(Verdict.SOURCE_FULL, admission.admit(ip("192.0.2.1")), "its own limit is reported first");
        admission.release(ip("192.0.2.2"));
        assertEquals(Verdict.ADMITTED, admission.admit(ip("192.0.2.3")));
        assertEquals(0, admission.open(ip("192.0.2.4")));
    }

    @Test
    void noGlobalLimit_leavesOnlyThePerSourceOne() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(-1, 1);
        for (int i = 1; i <= 300; i++) {
            assertEquals(Verdict.ADMITTED, admission.admit(ip("10.0." + (i / 256) + "." + (i % 256))));
        }
        assertEquals(300, admission.open());
    }

    @Test
    void ipv6Addresses_areCountedPer64() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(100, 2);
        assertEquals(Verdict.ADMITTED, admission.admit(ip("2001:db8:1:2::1")));
        assertEquals(Verdict.ADMITTED, admission.admit(ip("2001:db8:1:2:ffff::9")));
        assertEquals(Verdict.SOURCE_FULL, admission.admit(ip("2001:db8:1:2:dead:beef:0:1")));
        assertEquals(Verdict.ADMITTED, admission.admit(ip("2001:db8:1:3::1")));
        assertEquals(ip("2001:db8:1:2::"), ConnectionAdmission.sourceOf(ip("2001:db8:1:2:abcd::7")));
        assertEquals(ip("192.0.2.7"), ConnectionAdmission.sourceOf(ip("192.0.2.7")));
    }

    @Test
    void releaseWithoutAdmission_isAProgrammingError() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(4, 2);
        assertThrows(IllegalStateException.class, () -> admission.release(ip("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionAdmission(4, 0));
    }
}
