package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RawRequestTest {

    private static final String PLAIN = """
            INVITE sip:Alice@Trunk.EXAMPLE.com:5060;transport=udp SIP/2.0
            Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKabc;rport
            Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKdef
            Max-Forwards: 70
            From: "Bob;tag=fake" <sip:bob@example.org;tag=uri>;tag=from1
            To: <sip:alice@trunk.example.com>
            Call-ID: call-1@10.0.0.1
            CSeq: 7 INVITE
            Contact: <sip:bob@10.0.0.1:5062>
            Content-Type: application/sdp
            Content-Length: 4

            v=0
            """.replace("\n", "\r\n").replace("v=0\r\n", "v=0\n");

    private static RawRequest scan(String text) {
        return RawRequest.scan(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String range(RawRequest r, int start, int end) {
        return new String(r.bytes, start, end - start, StandardCharsets.UTF_8);
    }

    @Test
    void plainInvite_locatesEveryFactTheStatelessPathNeeds() {
        RawRequest r = scan(PLAIN);
        assertNotNull(r);
        assertEquals("INVITE", r.method);
        assertEquals("sip:Alice@Trunk.EXAMPLE.com:5060;transport=udp", r.requestUri);
        assertEquals("trunk.example.com", r.host);
        assertEquals(2, r.viaCount);
        assertEquals("Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKabc;rport", range(r, r.viaLines[0], r.viaLines[1]));
        assertEquals("z9hG4bKabc", range(r, r.branchStart, r.branchEnd));
        assertEquals("10.0.0.1", r.viaHost);
        assertEquals(5062, r.viaPort);
        assertTrue(r.rportEnd > 0);
        assertEquals("from1", range(r, r.fromTagStart, r.fromTagEnd), "the header's tag, not the display name's or the URI's");
        assertEquals(-1, r.toTagStart);
        assertEquals("call-1@10.0.0.1", range(r, r.callIdValueStart, r.callIdValueEnd));
        assertEquals(7, r.cseqNumber);
        assertEquals("v=0\n", range(r, r.bodyStart, r.bytes.length));
    }

    @Test
    void compactForms_areRecognised() {
        String compact = """
                INVITE sip:bob@h.example SIP/2.0
                v: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1
                Max-Forwards: 70
                f: <sip:a@h>;tag=1
                t: <sip:bob@h.example>;tag=2
                i: abc
                CSeq: 1 INVITE
                m: <sip:a@1.2.3.4>
                l: 0

                """.replace("\n", "\r\n");
        RawRequest r = scan(compact);
        assertNotNull(r);
        assertEquals("application/sdp", scan(compact.replace("l: 0", "c: application/sdp\r\nl: 0")).contentType());
        assertEquals("2", range(r, r.toTagStart, r.toTagEnd));
        assertEquals(-1, r.viaPort);
        assertEquals(-1, r.rportEnd);
    }

    @Test
    void credentials_areKeptPerRole_inOrder_asReceived() {
        String base = PLAIN.replace("Content-Length: 4", "Authorization: Digest username=\"a\", uri=\"sip:Bob@H\"\r\n"
                + "Proxy-Authorization: Digest username=\"p\"\r\n"
                + "authorization  :  Digest username=\"b\"  \r\nContent-Length: 4");
        RawRequest r = scan(base);
        assertNotNull(r, "credentials no longer end the scan");
        assertEquals(List.of("Digest username=\"a\", uri=\"sip:Bob@H\"", "Digest username=\"b\""), r.credentials(false));
        assertEquals(List.of("Digest username=\"p\""), r.credentials(true));
        assertTrue(r.hasCredentials(true));
        assertEquals("v=0\n", range(r, r.bodyStart, r.bytes.length), "the scan went on to the body");
        RawRequest none = scan(PLAIN);
        assertFalse(none.hasCredentials(false));
        assertEquals(List.of(), none.credentials(false));
    }

    @Test
    void nonAsciiHeaderBytes_leaveTheRequestToTheRi() {
        String withUtf8 = PLAIN.replace("Content-Length: 4", "Authorization: Digest username=\"j\u00f6rg\"\r\nContent-Length: 4");
        assertNull(RawRequest.scan(withUtf8.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void branch_magicCookie_isRecognisedInAnyCase() {
        assertTrue(scan(PLAIN.replace("branch=z9hG4bK", "branch=Z9HG4BK")).hasRfc3261Branch());
        RawRequest old = scan(PLAIN.replace("branch=z9hG4bK", "branch=old"));
        assertFalse(old != null && old.hasRfc3261Branch());
    }

    @Test
    void ackCopyingTheResponsesVia_isScanned_anInviteLikeThatIsNot() {
        String ack = PLAIN.replace("INVITE sip:", "ACK sip:").replace("7 INVITE", "7 ACK")
                .replace("Content-Length: 4", "Content-Length: 0").replace("v=0\n", "")
                .replace("branch=z9hG4bKabc;rport", "branch=z9hG4bKabc;rport=5062;received=10.0.0.1");
        RawRequest r = scan(ack);
        assertNotNull(r, "SIPp and others build the ACK's Via from the 401's");
        assertEquals("z9hG4bKabc", range(r, r.branchStart, r.branchEnd));
        assertNull(scan(PLAIN.replace("branch=z9hG4bKabc;rport", "branch=z9hG4bKabc;rport=5062;received=10.0.0.1")));
        assertNull(scan(PLAIN.replace("branch=z9hG4bKabc;rport", "branch=z9hG4bKabc;maddr=10.0.0.7")));
    }

    @Test
    void ack_isScanned_otherMethodsAreNot() {
        String ack = PLAIN.replace("INVITE sip:", "ACK sip:").replace("7 INVITE", "7 ACK")
                .replace("Content-Length: 4", "Content-Length: 0").replace("v=0\n", "");
        assertEquals("ACK", scan(ack).method);
        assertNull(scan(ack.replace("ACK sip:", "BYE sip:").replace("7 ACK", "7 BYE")));
    }

    /** Shapes left to the RI's parser (and its 400s): the scanner must decline each one. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "folded line          | Max-Forwards: 70\\r\\n| Max-Forwards: 70\\r\\n continued\\r\\n",
        "second From          | To: <| From: <sip:x@y>;tag=2\\r\\nTo: <",
        "second CSeq          | Contact:| CSeq: 8 INVITE\\r\\nContact:",
        "no Contact           | Contact: <sip:bob@10.0.0.1:5062>\\r\\n| ",
        "no Max-Forwards      | Max-Forwards: 70\\r\\n| ",
        "no Call-ID           | Call-ID: call-1@10.0.0.1\\r\\n| ",
        "CSeq method mismatch | 7 INVITE| 7 BYE",
        "Content-Length wrong | Content-Length: 4| Content-Length: 5",
        "bare CR              | Max-Forwards: 70\\r\\n| Max-Forwards: 70\\rX\\r\\n",
        "IPv6 Request-URI     | Alice@Trunk.EXAMPLE.com:5060| alice@[::1]:5060",
        "tel URI              | sip:Alice@Trunk.EXAMPLE.com:5060;transport=udp| tel:+15550001",
        "maddr in top Via     | ;branch=z9hG4bKabc;rport| ;branch=z9hG4bKabc;rport;maddr=10.9.9.9",
        "received in top Via  | ;branch=z9hG4bKabc;rport| ;branch=z9hG4bKabc;rport;received=10.9.9.9",
        "rport with a value   | ;branch=z9hG4bKabc;rport| ;branch=z9hG4bKabc;rport=1",
        "comma in top Via     | ;branch=z9hG4bKabc;rport| ;branch=z9hG4bKabc, SIP/2.0/UDP 9.9.9.9",
        "control character    | Call-ID: call-1| Call-ID: call\u0001-1",
        "non-ASCII            | Call-ID: call-1| Call-ID: caf\u00e9-1",
        "version              | SIP/2.0\\r\\nVia| SIP/3.0\\r\\nVia",
        "branch without value | branch=z9hG4bKabc| branch",
        "tag without value    | ;tag=from1| ;tag=",
        "no blank line        | \\r\\n\\r\\nv=0| \\r\\nv=0",
    })
    void unusualShapes_areLeftToTheRi(String what, String from, String to) {
        String text = PLAIN.replace(unescape(from), unescape(to == null ? "" : to));
        assertFalse(text.equals(PLAIN), "the case changes the message: " + what);
        assertNull(scan(text), what);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    @Test
    void derivedTag_isTheSameFromBytesAndFromParsedValues_andDependsOnEachField() {
        StatelessToTags tags = new StatelessToTags(42);
        RawRequest r = scan(PLAIN);
        String fromBytes = tags.tag(r);
        assertEquals(fromBytes, tags.tag("call-1@10.0.0.1", "from1", 7, "z9hG4bKabc"));
        assertTrue(fromBytes.matches("[0-9a-f]{16}"));
        assertFalse(fromBytes.equals(tags.tag("call-2@10.0.0.1", "from1", 7, "z9hG4bKabc")));
        assertFalse(fromBytes.equals(tags.tag("call-1@10.0.0.1", "from2", 7, "z9hG4bKabc")));
        assertFalse(fromBytes.equals(tags.tag("call-1@10.0.0.1", "from1", 8, "z9hG4bKabc")));
        assertFalse(fromBytes.equals(tags.tag("call-1@10.0.0.1", "from1", 7, "z9hG4bKabd")));
        assertFalse(fromBytes.equals(new StatelessToTags(43).tag(r)), "keyed");
        // field boundaries count: moving a character from one field to the next changes the tag
        assertFalse(tags.tag("ab", "c", 1, "x").equals(tags.tag("a", "bc", 1, "x")));
    }

    @Test
    void ackCarryingTheDerivedTag_matches_othersDoNot() {
        StatelessToTags tags = new StatelessToTags(7);
        String invite = PLAIN;
        String tag = tags.tag(scan(invite));
        String ack = invite.replace("INVITE sip:", "ACK sip:").replace("7 INVITE", "7 ACK")
                .replace("To: <sip:alice@trunk.example.com>", "To: <sip:alice@trunk.example.com>;tag=" + tag)
                .replace("Content-Length: 4", "Content-Length: 0").replace("v=0\n", "");
        assertTrue(tags.matches(scan(ack)));
        assertFalse(tags.matches(scan(ack.replace("z9hG4bKabc", "z9hG4bKother"))));
        assertFalse(tags.matches(scan(ack.replace(";tag=" + tag, ";tag=0123456789abcdef"))));
    }
}
