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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestHeaders;
import org.junit.jupiter.api.Test;

class ChallengeHeadersTest {

    private final HeaderFactoryImpl factory = new HeaderFactoryImpl();

    /** What the RI's parser makes of the same text: the wire form must not change. */
    private String viaRiParser(String name, String value) throws Exception {
        return ((SIPHeader) factory.createHeader(name, value)).encode();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Digest realm=\"sipauth\", nonce=\"AAAAAaIIDww3xPF3olN6xG4sk6-CvSJTxjt2QJhG0Kg8\", algorithm=MD5, qop=\"auth\"",
        "Digest realm=\"sip.example.com\", nonce=\"n\", opaque=\"op aque\", algorithm=SHA-256, qop=\"auth,auth-int\", stale=true",
        "Digest realm=\"we \\\"quote\\\" and \\\\ escape\", nonce=\"n\", algorithm=SHA-512-256-sess",
        "Digest realm=\"r\",nonce=\"n\",algorithm=MD5",
    })
    void sameWireTextAsTheRiParser(String value) throws Exception {
        for (String name : List.of("WWW-Authenticate", "Proxy-Authenticate")) {
            SIPHeader built = (SIPHeader) ChallengeHeaders.build(name, value);
            assertNotNull(built, value);
            assertEquals(viaRiParser(name, value), built.encode());
        }
    }

    @Test
    void engineChallenges_takeTheFastPath_withTheRightHeaderType() throws Exception {
        String value = DigestHeaders.challenge("sip.example.com", "bm9uY2U", "opq", DigestAlgorithm.SHA_256,
                List.of(DigestHeaders.QOP_AUTH), true);
        assertInstanceOf(WWWAuthenticate.class, ChallengeHeaders.create(factory, "WWW-Authenticate", value));
        assertInstanceOf(ProxyAuthenticate.class, ChallengeHeaders.create(factory, "Proxy-Authenticate", value));
        WWWAuthenticate h = (WWWAuthenticate) ChallengeHeaders.build("WWW-Authenticate", value);
        assertEquals("Digest", h.getScheme());
        assertEquals("sip.example.com", h.getRealm());
        assertEquals("bm9uY2U", h.getNonce());
        assertEquals("SHA-256", h.getAlgorithm());
        assertEquals("true", h.getParameter("stale"));
        assertEquals(viaRiParser("WWW-Authenticate", value), h.encode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Digest",                                  // no parameters
        "Digest realm=\"unterminated",             // unterminated quoted string
        "Digest realm=\"r\", realm=\"again\"",     // duplicated
        "Digest realm=r",                          // a parameter the RI quotes, unquoted
        "Digest algorithm=\"MD5\"",                // a parameter the RI does not quote, quoted
        "Digest realm=\"r\",",                     // trailing comma
        "Digest realm=\"r\" nonce=\"n\"",          // no comma
    })
    void unusualValues_fallBackToTheRiParser(String value) {
        assertNull(ChallengeHeaders.build("WWW-Authenticate", value));
    }

    @Test
    void otherHeaderNames_fallBackToTheRiParser() throws Exception {
        assertNull(ChallengeHeaders.build("Authorization", "Digest realm=\"r\""));
        assertEquals("Subject: hello\r\n", ((SIPHeader) ChallengeHeaders.create(factory, "Subject", "hello")).encode());
    }
}
