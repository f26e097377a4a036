package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.BOB_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.HOST;
import static org.sipauth.core.authz.EngineFixture.REALM;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.URI;
import static org.sipauth.core.authz.EngineFixture.address;
import static org.sipauth.core.authz.EngineFixture.ha1;
import static org.sipauth.core.authz.EngineFixture.nonceOf;
import static org.sipauth.core.authz.EngineFixture.request;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.TrunkInput;

/**
 * The brute-force throttle as an attacker meets it: through {@code authorize}, with the engine's
 * defaults unless a test says otherwise (10 failures per address, 5 per username from one address,
 * 50 per username from all addresses, over 60 s, refused for 60 s).
 */
class ThrottleTest {

    private static final AuthDecision.Denied THROTTLED = new AuthDecision.Denied(403, Reason.THROTTLED);
    private static final String OTHER_HOST = "other-tenant.example.net";
    private static final String OTHER_URI = "sip:+15559876543@" + OTHER_HOST;

    /** Challenge from {@code source} and answer it; the challenge's own decision when there is none. */
    private static AuthDecision login(EngineFixture f, InetAddress source, String host, String uri, String username,
                                      String password) {
        AuthDecision first = f.authorizer.authorize(request("INVITE", uri, host, source, List.of()));
        if (!(first instanceof AuthDecision.Challenge)) {
            return first;
        }
        String nonce = nonceOf(first, DigestAlgorithm.MD5);
        String response = DigestResponse.compute(DigestAlgorithm.MD5, ha1(DigestAlgorithm.MD5, username, password),
                "INVITE", uri, nonce, "00000001", "0a4f113b", DigestHeaders.QOP_AUTH, new byte[0]);
        String value = DigestHeaders.credentials(new DigestCredentials(username, REALM, nonce, uri, response,
                DigestAlgorithm.MD5, DigestAlgorithm.MD5.token(), "0a4f113b", "00000001", DigestHeaders.QOP_AUTH, null));
        return f.authorizer.authorize(request("INVITE", uri, host, source, List.of(value)));
    }

    private static AuthDecision login(EngineFixture f, InetAddress source, String username, String password) {
        return login(f, source, HOST, URI, username, password);
    }

    private static void assertWrong(AuthDecision d) {
        assertEquals(Reason.BAD_CREDENTIALS, assertInstanceOf(AuthDecision.Challenge.class, d).reason(), d.toString());
    }

    /** A second account whose trunk the attacker legitimately owns, with the credential mallory. */
    private static void provisionAttackersTenant(EngineFixture f) {
        Sid account = f.provisioning.accounts().ensure("AC" + "b".repeat(32), "token-attacker").sid();
        Trunk trunk = f.provisioning.trunks().create(account,
                TrunkInput.builder().friendlyName("mine").domainName(OTHER_HOST).build());
        CredentialList list = f.provisioning.credentialLists().create(account, "mine");
        f.provisioning.credentials().create(account, list.sid().value(), "mallory", "Mall0ry-Passw0rd");
        f.provisioning.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), list.sid().value());
    }

    /**
     * The attack of issue 15: wrong guesses for the victim, one valid login with a credential the
     * attacker owns, repeat. Returns how many guesses were answered as wrong before a refusal.
     */
    private static int guessesBeforeRefusal(EngineFixture f, Runnable ownLogin) {
        int failures = 0;
        for (int round = 0; round < 30; round++) {
            for (int guess = 0; guess < 9; guess++) {
                AuthDecision d = login(f, SOURCE, "alice", "guess-" + round + "-" + guess);
                if (d.equals(THROTTLED)) {
                    return failures;
                }
                assertWrong(d);
                failures++;
            }
            ownLogin.run();
        }
        return failures;
    }

    @Test
    void interleavedLogin_withAnotherUsersCredential_isRefusedWithinTenFailures() {
        try (EngineFixture f = new EngineFixture()) {
            int failures = guessesBeforeRefusal(f,
                    () -> assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "bob", BOB_PASSWORD)));
            assertTrue(failures <= 10, failures + " wrong guesses before a refusal");
            assertEquals(THROTTLED, login(f, SOURCE, "alice", ALICE_PASSWORD), "the right password is refused too");
        }
    }

    @Test
    void interleavedLogin_withAnotherTenantsTrunk_isRefusedWithinTenFailures() {
        try (EngineFixture f = new EngineFixture()) {
            provisionAttackersTenant(f);
            int failures = guessesBeforeRefusal(f, () -> assertInstanceOf(AuthDecision.Allowed.class,
                    login(f, SOURCE, OTHER_HOST, OTHER_URI, "mallory", "Mall0ry-Passw0rd")));
            assertTrue(failures <= 10, failures + " wrong guesses before a refusal");
            assertEquals(THROTTLED, login(f, SOURCE, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void success_forgetsItsOwnUsernameCount_soAUserWhoMistypedIsNotRefusedLater() {
        try (EngineFixture f = new EngineFixture()) {
            for (int i = 0; i < 4; i++) {
                assertWrong(login(f, SOURCE, "alice", "typo" + i));
            }
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
            for (int i = 0; i < 4; i++) {
                assertWrong(login(f, SOURCE, "alice", "typo-again" + i)); // 4 + 4 > 5: the first 4 were forgotten
            }
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void success_keepsTheSourceTotalAndOtherUsernamesCounts() {
        try (EngineFixture f = new EngineFixture()) {
            for (int i = 0; i < 4; i++) {
                assertWrong(login(f, SOURCE, "bob", "guess" + i));
                assertWrong(login(f, SOURCE, "alice", "typo" + i));
            }
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
            assertWrong(login(f, SOURCE, "bob", "guess4"));
            assertEquals(THROTTLED, login(f, SOURCE, "bob", BOB_PASSWORD), "bob's 5 failures here survived alice's login");
            assertWrong(login(f, SOURCE, "carol", "guess"));
            assertEquals(THROTTLED, f.authorizer.authorize(EngineFixture.invite(List.of())),
                    "10 failures from the address survived alice's login");

            Throttle throttle = f.authorizer.throttle();
            Instant until = f.clock.instant().plusSeconds(60);
            assertEquals(Set.of(new Throttle.Blocked(new Throttle.Key(SOURCE, null, null), 10, until),
                            new Throttle.Blocked(new Throttle.Key(SOURCE, f.trunk.sid(), "bob"), 5, until)),
                    Set.copyOf(throttle.blocked()));
        }
    }

    @Test
    void oneSource_cannotLockAUsernameOutForOtherSources() {
        try (EngineFixture f = new EngineFixture()) {
            for (int i = 0; i < 5; i++) {
                assertWrong(login(f, SOURCE, "alice", "guess" + i));
            }
            assertEquals(THROTTLED, login(f, SOURCE, "alice", ALICE_PASSWORD));
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "bob", BOB_PASSWORD), "other usernames still pass");
            assertInstanceOf(AuthDecision.Allowed.class, login(f, address("198.51.100.7"), "alice", ALICE_PASSWORD),
                    "alice from elsewhere still passes");
        }
    }

    /** 25 addresses, 2 guesses each: below every per-address budget, but 50 for alice in all. */
    @Test
    void distributedGuess_fromManySources_refusesThatUsernameFromEverySource() {
        try (EngineFixture f = new EngineFixture()) {
            for (int s = 1; s <= 25; s++) {
                InetAddress source = address("198.51.100." + s);
                assertWrong(login(f, source, "alice", "guess-a" + s));
                assertWrong(login(f, source, "alice", "guess-b" + s));
            }
            InetAddress fresh = address("203.0.113.9");
            assertEquals(THROTTLED, login(f, fresh, "alice", ALICE_PASSWORD));
            assertInstanceOf(AuthDecision.Allowed.class, login(f, fresh, "bob", BOB_PASSWORD), "other usernames still pass");
            assertEquals(List.of(new Throttle.Key(null, f.trunk.sid(), "alice")),
                    f.authorizer.throttle().blocked().stream().map(Throttle.Blocked::key).toList());

            f.clock.advanceMillis(60_000);
            assertInstanceOf(AuthDecision.Allowed.class, login(f, fresh, "alice", ALICE_PASSWORD), "after the cooldown");
        }
    }

    @Test
    void usernameBudget_isPerTarget_soTheSameUsernameAtAnotherTenantIsNotRefused() {
        try (EngineFixture f = new EngineFixture(b -> b.throttleUsernameLimits(0, 3))) {
            provisionAttackersTenant(f);
            for (int s = 1; s <= 3; s++) {
                assertWrong(login(f, address("198.51.100." + s), "mallory", "guess" + s));
            }
            assertEquals(THROTTLED, login(f, SOURCE, "mallory", "Mall0ry-Passw0rd"), "mallory at the victim's trunk");
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, OTHER_HOST, OTHER_URI, "mallory", "Mall0ry-Passw0rd"));
        }
    }

    @Test
    void memoryBound_overBudgetSourceStaysRefusedAfterMoreThanTheCapOfOtherSources() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(3, Duration.ofSeconds(60), Duration.ofSeconds(60))
                .throttleMaxSources(8))) {
            for (int i = 0; i < 3; i++) {
                assertWrong(login(f, SOURCE, "user" + i, "guess"));
            }
            assertEquals(THROTTLED, f.authorizer.authorize(EngineFixture.invite(List.of())));
            for (int s = 1; s <= 50; s++) {
                assertWrong(login(f, address("198.51.100." + s), "other" + s, "guess"));
                f.clock.advanceMillis(100);
            }
            assertEquals(THROTTLED, f.authorizer.authorize(EngineFixture.invite(List.of())), "still refused");
            assertTrue(f.authorizer.throttle().trackedSources() <= 8, f.authorizer.throttle().trackedSources() + " sources");
        }
    }

    @Test
    void memoryBound_aNewSourceIsStillCountedWhenTheTableIsFull() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(3, Duration.ofSeconds(60), Duration.ofSeconds(60))
                .throttleMaxSources(8))) {
            for (int s = 1; s <= 50; s++) {
                assertWrong(login(f, address("198.51.100." + s), "user" + s, "guess"));
            }
            InetAddress late = address("203.0.113.9");
            for (int i = 0; i < 3; i++) {
                assertWrong(login(f, late, "late" + i, "guess"));
            }
            assertEquals(THROTTLED, f.authorizer.authorize(request("INVITE", URI, HOST, late, List.of())));
        }
    }

    @Test
    void memoryBound_whenEveryKeyIsRefused_theBlockEndingSoonestMakesRoom() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(1, Duration.ofSeconds(60), Duration.ofSeconds(60))
                .throttleUsernameLimits(0, 0).throttleMaxSources(4))) {
            for (int s = 1; s <= 5; s++) {
                assertWrong(login(f, address("198.51.100." + s), "alice", "guess"));
                f.clock.advanceMillis(1_000);
            }
            Throttle throttle = f.authorizer.throttle();
            assertEquals(4, throttle.trackedSources());
            assertFalse(throttle.blocked().stream().anyMatch(b -> address("198.51.100.1").equals(b.key().source())),
                    "the first block, ending soonest, was released");
            for (int s = 2; s <= 5; s++) {
                assertEquals(THROTTLED, f.authorizer.authorize(request("INVITE", URI, HOST, address("198.51.100." + s), List.of())));
            }
        }
    }

    @Test
    void clear_releasesOneBlockedKey_andBlockedListsItWithItsFailures() {
        try (EngineFixture f = new EngineFixture()) {
            for (int i = 0; i < 5; i++) {
                assertWrong(login(f, SOURCE, "alice", "guess" + i));
            }
            Throttle throttle = f.authorizer.throttle();
            Throttle.Key key = new Throttle.Key(SOURCE, f.trunk.sid(), "alice");
            assertEquals(List.of(new Throttle.Blocked(key, 5, f.clock.instant().plusSeconds(60))), throttle.blocked());

            assertFalse(throttle.clear(new Throttle.Key(null, f.trunk.sid(), "bob")), "nothing counted for bob");
            assertTrue(throttle.clear(new Throttle.Key(SOURCE, null, null)), "the source counted 5, below its budget");
            assertEquals(THROTTLED, login(f, SOURCE, "alice", ALICE_PASSWORD), "clearing the source leaves its username keys");
            assertTrue(throttle.clear(key));
            assertEquals(List.of(), throttle.blocked());
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void clearAll_releasesEveryKey() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(2, Duration.ofSeconds(60), Duration.ofSeconds(60)))) {
            assertWrong(login(f, SOURCE, "alice", "guess1"));
            assertWrong(login(f, SOURCE, "bob", "guess2"));
            assertEquals(THROTTLED, login(f, SOURCE, "alice", ALICE_PASSWORD));
            assertEquals(3, f.authorizer.throttle().blocked().size(), "the source, and each username (budget 1) from it");
            f.authorizer.throttle().clearAll();
            assertEquals(0, f.authorizer.throttle().trackedSources());
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
        }
    }

    @Test
    void key_rejectsShapesThatNameNoKind() {
        Sid target = Sid.of(SidKind.TRUNK, "TK" + "0".repeat(32));
        assertThrows(IllegalArgumentException.class, () -> new Throttle.Key(SOURCE, target, null));
        assertThrows(IllegalArgumentException.class, () -> new Throttle.Key(SOURCE, null, "alice"));
        assertThrows(IllegalArgumentException.class, () -> new Throttle.Key(null, null, null));
    }

    @Test
    void builder_rejectsNegativeUsernameLimits() {
        assertThrows(IllegalArgumentException.class, () -> InviteAuthorizer.builder().throttleUsernameLimits(-1, 50));
        assertThrows(IllegalArgumentException.class, () -> InviteAuthorizer.builder().throttleUsernameLimits(5, -1));
    }

    @Test
    void limitZero_turnsTheWholeThrottleOff() {
        try (EngineFixture f = new EngineFixture(b -> b.throttle(0, Duration.ofSeconds(60), Duration.ofSeconds(60)))) {
            for (int i = 0; i < 100; i++) {
                assertWrong(login(f, SOURCE, "alice", "guess" + i));
            }
            assertInstanceOf(AuthDecision.Allowed.class, login(f, SOURCE, "alice", ALICE_PASSWORD));
            assertEquals(0, f.authorizer.throttle().trackedSources() + f.authorizer.throttle().trackedUsernames()
                    + f.authorizer.throttle().trackedSourceUsernames());
        }
    }

    @Test
    void concurrentFailuresFromManySources_stayWithinTheBound_andKeepTheBlockedSourceRefused() throws Exception {
        int maxKeys = 64;
        int threads = 4;
        Throttle throttle = new Throttle(Clock.systemUTC(), 60_000, 60_000, 3, 0, 0, maxKeys);
        Sid target = Sid.of(SidKind.TRUNK, "TK" + "0".repeat(32));
        for (int i = 0; i < 3; i++) {
            throttle.failure(SOURCE, target, "alice", 0);
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    byte[] ip = {10, (byte) id, (byte) (i >> 8), (byte) i};
                    try {
                        throttle.failure(InetAddress.getByAddress(ip), target, "user", 1 + i);
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
        assertTrue(throttle.trackedSources() <= maxKeys + threads, throttle.trackedSources() + " sources");
        assertTrue(throttle.blocked(SOURCE, 5_001));
    }

    /** Usernames longer than any provisioned one share a key by their first 64 characters. */
    @Test
    void longUsernames_areCountedUnderOneShortenedKey() {
        Throttle throttle = new Throttle(Clock.systemUTC(), 60_000, 60_000, 100, 2, 100, 1_000);
        Sid target = Sid.of(SidKind.TRUNK, "TK" + "0".repeat(32));
        String prefix = "x".repeat(Throttle.MAX_USERNAME_KEY_LENGTH);
        throttle.failure(SOURCE, target, prefix + "-first", 0);
        throttle.failure(SOURCE, target, prefix + "-second", 0);
        assertTrue(throttle.blocked(SOURCE, target, prefix + "-third", 1));
        assertEquals(1, throttle.trackedSourceUsernames());
    }
}
