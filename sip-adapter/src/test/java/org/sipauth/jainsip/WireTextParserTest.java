package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole messages through sipauth's parser (with {@link FastHeaders}) and through the RI's own
 * {@code StringMsgParser}: the same message object, field by field, apart from the wire text sipauth
 * keeps as application data.
 */
class WireTextParserTest {

    static Stream<String> messages() {
        return Stream.of(
                // SIPp's second INVITE of the load harness
                """
                INVITE sip:service@load.sipauth.test SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.1:25061;branch=z9hG4bK-28411-1-2\r
                From: sipp <sip:u00001@load.sipauth.test>;tag=28411SIPpTag001\r
                To: <sip:service@load.sipauth.test>\r
                Call-ID: 1-28411@127.0.0.1\r
                CSeq: 2 INVITE\r
                Contact: sip:u00001@127.0.0.1:25061\r
                Authorization: Digest username="u00001",realm="sipauth",uri="sip:service@load.sipauth.test",\
                nonce="AAABjB0bA7sAAAAAAAAAAHNpcGF1",response="6629fae49393a05397450978507c4ef1",algorithm=MD5\r
                Max-Forwards: 70\r
                Subject: Performance Test\r
                Content-Type: application/sdp\r
                Content-Length: 0\r
                \r
                """,
                // a phone's INVITE with compact forms, two Vias, rport, a body and headers left to the RI
                """
                INVITE sip:+15551234567@trunk.example.com;user=phone SIP/2.0\r
                v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKPj3f1c;rport\r
                Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-second;received=192.0.2.1\r
                Max-Forwards: 69\r
                f: "Alice Smith" <sip:alice@example.com>;tag=a73kszlfl\r
                t: <sip:+15551234567@trunk.example.com>\r
                i: 3848276298220188511@pc33.example.com\r
                CSeq: 314159 INVITE\r
                m: <sip:alice@192.0.2.10:5060;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-0011>"\r
                Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r
                User-Agent: Example Phone/1.2\r
                Proxy-Authorization: Digest username="alice", realm="example.com", nonce="abc", \
                uri="sip:+15551234567@trunk.example.com;user=phone", response="0123456789abcdef0123456789abcdef", \
                qop=auth, nc=00000001, cnonce="0a4f113b", algorithm=SHA-256\r
                c: application/sdp\r
                l: 31\r
                \r
                v=0\r
                o=- 1 1 IN IP4 192.0.2.10\r
                """,
                // an ACK and a BYE with duplicate single-valued headers and upper-case names
                """
                ACK sip:u00001@127.0.0.1:25061 SIP/2.0\r
                VIA: SIP/2.0/UDP 127.0.0.1:25061;BRANCH=z9hG4bK-28411-1-5\r
                FROM: sipp <sip:u00001@load.sipauth.test>;tag=28411SIPpTag001\r
                TO: <sip:service@load.sipauth.test>;tag=as4b2c\r
                CALL-ID: 1-28411@127.0.0.1\r
                CSEQ: 2 ACK\r
                CSeq: 3 ACK\r
                Max-Forwards: 70\r
                Content-Length: 0\r
                \r
                """,
                // shapes FastHeaders leaves to the RI: escapes, IPv6, wildcard, comma lists, odd spacing
                """
                REGISTER sips:registrar.example.com SIP/2.0\r
                Via: SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKreg, SIP/2.0/UDP host;branch=z9hG4bKx\r
                From: "Bob \\"B\\"" <sips:bob%20x@example.com>;tag=456\r
                To: Bob <sips:bob@example.com> ; tag = 789\r
                Call-ID: reg 1\r
                CSeq: 1   REGISTER\r
                Contact: *\r
                Expires: 0\r
                Content-Length:   0\r
                \r
                """);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void message_isParsedAsTheRiParsesIt(String text) throws Exception {
        byte[] datagram = text.getBytes(StandardCharsets.UTF_8);
        SIPMessage ri = new StringMsgParser().parseSIPMessage(datagram, true, false, null);
        SIPMessage ours = new WireTextParserFactory().createMessageParser(null)
                .parseSIPMessage(datagram, true, false, null);
        assertInstanceOf(WireText.class, ours.getApplicationData());
        ours.setApplicationData(null);
        String difference = FastHeadersTest.DeepCompare.firstDifference(ri, ours);
        assertNull(difference, () -> "parsed messages differ at " + difference);
        assertEquals(ri.encode(), ours.encode());
    }
}
