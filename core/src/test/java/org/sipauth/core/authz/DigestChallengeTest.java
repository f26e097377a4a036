package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestChallengeTest {

    @Test
    void toHeaderValue_quotesAndEscapes_inRfc7616Order() {
        assertEquals("Digest realm=\"a\\\"b\", nonce=\"N\", opaque=\"o\\\\p\", algorithm=SHA-512-256, qop=\"auth,auth-int\", stale=true",
                new DigestChallenge("a\"b", "N", "o\\p", "SHA-512-256", List.of("auth", "auth-int"), true).toHeaderValue());
        assertEquals("Digest realm=\"r\", nonce=\"N\", algorithm=MD5",
                new DigestChallenge("r", "N", null, "MD5", List.of(), false).toHeaderValue());
        assertEquals("Digest realm=\"sip.example.com\", nonce=\"AAAAAaIIDww3xPF3olN6xG4sk6-CvSJTxjt2QJhG0Kg8\", algorithm=SHA-256, qop=\"auth\"",
                new DigestChallenge("sip.example.com", "AAAAAaIIDww3xPF3olN6xG4sk6-CvSJTxjt2QJhG0Kg8", null, "SHA-256",
                        List.of("auth"), false).toHeaderValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "tab\there", "del\u007f"})
    void controlCharacters_areRefused(String bad) {
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge(bad, "n", null, "MD5", List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge("r", bad, null, "MD5", List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge("r", "n", bad, "MD5", List.of(), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MD5, stale=true", "SHA 256", "\"MD5\""})
    void algorithmAndQop_mustBeTokens(String bad) {
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge("r", "n", null, bad, List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge("r", "n", null, "MD5", List.of(bad), false));
    }

    @Test
    void aChallengeDecision_needsOneDigestChallenge_andRendersEachInOrder() {
        assertThrows(IllegalArgumentException.class,
                () -> new AuthDecision.Challenge(401, List.of(), AuthDecision.Reason.NO_CREDENTIALS));
        AuthDecision.Challenge c = new AuthDecision.Challenge(407, List.of(
                new DigestChallenge("r", "n1", null, "SHA-256", List.of("auth"), true),
                new DigestChallenge("r", "n2", null, "MD5", List.of("auth"), true)), AuthDecision.Reason.STALE_NONCE);
        assertEquals(List.of("Digest realm=\"r\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\", stale=true",
                "Digest realm=\"r\", nonce=\"n2\", algorithm=MD5, qop=\"auth\", stale=true"), c.headerValues());
        assertEquals(true, c.stale());
    }
}
