package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.ProxyAuthenticate;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.WWWAuthenticate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipauth.core.authz.DigestChallenge;

class ChallengeHeadersTest {

    private final HeaderFactoryImpl factory = new HeaderFactoryImpl();

    /** What the RI's parser makes of the rendered text: the wire form must not change. */
    private String viaRiParser(String name, DigestChallenge c) throws Exception {
        return ((SIPHeader) factory.createHeader(name, c.toHeaderValue())).encode();
    }

    static Stream<DigestChallenge> challenges() {
        return Stream.of(
                new DigestChallenge("sipauth", "AAAAAaIIDww3xPF3olN6xG4sk6-CvSJTxjt2QJhG0Kg8", null, "MD5", List.of("auth"), false),
                new DigestChallenge("sip.example.com", "n", "op aque", "SHA-256", List.of("auth", "auth-int"), true),
                new DigestChallenge("we \"quote\" and \\ escape", "n", "o\"p", "SHA-512-256-sess", List.of(), false));
    }

    @ParameterizedTest
    @MethodSource("challenges")
    void sameWireTextAsTheRiParserOfTheRenderedValue(DigestChallenge c) throws Exception {
        for (String name : List.of("WWW-Authenticate", "Proxy-Authenticate")) {
            SIPHeader built = (SIPHeader) ChallengeHeaders.build(name, c);
            assertNotNull(built, c.toString());
            assertEquals(viaRiParser(name, c), built.encode());
        }
    }

    @Test
    void engineChallenges_takeTheFastPath_withTheRightHeaderType() throws Exception {
        DigestChallenge c = new DigestChallenge("sip.example.com", "bm9uY2U", "opq", "SHA-256", List.of("auth"), true);
        assertInstanceOf(WWWAuthenticate.class, ChallengeHeaders.create(factory, "WWW-Authenticate", c));
        assertInstanceOf(ProxyAuthenticate.class, ChallengeHeaders.create(factory, "Proxy-Authenticate", c));
        WWWAuthenticate h = (WWWAuthenticate) ChallengeHeaders.build("WWW-Authenticate", c);
        assertEquals("Digest", h.getScheme());
        assertEquals("sip.example.com", h.getRealm());
        assertEquals("bm9uY2U", h.getNonce());
        assertEquals("SHA-256", h.getAlgorithm());
        assertEquals("true", h.getParameter("stale"));
    }

    @Test
    void otherHeaderNames_areNotBuilt() {
        assertNull(ChallengeHeaders.build("Authorization",
                new DigestChallenge("r", "n", null, "MD5", List.of("auth"), false)));
    }
}
