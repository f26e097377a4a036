package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.BOB_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.HOST;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.URI;
import static org.sipauth.core.authz.EngineFixture.answer;
import static org.sipauth.core.authz.EngineFixture.invite;
import static org.sipauth.core.authz.EngineFixture.nonceOf;
import static org.sipauth.core.authz.EngineFixture.request;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.store.memory.MemoryStore;

class InviteAuthorizerTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void noCredentials_challengesSha256ThenMd5() {
        AuthDecision d = f.authorizer.authorize(invite(List.of()));
        AuthDecision.Challenge c = assertInstanceOf(AuthDecision.Challenge.class, d);
        assertEquals(401, c.status());
        assertEquals(Reason.NO_CREDENTIALS, c.reason());
        assertEquals(2, c.headerValues().size());
        assertTrue(c.headerValues().get(0).startsWith("Digest realm=\"sip.example.com\", nonce=\""), c.headerValues().get(0));
        assertTrue(c.headerValues().get(0).endsWith("algorithm=SHA-256, qop=\"auth\""), c.headerValues().get(0));
        assertTrue(c.headerValues().get(1).endsWith("algorithm=MD5, qop=\"auth\""), c.headerValues().get(1));
        assertFalse(c.stale());
    }

    @Test
    void proxyRole_challengesWith407() {
        AuthRequest r = AuthRequest.builder().method("INVITE").requestUri(URI).source(SOURCE).role(Role.PROXY).build();
        assertEquals(407, assertInstanceOf(AuthDecision.Challenge.class, f.authorizer.authorize(r)).status());
    }

    @Test
    void correctAnswer_isAllowed_withMd5AndSha256() {
        for (DigestAlgorithm a : List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256)) {
            AuthDecision.Allowed ok = assertInstanceOf(AuthDecision.Allowed.class, f.login(a, "alice", ALICE_PASSWORD));
            assertEquals("alice", ok.username());
            assertEquals(f.list.sid(), ok.credentialListSid());
            assertEquals(f.trunk.sid(), ok.targetSid());
        }
        assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "bob", BOB_PASSWORD));
    }

    @Test
    void wrongPassword_unknownUser_challengeAgain() {
        AuthDecision wrong = f.login(DigestAlgorithm.SHA_256, "alice", "not-her-password");
        assertEquals(Reason.BAD_CREDENTIALS, assertInstanceOf(AuthDecision.Challenge.class, wrong).reason());
        AuthDecision unknown = f.login(DigestAlgorithm.SHA_256, "mallory", ALICE_PASSWORD);
        assertEquals(Reason.BAD_CREDENTIALS, assertInstanceOf(AuthDecision.Challenge.class, unknown).reason());
    }

    @Test
    void unknownHost_isDenied404_andHostMatchIgnoresCaseAndPort() {
        AuthDecision d = f.authorizer.authorize(request("INVITE", URI, "other.example.com", SOURCE, List.of()));
        assertEquals(new AuthDecision.Denied(404, Reason.UNKNOWN_TARGET), d);
        assertInstanceOf(AuthDecision.Challenge.class,
                f.authorizer.authorize(request("INVITE", URI, "TRUNK.Example.COM", SOURCE, List.of())));
        assertInstanceOf(AuthDecision.Challenge.class,
                f.authorizer.authorize(request("INVITE", URI, "trunk.example.com:5060", SOURCE, List.of())));
    }

    @Test
    void nothingMapped_isDenied403() {
        f.provisioning.mappings().delete(f.account, MappingKind.TRUNK, f.trunk.sid().value(), f.list.sid().value());
        assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), f.authorizer.authorize(invite(List.of())));
    }

    @Test
    void uriMismatch_isDenied400() {
        String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
        String value = answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c1");
        AuthDecision d = f.authorizer.authorize(request("INVITE", "sip:other@trunk.example.com", HOST, SOURCE, List.of(value)));
        assertEquals(new AuthDecision.Denied(400, Reason.URI_MISMATCH), d);
    }

    @Test
    void malformedCredentials_isDenied400() {
        AuthDecision d = f.authorizer.authorize(invite(List.of("Digest username=\"alice\", realm=\"sip.example.com\", nonce=\"x")));
        assertEquals(new AuthDecision.Denied(400, Reason.MALFORMED), d);
    }

    @Test
    void otherRealmOrScheme_isTreatedAsNoCredentials() {
        AuthDecision d = f.authorizer.authorize(invite(List.of("Basic YWxpY2U6cHc=",
                "Digest username=\"alice\", realm=\"elsewhere\", nonce=\"n\", uri=\"" + URI + "\", response=\""
                        + "0".repeat(32) + "\"")));
        assertEquals(Reason.NO_CREDENTIALS, assertInstanceOf(AuthDecision.Challenge.class, d).reason());
    }

    @Test
    void ha1Candidates_findsTheUsernameInEveryMappedList() throws Exception {
        var second = f.provisioning.credentialLists().create(f.account, "second");
        f.provisioning.credentials().create(f.account, second.sid().value(), "alice", "Other-Passw0rd");
        f.provisioning.mappings().create(f.account, MappingKind.TRUNK, f.trunk.sid().value(), second.sid().value());
        byte[][] out = new byte[4][];
        assertEquals(2, f.authorizer.lookup().ha1Candidates(HOST, "INVITE", "alice", out, f.clock.millis()));
        // The mapped lists come in SID order (random SIDs): compare as a set.
        assertEquals(java.util.Set.of(
                        EngineFixture.hex(EngineFixture.ha1(DigestAlgorithm.MD5, "alice", EngineFixture.ALICE_PASSWORD)),
                        EngineFixture.hex(EngineFixture.ha1(DigestAlgorithm.MD5, "alice", "Other-Passw0rd"))),
                java.util.Set.of(EngineFixture.hex(java.util.Arrays.copyOfRange(out[0], 0, 16)),
                        EngineFixture.hex(java.util.Arrays.copyOfRange(out[1], 0, 16))));
        assertEquals(0, f.authorizer.lookup().ha1Candidates(HOST, "INVITE", "nobody", out, f.clock.millis()));
        assertEquals(-1, f.authorizer.lookup().ha1Candidates("elsewhere.example.com", "INVITE", "alice", out, f.clock.millis()));
        assertEquals(0, f.authorizer.lookup().ha1Candidates(HOST, "REGISTER", "alice", out, f.clock.millis()), "trunks have no registration lists");
    }

    @Test
    void provisioning_givesStoreAndRealm_soProvisionedCredentialsVerify() {
        assertEquals(EngineFixture.REALM, f.authorizer.realm());
        assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD));
    }

    @Test
    void realmDifferentFromTheProvisioningRealm_isRefusedAtBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InviteAuthorizer.builder().provisioning(f.provisioning).realm("other.example.com").build());
        assertEquals("realm \"other.example.com\" differs from the provisioning realm \"" + EngineFixture.REALM
                + "\", for which every credential's HA1 is computed: no credential would verify;"
                + " leave realm unset to use the provisioning's", e.getMessage());
        try (InviteAuthorizer same = InviteAuthorizer.builder().provisioning(f.provisioning).realm(EngineFixture.REALM)
                .store(f.store).build()) {
            assertEquals(EngineFixture.REALM, same.realm(), "the same realm and store given twice are accepted");
        }
    }

    @Test
    void storeDifferentFromTheProvisioningStore_isRefusedAtBuild() {
        try (MemoryStore other = new MemoryStore()) {
            assertEquals("store differs from the provisioning's store: give one of them", assertThrows(
                    IllegalStateException.class,
                    () -> InviteAuthorizer.builder().provisioning(f.provisioning).store(other).build()).getMessage());
        }
        assertEquals("store is required (or provisioning)", assertThrows(IllegalStateException.class,
                () -> InviteAuthorizer.builder().realm("r").build()).getMessage());
        assertEquals("realm is required (or provisioning)", assertThrows(IllegalStateException.class,
                () -> InviteAuthorizer.builder().store(f.store).build()).getMessage());
    }

    @Test
    void storeProvisionedForAnotherRealm_neverVerifies() throws Exception {
        try (InviteAuthorizer elsewhere = InviteAuthorizer.builder().store(f.store).realm("other.example.com")
                .algorithms("SHA-256").clock(f.clock).build()) {
            AuthDecision challenge = elsewhere.authorize(invite(List.of()));
            String nonce = nonceOf(challenge, DigestAlgorithm.SHA_256);
            // A client answering correctly for the realm it was challenged with.
            byte[] ha1 = java.security.MessageDigest.getInstance("SHA-256").digest(
                    ("alice:other.example.com:" + ALICE_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String response = DigestResponse.compute(DigestAlgorithm.SHA_256, ha1, "INVITE", URI, nonce, "00000001",
                    "0a4f113b", DigestHeaders.QOP_AUTH, new byte[0]);
            AuthDecision d = elsewhere.authorize(invite(List.of(DigestHeaders.credentials(new DigestCredentials("alice",
                    "other.example.com", nonce, URI, response, DigestAlgorithm.SHA_256, "SHA-256", "0a4f113b", "00000001",
                    DigestHeaders.QOP_AUTH, null)))));
            assertEquals(Reason.BAD_CREDENTIALS, assertInstanceOf(AuthDecision.Challenge.class, d).reason());
        }
    }
}
