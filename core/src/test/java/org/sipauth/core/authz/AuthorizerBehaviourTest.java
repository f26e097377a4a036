package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.URI;
import static org.sipauth.core.authz.EngineFixture.answer;
import static org.sipauth.core.authz.EngineFixture.invite;
import static org.sipauth.core.authz.EngineFixture.nonceOf;
import static org.sipauth.core.authz.EngineFixture.request;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;
import org.sipauth.core.store.memory.MemoryStore;

class AuthorizerBehaviourTest {

    private static final byte[] K0 = "key-zero-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K1 = "key-one-0123456789abcdef!".getBytes(StandardCharsets.US_ASCII);

    private static Reason challengeReason(AuthDecision d) {
        return assertInstanceOf(AuthDecision.Challenge.class, d).reason();
    }

    @Test
    void expiredNonce_challengesWithStale_thenFreshNonceWorks() {
        try (EngineFixture f = new EngineFixture(b -> b.nonceTtl(Duration.ofSeconds(30)))) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.SHA_256);
            f.clock.advanceMillis(30_000);
            AuthDecision d = f.authorizer.authorize(invite(List.of(answer(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD,
                    nonce, "00000001", "c"))));
            AuthDecision.Challenge c = assertInstanceOf(AuthDecision.Challenge.class, d);
            assertEquals(Reason.STALE_NONCE, c.reason());
            assertTrue(c.stale());
            assertTrue(c.headerValues().stream().allMatch(h -> h.endsWith(", stale=true")), c.headerValues().toString());
            String fresh = nonceOf(d, DigestAlgorithm.SHA_256);
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(
                    answer(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD, fresh, "00000001", "c")))));
        }
    }

    /**
     * Escaped quoted values are hashed unescaped and non-ASCII ones as UTF-8 (the engine reads most
     * values in place, so both take other paths than plain ASCII); the expected response is computed
     * here with MessageDigest alone.
     */
    @Test
    void escapedAndNonAsciiValues_areHashedAsTheirUnescapedUtf8Text() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            String cnonce = "n\"\u00f8\u20ac\uD83D\uDE00"; // n"ø€😀
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            String ha1 = EngineFixture.hex(EngineFixture.ha1(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
            String ha2 = EngineFixture.hex(md5.digest(("INVITE:" + URI).getBytes(StandardCharsets.UTF_8)));
            String response = EngineFixture.hex(md5.digest((ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2)
                    .getBytes(StandardCharsets.UTF_8)));
            String value = "Digest username=\"al\\ice\", realm=\"" + EngineFixture.REALM + "\", nonce=\"" + nonce
                    + "\", uri=\"" + URI + "\", response=\"" + response + "\", qop=auth, nc=00000001, cnonce=\"n\\\"\u00f8\u20ac\uD83D\uDE00\"";
            AuthDecision d = f.authorizer.authorize(invite(List.of(value)));
            assertEquals("alice", assertInstanceOf(AuthDecision.Allowed.class, d).username());
            String wrongCnonce = value.replace("\u20ac", "\u20ad");
            String next = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            assertEquals(Reason.BAD_CREDENTIALS, challengeReason(f.authorizer.authorize(invite(List.of(
                    wrongCnonce.replace(nonce, next))))));
        }
    }

    @Test
    void nonceForOneAlgorithm_isInvalidWithAnother() {
        try (EngineFixture f = new EngineFixture()) {
            String shaNonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.SHA_256);
            AuthDecision d = f.authorizer.authorize(invite(List.of(answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD,
                    shaNonce, "00000001", "c"))));
            assertEquals(Reason.INVALID_NONCE, challengeReason(d));
        }
    }

    @Test
    void nonceFromAnotherSource_isInvalid_unlessBindingIsOff() {
        try (EngineFixture f = new EngineFixture()) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            AuthDecision d = f.authorizer.authorize(request("INVITE", URI, EngineFixture.HOST, EngineFixture.address("192.0.2.99"),
                    List.of(answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c"))));
            assertEquals(Reason.INVALID_NONCE, challengeReason(d));
        }
        try (EngineFixture f = new EngineFixture(b -> b.bindNonceToSource(false))) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            AuthDecision d = f.authorizer.authorize(request("INVITE", URI, EngineFixture.HOST, EngineFixture.address("192.0.2.99"),
                    List.of(answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c"))));
            assertInstanceOf(AuthDecision.Allowed.class, d);
        }
    }

    @Test
    void replayedNonceCount_getsFreshChallenge_higherCountPasses() {
        try (EngineFixture f = new EngineFixture()) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            String first = answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c");
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(first))));
            assertEquals(Reason.REPLAY, challengeReason(f.authorizer.authorize(invite(List.of(first)))));
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(
                    answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000002", "c")))));
        }
    }

    @Test
    void replayProtectionOff_acceptsTheSameAnswerTwice() {
        try (EngineFixture f = new EngineFixture(b -> b.replayProtection(false))) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            String first = answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c");
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(first))));
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(first))));
        }
    }

    @Test
    void noQopAnswer_deniedUnlessEnabled_thenSingleUse() {
        java.util.function.BiFunction<EngineFixture, String, String> rfc2069 = (f, nonce) -> {
            String response = DigestResponse.compute(DigestAlgorithm.MD5, EngineFixture.ha1(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD),
                    "INVITE", URI, nonce, null, null, null, new byte[0]);
            return DigestHeaders.credentials(new DigestCredentials("alice", EngineFixture.REALM, nonce, URI, response,
                    DigestAlgorithm.MD5, null, null, null, null, null));
        };
        try (EngineFixture f = new EngineFixture()) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            assertEquals(new AuthDecision.Denied(400, Reason.MALFORMED),
                    f.authorizer.authorize(invite(List.of(rfc2069.apply(f, nonce)))));
        }
        try (EngineFixture f = new EngineFixture(b -> b.allowNoQop(true))) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            String value = rfc2069.apply(f, nonce);
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(value))));
            assertEquals(Reason.REPLAY, challengeReason(f.authorizer.authorize(invite(List.of(value)))));
        }
    }

    @Test
    void authInt_hashesTheBody() {
        try (EngineFixture f = new EngineFixture(b -> b.qops("auth", "auth-int"))) {
            String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.SHA_256);
            byte[] body = "v=0\r\n".getBytes(StandardCharsets.US_ASCII);
            String response = DigestResponse.compute(DigestAlgorithm.SHA_256, EngineFixture.ha1(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD),
                    "INVITE", URI, nonce, "00000001", "c", "auth-int", body);
            String value = DigestHeaders.credentials(new DigestCredentials("alice", EngineFixture.REALM, nonce, URI, response,
                    DigestAlgorithm.SHA_256, "SHA-256", "c", "00000001", "auth-int", null));
            AuthRequest tampered = AuthRequest.builder().method("INVITE").requestUri(URI).source(SOURCE).credentials(value)
                    .body("v=1\r\n".getBytes(StandardCharsets.US_ASCII)).build();
            assertEquals(Reason.BAD_CREDENTIALS, challengeReason(f.authorizer.authorize(tampered)));
            AuthRequest ok = AuthRequest.builder().method("INVITE").requestUri(URI).source(SOURCE).credentials(value)
                    .body(body).build();
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(ok));
        }
    }

    @Test
    void opaque_isSentAndRequired() {
        try (EngineFixture f = new EngineFixture(b -> b.opaque("op-1"))) {
            AuthDecision c = f.authorizer.authorize(invite(List.of()));
            assertTrue(((AuthDecision.Challenge) c).headerValues().get(0).contains("opaque=\"op-1\""));
            String nonce = nonceOf(c, DigestAlgorithm.MD5);
            assertEquals(Reason.INVALID_NONCE, challengeReason(f.authorizer.authorize(invite(List.of(
                    answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c"))))));
        }
    }

    @Test
    void disabledAlgorithm_challenges_andSha512256CanBeOffered() {
        try (EngineFixture f = new EngineFixture(b -> b.algorithms("MD5", "SHA-512-256"))) {
            AuthDecision.Challenge c = (AuthDecision.Challenge) f.authorizer.authorize(invite(List.of()));
            assertTrue(c.headerValues().get(0).contains("algorithm=MD5"), "offered in the order configured");
            assertTrue(c.headerValues().get(1).contains("algorithm=SHA-512-256"));
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_512_256, "alice", ALICE_PASSWORD));
            String nonce = nonceOf(c, DigestAlgorithm.MD5);
            String sha256 = answer(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD, nonce, "00000001", "c");
            assertEquals(Reason.UNSUPPORTED_ALGORITHM, challengeReason(f.authorizer.authorize(invite(List.of(sha256)))));
        }
    }

    @Test
    void defaultOffer_isMd5Alone() {
        try (EngineFixture f = new EngineFixture();
             InviteAuthorizer defaults = InviteAuthorizer.builder().store(f.store).realm(EngineFixture.REALM).build()) {
            AuthDecision.Challenge c = (AuthDecision.Challenge) defaults.authorize(invite(List.of()));
            assertEquals(1, c.headerValues().size(), c.headerValues().toString());
            assertTrue(c.headerValues().get(0).contains("algorithm=MD5"), c.headerValues().get(0));
        }
    }

    @Test
    void strongestFirst_whenConfiguredSo() {
        try (EngineFixture f = new EngineFixture(b -> b.algorithms("SHA-256", "MD5"))) {
            AuthDecision.Challenge c = (AuthDecision.Challenge) f.authorizer.authorize(invite(List.of()));
            assertTrue(c.headerValues().get(0).contains("algorithm=SHA-256"), c.headerValues().get(0));
            assertTrue(c.headerValues().get(1).contains("algorithm=MD5"), c.headerValues().get(1));
        }
    }

    @Test
    void keyRotation_acrossNodesSharingKeys() {
        try (EngineFixture oldNode = new EngineFixture(b -> b.nonceKey(0, K0))) {
            String nonce = nonceOf(oldNode.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            InviteAuthorizer rotated = InviteAuthorizer.builder().store(oldNode.store).realm(EngineFixture.REALM)
                    .clock(oldNode.clock).nonceKey(0, K0).nonceKey(1, K1).issuingKeyId(1).build();
            InviteAuthorizer retired = InviteAuthorizer.builder().store(oldNode.store).realm(EngineFixture.REALM)
                    .clock(oldNode.clock).nonceKey(1, K1).build();
            try {
                String value = answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c");
                assertInstanceOf(AuthDecision.Allowed.class, rotated.authorize(invite(List.of(value))), "old key still verifies");
                assertEquals(Reason.INVALID_NONCE, challengeReason(retired.authorize(invite(List.of(value)))));
                String newNonce = nonceOf(rotated.authorize(invite(List.of())), DigestAlgorithm.MD5);
                assertInstanceOf(AuthDecision.Allowed.class, retired.authorize(invite(List.of(
                        answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, newNonce, "00000001", "c")))));
            } finally {
                rotated.close();
                retired.close();
            }
        }
    }

    @Test
    void throttle_blocksAfterFailures_forCooldown_otherSourcesUnaffected() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(3, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            // three usernames: one username alone is refused after half the source's budget (ThrottleTest)
            for (String username : List.of("alice", "bob", "carol")) {
                assertEquals(Reason.BAD_CREDENTIALS, challengeReason(f.login(DigestAlgorithm.MD5, username, "wrong")));
            }
            assertEquals(new AuthDecision.Denied(403, Reason.THROTTLED), f.authorizer.authorize(invite(List.of())));
            AuthRequest other = request("INVITE", URI, EngineFixture.HOST, EngineFixture.address("192.0.2.11"), List.of());
            assertInstanceOf(AuthDecision.Challenge.class, f.authorizer.authorize(other));
            f.clock.advanceMillis(60_000);
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void throttle_countsOnlyFailuresWithinTheWindow() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(3, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            for (int i = 0; i < 6; i++) {
                assertEquals(Reason.BAD_CREDENTIALS, challengeReason(f.login(DigestAlgorithm.MD5, "alice", "wrong")));
                f.clock.advanceMillis(6_000);
            }
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void deniedStatus_isConfigurable() {
        try (EngineFixture f = new EngineFixture(b -> b.deniedStatus(Reason.UNKNOWN_TARGET, 403))) {
            assertEquals(new AuthDecision.Denied(403, Reason.UNKNOWN_TARGET),
                    f.authorizer.authorize(request("INVITE", URI, "nobody.example.com", SOURCE, List.of())));
        }
    }

    @Test
    void builder_rejectsBadSettingsWithPreciseMessages() {
        InviteAuthorizer.Builder b = InviteAuthorizer.builder();
        assertEquals("store is required (or provisioning)", assertThrows(IllegalStateException.class, b::build).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.algorithms("SHA-1"));
        assertThrows(IllegalArgumentException.class, () -> b.algorithms("MD5", "md5"));
        assertThrows(IllegalArgumentException.class, () -> b.algorithms());
        assertThrows(IllegalArgumentException.class, () -> b.nonceKey(0, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> b.nonceKey(256, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> b.nonceTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.qops("auth-conf"));
        assertThrows(IllegalArgumentException.class, () -> b.realm(" "));
        assertThrows(IllegalArgumentException.class, () -> b.realm("a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.deniedStatus(Reason.MALFORMED, 200));
        assertThrows(IllegalArgumentException.class, () -> b.deniedStatus(Reason.REPLAY, 403));
        assertThrows(IllegalArgumentException.class, () -> b.throttle(-1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        MemoryStore store = new MemoryStore();
        b.store(store).realm("r").qops();
        assertThrows(IllegalStateException.class, b::build, "no qop without allowNoQop");
        b.qops("auth").nonceKey(3, new byte[16]).issuingKeyId(4);
        assertThrows(IllegalStateException.class, b::build);
        store.close();
    }

    @Test
    void throttle_tracksAtMostMaxSources() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(2, Duration.ofSeconds(10), Duration.ofSeconds(60)).throttleMaxSources(2))) {
            for (int s = 1; s <= 3; s++) {
                java.net.InetAddress source = EngineFixture.address("192.0.2." + s);
                f.authorizer.authorize(request("INVITE", URI, EngineFixture.HOST, source, List.of(
                        answer(DigestAlgorithm.MD5, "alice", "wrong", nonceOf(f.authorizer.authorize(
                                request("INVITE", URI, EngineFixture.HOST, source, List.of())), DigestAlgorithm.MD5), "00000001", "c"))));
            }
            assertEquals(2, f.authorizer.throttle().trackedSources());
        }
    }
}
