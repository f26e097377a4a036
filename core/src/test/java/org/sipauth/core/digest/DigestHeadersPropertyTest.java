package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DigestHeadersPropertyTest {

    /** Printable text including quotes, backslashes, commas, '=' and non-ASCII letters. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withChars(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u00e9\u4e2d")
                .withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(0).ofMaxLength(40);
    }

    @Property(tries = 500)
    void formatThenParse_roundTrips(@ForAll("anyCredentials") DigestCredentials c) {
        DigestHeaders.ParseResult r = DigestHeaders.parse(DigestHeaders.credentials(c));
        assertEquals(DigestHeaders.Status.OK, r.status(), r.problem());
        assertEquals(c, r.credentials());
    }

    @Provide
    Arbitrary<DigestCredentials> anyCredentials() {
        Arbitrary<DigestAlgorithm> algorithm = Arbitraries.of(DigestAlgorithm.class);
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64);
        Arbitrary<Boolean> withQop = Arbitraries.of(true, false);
        Arbitrary<String> qop = Arbitraries.of("auth", "auth-int");
        Arbitrary<String> nc = Arbitraries.strings().withChars("0123456789abcdef").ofLength(8);
        Arbitrary<String> opaque = text().injectNull(0.3);
        Arbitrary<String[]> strings = text().array(String[].class).ofSize(5);
        return Combinators.combine(strings, algorithm, hex, withQop, qop, nc, opaque).as((s, a, h, q, qopValue, ncValue, o) -> {
            boolean qopPresent = q || a.session();
            String response = h.substring(0, 2 * a.hashLength());
            // MD5 may be implicit (no algorithm parameter); every other algorithm is sent.
            String token = a == DigestAlgorithm.MD5 && s[4].length() % 2 == 0 ? null : a.token();
            return new DigestCredentials(s[0], s[1], s[2], s[3], response, a, token,
                    qopPresent ? s[4] : null, qopPresent ? ncValue : null, qopPresent ? qopValue : null, o);
        });
    }
}
