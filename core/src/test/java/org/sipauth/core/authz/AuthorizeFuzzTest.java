package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sipauth.core.digest.DigestAlgorithm;

/**
 * Feeds 100,000 random and mutated Authorization values through authorize(): every call must
 * return a decision, none may throw. Seeded, so a failure reproduces.
 */
class AuthorizeFuzzTest {

    private static final String ALPHABET = "Digest usernamrlocqpifvhxyzt0123456789abcdefABCDEF=\", \\\t:;/@.-_+*'\u00e9\u0000\r\n";

    @Test
    void randomAndMutatedValues_neverThrow() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(0, Duration.ofSeconds(1), Duration.ofSeconds(1))
                .algorithms("SHA-256", "MD5", "SHA-512-256-sess").qops("auth", "auth-int").allowNoQop(true))) {
            String nonce = EngineFixture.nonceOf(f.authorizer.authorize(EngineFixture.invite(List.of())), DigestAlgorithm.MD5);
            String valid = EngineFixture.answer(DigestAlgorithm.MD5, "alice", EngineFixture.ALICE_PASSWORD, nonce, "00000001", "0a4f113b");
            SplittableRandom random = new SplittableRandom(20261122L);
            Map<AuthDecision.Reason, Integer> seen = new EnumMap<>(AuthDecision.Reason.class);
            int allowed = 0;
            for (int i = 0; i < 100_000; i++) {
                String value = switch (i % 4) {
                    case 0 -> randomText(random, random.nextInt(120));
                    case 1 -> mutate(random, valid, 1 + random.nextInt(4));
                    case 2 -> valid.substring(0, random.nextInt(valid.length() + 1));
                    default -> spliceParameters(random, valid);
                };
                AuthRequest request = EngineFixture.invite(random.nextInt(10) == 0 ? List.of(value, valid) : List.of(value));
                AuthDecision d = f.authorizer.authorize(request);
                assertNotNull(d, value);
                if (d instanceof AuthDecision.Allowed) {
                    allowed++;
                } else if (d instanceof AuthDecision.Challenge c) {
                    seen.merge(c.reason(), 1, Integer::sum);
                } else if (d instanceof AuthDecision.Denied den) {
                    seen.merge(den.reason(), 1, Integer::sum);
                }
            }
            // The corpus reaches deep: parse failures, nonce checks and response checks all occurred.
            assertTrue(seen.containsKey(AuthDecision.Reason.MALFORMED), seen.toString());
            assertTrue(seen.containsKey(AuthDecision.Reason.NO_CREDENTIALS), seen.toString());
            assertTrue(seen.containsKey(AuthDecision.Reason.INVALID_NONCE), seen.toString());
            assertTrue(seen.containsKey(AuthDecision.Reason.REPLAY) || seen.containsKey(AuthDecision.Reason.BAD_CREDENTIALS), seen.toString());
            assertTrue(allowed <= 1, "the valid answer is accepted at most once (replay guard): " + allowed);
        }
    }

    private static String randomText(SplittableRandom random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String mutate(SplittableRandom random, String value, int edits) {
        StringBuilder b = new StringBuilder(value);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = random.nextInt(b.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> b.setCharAt(at, c);
                case 1 -> b.insert(at, c);
                default -> b.deleteCharAt(at);
            }
        }
        return b.toString();
    }

    /** Duplicates, drops or reorders whole parameters. */
    private static String spliceParameters(SplittableRandom random, String valid) {
        String[] params = valid.substring("Digest ".length()).split(", ");
        StringBuilder b = new StringBuilder("Digest ");
        int n = 1 + random.nextInt(params.length + 2);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(random.nextInt(8) == 0 ? "," : ", ");
            }
            b.append(params[random.nextInt(params.length)]);
        }
        return b.toString();
    }
}
