package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BadRequestReplyTest {

    private static final String REQUEST = String.join("\r\n",
            "INVITE sip:bob@example.com SIP/2.0",
            "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1",
            "v: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK0",
            "f: <sip:alice@example.com>;tag=a1",
            "To: <sip:bob@example.com>",
            "i: call-1",
            "CSeq: one INVITE",
            "Contact: <sip:alice@192.0.2.1>",
            "Content-Length: 0", "", "");

    @Test
    void echoesViaFromToCallIdCSeqVerbatim_inOrder_withAToTag() {
        String reply = new String(BadRequestReply.of(REQUEST), StandardCharsets.UTF_8);
        String[] lines = reply.split("\r\n", -1);
        assertEquals("SIP/2.0 400 Bad Request", lines[0]);
        assertEquals("Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1", lines[1]);
        assertEquals("Via: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK0", lines[2]);
        assertEquals("From: <sip:alice@example.com>;tag=a1", lines[3]);
        assertTrue(lines[4].matches("To: <sip:bob@example\\.com>;tag=[0-9a-f]+"), lines[4]);
        assertEquals("Call-ID: call-1", lines[5]);
        assertEquals("CSeq: one INVITE", lines[6]);
        assertEquals("Content-Length: 0", lines[7]);
        assertTrue(reply.endsWith("\r\n\r\n"));
        assertTrue(!reply.contains("Contact"), reply);
    }

    @Test
    void keepsAnExistingToTag() {
        String reply = new String(BadRequestReply.of(REQUEST.replace("To: <sip:bob@example.com>",
                "To: <sip:bob@example.com>;TAG=x9")), StandardCharsets.UTF_8);
        assertTrue(reply.contains("\r\nTo: <sip:bob@example.com>;TAG=x9\r\n"), reply);
    }

    @Test
    void noReply_forAckResponsesOrAMissingEchoedHeader() {
        assertNull(BadRequestReply.of(REQUEST.replace("INVITE sip:bob@example.com SIP/2.0", "ACK sip:bob@example.com SIP/2.0")));
        assertNull(BadRequestReply.of("SIP/2.0 200 OK\r\n" + REQUEST.substring(REQUEST.indexOf("\r\n") + 2)));
        assertNull(BadRequestReply.of(REQUEST.replace("i: call-1\r\n", "")));
        assertNull(BadRequestReply.of(REQUEST.replace("Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1\r\n", "")
                .replace("v: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK0\r\n", "")));
        assertNull(BadRequestReply.of(null));
    }

    @Test
    void headersAfterTheBlankLine_areBodyNotHeaders() {
        String withBody = REQUEST.replace("CSeq: one INVITE\r\n", "") + "CSeq: 1 INVITE\r\n";
        assertNull(BadRequestReply.of(withBody));
    }
}
