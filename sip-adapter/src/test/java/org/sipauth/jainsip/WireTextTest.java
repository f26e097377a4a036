package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipauth.testsip.RawSip;

class WireTextTest {

    private static SIPMessage parse(String text) throws Exception {
        return new WireTextParserFactory().createMessageParser(null)
                .parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private static String invite(String username) throws IOException {
        return RawSip.template("/sip/invite-mixed-case.sip",
                Map.of("clientPort", "5062", "branch", "b1", "callId", "c1", "username", username));
    }

    @Test
    void parser_keepsRequestUriAndAuthorizationAsReceived() throws Exception {
        SIPMessage message = parse(invite("alice"));
        WireText wire = assertInstanceOf(WireText.class, message.getApplicationData());
        assertEquals("sip:Alice@Trunk.EXAMPLE.com;transport=udp", wire.requestUri);
        assertEquals(1, wire.authorization.size());
        assertTrue(wire.authorization.get(0).startsWith("Digest username=\"alice\", realm=\"sipauth.test\""));
        assertTrue(wire.proxyAuthorization.isEmpty());
    }

    @Test
    void offer_matchesHeaderNamesCaseInsensitivelyAndOnlyWholeNames() {
        WireText wire = new WireText("sip:x");
        wire.offer("AUTHORIZATION : Digest a=1");
        wire.offer("Proxy-authorization:Digest b=2");
        wire.offer("Authorization-Info: nextnonce=\"x\"");
        wire.offer("X-Authorization: Digest c=3");
        wire.offer("Via: SIP/2.0/UDP h");
        assertEquals(List.of("Digest a=1"), wire.authorization);
        assertEquals(List.of("Digest b=2"), wire.proxyAuthorization);
    }

    @Test
    void claimedUsername_isBoundedAndCannotInjectLogLines() {
        assertEquals("alice", AuthRequests.claimedUsername(List.of("Digest realm=\"r\", username=\"alice\", nonce=\"n\"")));
        assertEquals("bob", AuthRequests.claimedUsername(List.of("Digest username = bob, realm=r")));
        assertEquals("", AuthRequests.claimedUsername(List.of("Digest realm=\"r\", xusername=\"eve\"")));
        assertEquals("", AuthRequests.claimedUsername(List.of()));
        assertEquals("a?b", AuthRequests.claimedUsername(List.of("Digest username=\"a\nb\"")));
        assertEquals(64, AuthRequests.claimedUsername(List.of("Digest username=\"" + "x".repeat(500) + "\"")).length());
    }
}
