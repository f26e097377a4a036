package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DigestHeadersTest {

    private static final String R32 = "6629fae49393a05397450978507c4ef1";

    /** Each non-comment line of {@code digest/malformed-credentials.txt} must be MALFORMED. */
    static Stream<String> malformed() throws IOException {
        try (InputStream in = DigestHeadersTest.class.getResourceAsStream("/digest/malformed-credentials.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isEmpty())
                    .map(l -> l.replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n"))
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void parse_rejectsMalformed(String value) {
        assertEquals(DigestHeaders.Status.MALFORMED, DigestHeaders.parse(value).status(), value);
    }

    @Test
    void parse_acceptsCaseInsensitiveNamesEscapesAndSpacing() {
        DigestHeaders.ParseResult r = DigestHeaders.parse(
                "  digest  USERNAME = \"a\\\"b\\\\c\" ,Realm=\"r\",NONCE=n1,uri=\"sip:x@y\",response=\"" + R32.toUpperCase(java.util.Locale.ROOT)
                        + "\",QOP=auth,nc=0000000A,cnonce=\"c\",opaque=\"o\",userhash=false  ");
        assertEquals(DigestHeaders.Status.OK, r.status(), r.problem());
        DigestCredentials c = r.credentials();
        assertEquals("a\"b\\c", c.username());
        assertEquals("n1", c.nonce());
        assertEquals(DigestAlgorithm.MD5, c.algorithm());
        assertNull(c.algorithmToken());
        assertEquals(DigestHeaders.QOP_AUTH, c.qop());
        assertEquals(10, c.ncValue());
        assertEquals("o", c.opaque());
    }

    @Test
    void parse_otherScheme_isNotDigest_andUnknownAlgorithmIsKept() {
        assertEquals(DigestHeaders.Status.NOT_DIGEST, DigestHeaders.parse("Basic dXNlcjpwYXNz").status());
        DigestHeaders.ParseResult r = DigestHeaders.parse(
                "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"abcd\", algorithm=SHA3-512");
        assertEquals(DigestHeaders.Status.OK, r.status());
        assertNull(r.credentials().algorithm());
        assertEquals("SHA3-512", r.credentials().algorithmToken());
    }
}
