package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;

class AuthorizerPropertyTest {

    private static final EngineFixture F = new EngineFixture(b -> b.throttle(0, Duration.ofSeconds(1), Duration.ofSeconds(1))
            .algorithms("SHA-256", "MD5", "SHA-512-256"));

    @AfterContainer
    static void close() {
        F.close();
    }

    enum Field { RESPONSE, NONCE, URI, CNONCE, NC }

    @Provide
    Arbitrary<DigestAlgorithm> algorithms() {
        return Arbitraries.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_512_256);
    }

    private static DigestCredentials answer(DigestAlgorithm a, String nonce, String nc, String cnonce) {
        String response = DigestResponse.compute(a, EngineFixture.ha1(a, "alice", EngineFixture.ALICE_PASSWORD), "INVITE",
                EngineFixture.URI, nonce, nc, cnonce, DigestHeaders.QOP_AUTH, new byte[0]);
        return new DigestCredentials("alice", EngineFixture.REALM, nonce, EngineFixture.URI, response, a, a.token(),
                cnonce, nc, DigestHeaders.QOP_AUTH, null);
    }

    private static String mutate(String value, int position, char replacement) {
        int at = position % value.length();
        char original = value.charAt(at);
        char r = Character.toLowerCase(replacement) == Character.toLowerCase(original)
                ? (Character.toLowerCase(original) == 'x' ? 'y' : 'x') : replacement;
        return value.substring(0, at) + r + value.substring(at + 1);
    }

    @Property(tries = 300)
    void oneChangedCharacter_isRejected_theOriginalIsAccepted(@ForAll("algorithms") DigestAlgorithm a, @ForAll Field field,
            @ForAll @IntRange(min = 0, max = 200) int position, @ForAll("replacements") char replacement) {
        String nonce = EngineFixture.nonceOf(F.authorizer.authorize(EngineFixture.invite(List.of())), a);
        DigestCredentials ok = answer(a, nonce, "00000001", "0a4f113b");
        DigestCredentials bad = switch (field) {
            case RESPONSE -> new DigestCredentials(ok.username(), ok.realm(), ok.nonce(), ok.uri(), mutate(ok.response(), position, replacement),
                    a, a.token(), ok.cnonce(), ok.nc(), ok.qop(), null);
            case NONCE -> answerWith(ok, mutate(nonce, position, replacement), ok.uri(), ok.cnonce(), ok.nc());
            case URI -> answerWith(ok, nonce, mutate(ok.uri(), position, replacement), ok.cnonce(), ok.nc());
            case CNONCE -> answerWith(ok, nonce, ok.uri(), mutate(ok.cnonce(), position, replacement), ok.nc());
            case NC -> answerWith(ok, nonce, ok.uri(), ok.cnonce(), mutate(ok.nc(), position, replacement));
        };
        AuthDecision rejected = F.authorizer.authorize(EngineFixture.invite(List.of(DigestHeaders.credentials(bad))));
        assertFalse(rejected instanceof AuthDecision.Allowed, () -> field + " changed but allowed: " + bad);
        assertInstanceOf(AuthDecision.Allowed.class,
                F.authorizer.authorize(EngineFixture.invite(List.of(DigestHeaders.credentials(ok)))));
    }

    /** The changed field keeps the response computed for the original values (what an attacker can do). */
    private static DigestCredentials answerWith(DigestCredentials ok, String nonce, String uri, String cnonce, String nc) {
        return new DigestCredentials(ok.username(), ok.realm(), nonce, uri, ok.response(), ok.algorithm(), ok.algorithmToken(),
                cnonce, nc, ok.qop(), null);
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.chars().with("0123456789abcdefABCDEF-_/+=xyzXYZ:@.");
    }

    @Property(tries = 100)
    void nonceCount_isNeverAcceptedTwice(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 15) Integer> counts) {
        String nonce = EngineFixture.nonceOf(F.authorizer.authorize(EngineFixture.invite(List.of())), DigestAlgorithm.MD5);
        long highest = 0;
        for (int count : counts) {
            String nc = String.format(java.util.Locale.ROOT, "%08x", count);
            AuthDecision d = F.authorizer.authorize(EngineFixture.invite(List.of(
                    DigestHeaders.credentials(answer(DigestAlgorithm.MD5, nonce, nc, "c")))));
            boolean shouldPass = count > highest;
            assertEquals(shouldPass, d instanceof AuthDecision.Allowed, "nc " + count + " after highest " + highest);
            if (shouldPass) {
                highest = count;
            }
        }
    }
}
