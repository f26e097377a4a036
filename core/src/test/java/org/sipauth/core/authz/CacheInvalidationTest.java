package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.HOST;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.URI;
import static org.sipauth.core.authz.EngineFixture.invite;
import static org.sipauth.core.authz.EngineFixture.request;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.Store;
import org.sipauth.core.testing.Await;

class CacheInvalidationTest {

    private static Reason reason(AuthDecision d) {
        return assertInstanceOf(AuthDecision.Challenge.class, d).reason();
    }

    @Test
    void deletedCredential_failsOnTheNextCall() {
        try (EngineFixture f = new EngineFixture()) {
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD));
            Credential alice = f.store.credentialsOf(f.list.sid()).stream().filter(c -> c.username().equals("alice")).findFirst().orElseThrow();
            f.provisioning.credentials().delete(f.account, f.list.sid().value(), alice.sid().value());
            assertEquals(Reason.BAD_CREDENTIALS, reason(f.login(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD)));
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_256, "bob", EngineFixture.BOB_PASSWORD));
        }
    }

    @Test
    void changedPassword_oldFails_newWorks() {
        try (EngineFixture f = new EngineFixture()) {
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
            Credential alice = f.store.credentialsOf(f.list.sid()).stream().filter(c -> c.username().equals("alice")).findFirst().orElseThrow();
            f.provisioning.credentials().update(f.account, f.list.sid().value(), alice.sid().value(), "N3w-Passw0rd-x");
            assertEquals(Reason.BAD_CREDENTIALS, reason(f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD)));
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", "N3w-Passw0rd-x"));
        }
    }

    @Test
    void mappingsTrunksAndDomainNames_followTheStore() {
        try (EngineFixture f = new EngineFixture()) {
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
            f.provisioning.mappings().delete(f.account, MappingKind.TRUNK, f.trunk.sid().value(), f.list.sid().value());
            assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), f.authorizer.authorize(invite(List.of())));
            f.provisioning.mappings().create(f.account, MappingKind.TRUNK, f.trunk.sid().value(), f.list.sid().value());
            assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));

            f.provisioning.trunks().update(f.account, f.trunk.sid().value(), TrunkInput.builder().domainName("moved.example.com").build());
            assertEquals(Reason.UNKNOWN_TARGET, ((AuthDecision.Denied) f.authorizer.authorize(invite(List.of()))).reason());
            assertInstanceOf(AuthDecision.Challenge.class,
                    f.authorizer.authorize(request("INVITE", URI, "moved.example.com", SOURCE, List.of())));

            var second = f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName(HOST).build());
            assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), f.authorizer.authorize(invite(List.of())));
            f.provisioning.trunks().delete(f.account, second.sid().value());
            assertEquals(Reason.UNKNOWN_TARGET, ((AuthDecision.Denied) f.authorizer.authorize(invite(List.of()))).reason());

            f.provisioning.credentialLists().delete(f.account, f.list.sid().value());
            assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST),
                    f.authorizer.authorize(request("INVITE", URI, "moved.example.com", SOURCE, List.of())));
        }
    }

    /** A view of the fixture's store whose change events go to {@code listeners} only (none by default). */
    private static Store eventLosingStore(EngineFixture f, List<Consumer<ChangeEvent>> listeners) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
            if (m.getName().equals("subscribe")) {
                @SuppressWarnings("unchecked")
                Consumer<ChangeEvent> l = (Consumer<ChangeEvent>) args[0];
                listeners.add(l);
                return (AutoCloseable) () -> listeners.remove(l);
            }
            try {
                return m.invoke(f.store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /**
     * An authorizer over a view of the fixture's store (events delivered) that counts
     * {@code credentialsOf} calls and holds the first one until {@code release} opens, signalling
     * {@code entered} when it starts.
     */
    private static final class HeldFirstLoad {
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final InviteAuthorizer node;

        HeldFirstLoad(EngineFixture f) {
            Store held = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
                if (m.getName().equals("credentialsOf") && reads.incrementAndGet() == 1) {
                    entered.countDown();
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                }
                try {
                    return m.invoke(f.store, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
            node = InviteAuthorizer.builder().store(held).realm(EngineFixture.REALM).clock(f.clock)
                    .replayProtection(false).build();
        }

        /** Alice's correct answer to a fresh MD5 challenge of this authorizer (challenging loads nothing). */
        AuthRequest aliceAnswer() {
            String nonce = EngineFixture.nonceOf(node.authorize(invite(List.of())), DigestAlgorithm.MD5);
            return invite(List.of(EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c")));
        }
    }

    /** Threads that miss the same list while it loads wait for that load: the store is read once. */
    @Test
    void coldMissesOnTheSameList_readTheStoreOnce() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            HeldFirstLoad held = new HeldFirstLoad(f);
            try (InviteAuthorizer node = held.node) {
                AuthRequest alice = held.aliceAnswer();
                ExecutorService pool = Executors.newFixedThreadPool(6);
                try {
                    List<Future<AuthDecision>> calls = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        calls.add(pool.submit(() -> node.authorize(alice)));
                    }
                    assertTrue(held.entered.await(10, TimeUnit.SECONDS));
                    // Release the held read only when the other five are committed to waiting for it.
                    Await.until(Duration.ofSeconds(10), () -> node.lookup().joinersOfRunningLoad(f.list.sid()) == 5,
                            () -> "five calls joining the load in progress; joined: "
                                    + node.lookup().joinersOfRunningLoad(f.list.sid()) + ", store reads: " + held.reads.get());
                    held.release.countDown();
                    for (Future<AuthDecision> call : calls) {
                        assertInstanceOf(AuthDecision.Allowed.class, call.get(10, TimeUnit.SECONDS));
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(1, held.reads.get(), "one store read for six concurrent cold misses");
            }
        }
    }

    /**
     * A load that snapshotted its versions before a delete is not joined by a call that starts after
     * the delete returned: that call reads the store itself and sees the delete.
     */
    @Test
    void loadStartedBeforeADelete_isNotJoinedByALaterCall() throws Exception {
        try (EngineFixture f = new EngineFixture()) {
            HeldFirstLoad held = new HeldFirstLoad(f);
            try (InviteAuthorizer node = held.node) {
                AuthRequest alice = held.aliceAnswer();
                ExecutorService pool = Executors.newSingleThreadExecutor();
                try {
                    Future<AuthDecision> early = pool.submit(() -> node.authorize(alice));
                    assertTrue(held.entered.await(10, TimeUnit.SECONDS));
                    Credential credential = f.store.credentialsOf(f.list.sid()).stream()
                            .filter(c -> c.username().equals("alice")).findFirst().orElseThrow();
                    f.provisioning.credentials().delete(f.account, f.list.sid().value(), credential.sid().value());
                    assertEquals(Reason.BAD_CREDENTIALS, reason(node.authorize(alice)), "the call after the delete");
                    held.release.countDown();
                    early.get(10, TimeUnit.SECONDS); // either outcome: it started before the delete
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(2, held.reads.get());
                assertEquals(Reason.BAD_CREDENTIALS, reason(node.authorize(alice)), "the early load was not installed");
            }
        }
    }

    @Test
    void missedInvalidation_healsAfterTheBackstopTtl_onTheInjectedClock() {
        try (EngineFixture f = new EngineFixture()) {
            Store spy = eventLosingStore(f, new CopyOnWriteArrayList<>());
            try (InviteAuthorizer node = InviteAuthorizer.builder().store(spy).realm(EngineFixture.REALM).clock(f.clock)
                    .cacheTtl(java.time.Duration.ofSeconds(60)).build()) {
                String nonce = EngineFixture.nonceOf(node.authorize(invite(List.of())), DigestAlgorithm.MD5);
                assertInstanceOf(AuthDecision.Allowed.class, node.authorize(invite(List.of(
                        EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c")))));
                Credential alice = f.store.credentialsOf(f.list.sid()).stream().filter(c -> c.username().equals("alice")).findFirst().orElseThrow();
                f.provisioning.credentials().delete(f.account, f.list.sid().value(), alice.sid().value());
                f.clock.advanceMillis(59_000);
                assertInstanceOf(AuthDecision.Allowed.class, node.authorize(invite(List.of(
                        EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000002", "c")))),
                        "event missed, TTL not reached: the cached table still has alice");
                f.clock.advanceMillis(1_000);
                assertEquals(Reason.BAD_CREDENTIALS, reason(node.authorize(invite(List.of(
                        EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000003", "c"))))),
                        "after the backstop TTL the table is reloaded from the store");
            }
        }
    }

    @Test
    void resetEvent_dropsEverything_andReloads() {
        try (EngineFixture f = new EngineFixture()) {
            List<Consumer<ChangeEvent>> listeners = new CopyOnWriteArrayList<>();
            Store spy = eventLosingStore(f, listeners);
            // An authorizer whose store loses events (as a JDBC node that lost its LISTEN connection).
            try (InviteAuthorizer node = InviteAuthorizer.builder().store(spy).realm(EngineFixture.REALM).clock(f.clock).build()) {
                String nonce = EngineFixture.nonceOf(node.authorize(invite(List.of())), DigestAlgorithm.MD5);
                assertInstanceOf(AuthDecision.Allowed.class, node.authorize(invite(List.of(
                        EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c")))));
                f.provisioning.mappings().delete(f.account, MappingKind.TRUNK, f.trunk.sid().value(), f.list.sid().value());
                assertInstanceOf(AuthDecision.Challenge.class, node.authorize(invite(List.of())), "missed event: still cached");
                listeners.forEach(l -> l.accept(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null)));
                assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), node.authorize(invite(List.of())));
            }
        }
    }

    /**
     * While other threads authorize continuously (and reload caches), a deleted credential must fail
     * in every call that starts after the delete returned.
     */
    @Test
    void deleteUnderConcurrentAuthorize_isEffectiveForEveryLaterCall() throws Exception {
        try (EngineFixture f = new EngineFixture(b -> b.replayProtection(false).throttle(0, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)))) {
            String nonce = EngineFixture.nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            AuthRequest alice = invite(List.of(EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c")));
            assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(alice));
            Credential aliceCredential = f.store.credentialsOf(f.list.sid()).stream().filter(c -> c.username().equals("alice")).findFirst().orElseThrow();

            int threads = 4;
            AtomicBoolean deleted = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger violations = new AtomicInteger();
            AtomicInteger callsAfterDelete = new AtomicInteger();
            CountDownLatch warm = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        boolean after = deleted.get();
                        AuthDecision d = f.authorizer.authorize(alice);
                        if (after) {
                            callsAfterDelete.incrementAndGet();
                            if (d instanceof AuthDecision.Allowed) {
                                violations.incrementAndGet();
                            }
                        }
                        if (++n == 200) {
                            warm.countDown();
                        }
                    }
                }));
            }
            // Churn the list while they run, so that reloads race with invalidations.
            for (int i = 0; i < 50; i++) {
                f.provisioning.credentials().create(f.account, f.list.sid().value(), "churn" + i, "Churn-Passw0rd-" + i);
            }
            warm.await(30, TimeUnit.SECONDS);
            f.provisioning.credentials().delete(f.account, f.list.sid().value(), aliceCredential.sid().value());
            deleted.set(true);
            assertEquals(Reason.BAD_CREDENTIALS, reason(f.authorizer.authorize(alice)));
            while (callsAfterDelete.get() < 2_000) {
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(0, violations.get());
        }
    }

    /** A password change while other threads keep reloading the list: the next call sees the new password. */
    @Test
    void passwordChangesRacingWithReloads_neverLeaveAStaleTable() throws Exception {
        try (EngineFixture f = new EngineFixture(b -> b.replayProtection(false).throttle(0, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)))) {
            Credential bob = f.store.credentialsOf(f.list.sid()).stream().filter(c -> c.username().equals("bob")).findFirst().orElseThrow();
            String nonce = EngineFixture.nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                futures.add(pool.submit(() -> {
                    while (!stop.get()) {
                        f.authorizer.authorize(invite(List.of(EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c"))));
                        f.authorizer.lookup().invalidate(f.list.sid()); // force constant reloading
                    }
                }));
            }
            try {
                for (int i = 0; i < 100; i++) {
                    String password = "Bob-Passw0rd-" + i;
                    f.provisioning.credentials().update(f.account, f.list.sid().value(), bob.sid().value(), password);
                    AuthRequest r = invite(List.of(EngineFixture.answer(DigestAlgorithm.MD5, "bob", password, nonce, "00000001", "c")));
                    assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(r), "iteration " + i);
                }
            } finally {
                stop.set(true);
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
                pool.shutdown();
            }
        }
    }
}
