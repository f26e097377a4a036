package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipauth.testsip.RawSip;

class TooLargeReplyTest {

    private static String invite() throws Exception {
        return RawSip.template("/sip/invite-tcp.sip", Map.of("clientHost", "192.0.2.1", "clientPort", "5060",
                "branch", "b1", "callId", "call-1", "contentLength", "100000"));
    }

    private static String reply(String head, String status) {
        byte[] reply = TooLargeReply.of(head.getBytes(StandardCharsets.ISO_8859_1), status);
        return reply == null ? null : new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void echoesTheHeadersAResponseNeeds_withTheStatus_andAToTag() throws Exception {
        String[] lines = reply(invite(), TooLargeReply.BODY_TOO_LARGE).split("\r\n", -1);
        assertEquals("SIP/2.0 413 Request Entity Too Large", lines[0]);
        assertEquals("Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKb1;rport", lines[1]);
        assertEquals("From: <sip:caller@192.0.2.1>;tag=tcp1", lines[2]);
        assertTrue(lines[3].matches("To: <sip:bob@trunk\\.example\\.com>;tag=[0-9a-f]{16}"), lines[3]);
        assertEquals("Call-ID: call-1", lines[4]);
        assertEquals("CSeq: 1 INVITE", lines[5]);
        assertEquals("Content-Length: 0", lines[6]);
        assertEquals("", lines[7]);
        assertEquals("", lines[8]);
    }

    @Test
    void aHeaderBlockCutByTheLimit_isAnsweredFromItsWholeLines() throws Exception {
        String head = invite().replace("Contact:", "X-Long: " + "a".repeat(9000) + "\r\nContact:");
        String cut = head.substring(0, head.indexOf("X-Long") + 100);
        assertTrue(reply(cut, TooLargeReply.HEADERS_TOO_LARGE).startsWith("SIP/2.0 513 Message Too Large\r\n"));
        String cutInCSeq = head.substring(0, head.indexOf("CSeq: 1 IN") + 8);
        assertNull(reply(cutInCSeq, TooLargeReply.HEADERS_TOO_LARGE), "the CSeq line is not whole");
    }

    @Test
    void noReply_forAnAckAResponseOrNoLineAtAll() throws Exception {
        assertNull(reply(invite().replace("INVITE sip:", "ACK sip:"), TooLargeReply.BODY_TOO_LARGE));
        assertNull(reply("SIP/2.0 200 OK\r\n" + invite().substring(invite().indexOf("\r\n") + 2),
                TooLargeReply.BODY_TOO_LARGE));
        assertNull(reply("X".repeat(100), TooLargeReply.HEADERS_TOO_LARGE));
    }
}
