package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.lookup.Destinations;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.testing.Await;

/**
 * Two stores (two nodes) on one PostgreSQL: a committed change on node A reaches node B's
 * subscribers through LISTEN/NOTIFY; node A's own subscribers see it exactly once.
 */
class PgTwoNodeStoreIT {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Ha1Set HA1 = new Ha1Set("sipauth", "0".repeat(32), "1".repeat(64), "2".repeat(64));

    private JdbcStore nodeA;
    private JdbcStore nodeB;
    private final List<ChangeEvent> seenByA = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ChangeEvent> seenByB = new LinkedBlockingQueue<>();
    private Sid account;

    @BeforeEach
    void open() {
        PostgresFixture.Database db = PostgresFixture.newDatabase();
        nodeA = db.storeBuilder().nodeId("node-a").build();
        nodeB = db.storeBuilder().nodeId("node-b").build();
        account = Sid.random(SidKind.ACCOUNT);
        nodeA.insertAccount(new Account(account, "acct", "a".repeat(64), Account.Status.ACTIVE, T0, T0));
        nodeA.subscribe(seenByA::add);
        nodeB.subscribe(seenByB::add);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    private Credential credential(CredentialList list, String username) {
        return new Credential(Sid.random(SidKind.CREDENTIAL), account, list.sid(), username, HA1, T0, T0);
    }

    @Test
    void deleteOnA_reachesB_withinOneSecond_andAOnlyOnce() throws Exception {
        CredentialList list = new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), account, "staff", T0, T0);
        nodeA.insertCredentialList(list);
        awaitAtB(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_CHANGED, account, list.sid(), null));
        int rounds = 200;
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Credential c = credential(list, "user" + i);
            nodeA.insertCredential(c);
            assertEquals(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_CHANGED, account, c.sid(), list.sid()),
                    seenByB.poll(1, TimeUnit.SECONDS));
            seenByA.clear();
            long start = System.nanoTime();
            nodeA.deleteCredential(account, list.sid(), c.sid());
            ChangeEvent atB = seenByB.poll(1, TimeUnit.SECONDS);
            micros[i] = (System.nanoTime() - start) / 1_000;
            assertEquals(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, account, c.sid(), list.sid()), atB,
                    "node B must learn of the delete within 1 s");
            assertEquals(List.of(atB), seenByA, "node A publishes its own change once, synchronously");
            assertTrue(nodeB.credentialsOf(list.sid()).isEmpty(), "B reads the committed state");
        }
        Arrays.sort(micros);
        System.out.printf("cross-node propagation (delete on A -> event on B), %d samples: median %d us,"
                        + " p99 %d us, max %d us%n", rounds, micros[rounds / 2], micros[rounds * 99 / 100],
                micros[rounds - 1]);
        assertTrue(micros[rounds - 1] < 1_000_000);
    }

    @Test
    void aHugeCascade_reachesOtherNodesAsOneReset() throws Exception {
        CredentialList list = new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), account, "big", T0, T0);
        nodeA.insertCredentialList(list);
        for (int i = 0; i <= JdbcStore.MAX_NOTIFICATIONS_PER_TRANSACTION; i++) {
            nodeA.insertCredential(credential(list, "user" + i));
        }
        drainB();
        seenByA.clear();
        nodeA.deleteCredentialList(account, list.sid());
        assertEquals(JdbcStore.MAX_NOTIFICATIONS_PER_TRANSACTION + 2, seenByA.size(), "locally one event per row");
        ChangeEvent atB = seenByB.poll(5, TimeUnit.SECONDS);
        assertNotNull(atB);
        assertEquals(ChangeEvent.Type.RESET, atB.type());
        assertNull(seenByB.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aTrunksOfferChangedOnA_isWhatTheEngineOnBOffersNext() {
        Trunk trunk = new Trunk(Sid.random(SidKind.TRUNK), account, "pbx", "pbx.pg.example.test", null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, T0, T0);
        CredentialList list = new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), account, "staff", T0, T0);
        nodeA.insertTrunk(trunk);
        nodeA.insertCredentialList(list);
        nodeA.insertMapping(MappingKind.TRUNK, account, trunk.sid(), list.sid(), T0);
        AuthRequest invite = AuthRequest.builder().method("INVITE").requestUri("sip:15550001@pbx.pg.example.test")
                .source(InetAddress.getLoopbackAddress()).build();
        try (InviteAuthorizer engineB = InviteAuthorizer.builder().store(nodeB).realm("sipauth").build()) {
            assertEquals(List.of("MD5"), offered(engineB, invite), "the server-wide default");
            nodeA.updateTrunk(withOffer(trunk, List.of("SHA-256", "MD5")));
            Await.until(Duration.ofSeconds(5), () -> offered(engineB, invite).equals(List.of("SHA-256", "MD5")),
                    () -> "node B's engine offers " + offered(engineB, invite));
            nodeA.updateTrunk(withOffer(trunk, null));
            Await.until(Duration.ofSeconds(5), () -> offered(engineB, invite).equals(List.of("MD5")),
                    () -> "node B's engine offers " + offered(engineB, invite));
        }
    }

    @Test
    void originationUrlChangesOnA_reachTheDestinationsOfB() throws Exception {
        Trunk trunk = new Trunk(Sid.random(SidKind.TRUNK), account, "pbx", "ou.pg.example.test", null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, T0, T0);
        nodeA.insertTrunk(trunk);
        OriginationUrl first = new OriginationUrl(Sid.random(SidKind.ORIGINATION_URL), account, trunk.sid(), "first",
                "sip:first.example.test", 10, 10, true, T0, T0);
        try (Destinations atB = new Destinations(nodeB)) {
            assertEquals(List.of(), atB.of(trunk.sid()), "cached empty before the insert");
            assertTrue(nodeA.insertOriginationUrl(first, 100));
            Await.until(Duration.ofSeconds(5), () -> atB.of(trunk.sid()).equals(List.of(first)),
                    () -> "node B's destinations: " + atB.of(trunk.sid()));
            OriginationUrl disabled = new OriginationUrl(first.sid(), account, trunk.sid(), "first",
                    "sip:first.example.test", 10, 10, false, T0, T0.plusSeconds(1));
            nodeA.updateOriginationUrl(disabled);
            Await.until(Duration.ofSeconds(5), () -> atB.of(trunk.sid()).isEmpty(),
                    () -> "node B's destinations after disabling: " + atB.of(trunk.sid()));
            nodeA.updateOriginationUrl(first);
            Await.until(Duration.ofSeconds(5), () -> atB.of(trunk.sid()).equals(List.of(first)),
                    () -> "node B's destinations after enabling: " + atB.of(trunk.sid()));
            nodeA.deleteTrunk(account, trunk.sid());
            Await.until(Duration.ofSeconds(5), () -> atB.of(trunk.sid()).isEmpty(),
                    () -> "node B's destinations after the trunk's delete: " + atB.of(trunk.sid()));
        }
        awaitAtB(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, account, first.sid(), trunk.sid()));
    }

    void anIpAccessControlListChangedOnA_decidesOnB_withinOneSecond() {
        Trunk trunk = new Trunk(Sid.random(SidKind.TRUNK), account, "pbx", "acl.pg.example.test", null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, T0, T0);
        IpAccessControlList acl = new IpAccessControlList(Sid.random(SidKind.IP_ACCESS_CONTROL_LIST), account, "office",
                T0, T0);
        nodeA.insertTrunk(trunk);
        nodeA.insertIpAccessControlList(acl);
        nodeA.insertIpAddress(new IpAddress(Sid.random(SidKind.IP_ADDRESS), account, acl.sid(), "lan", "10.0.0.0", 8, T0,
                T0));
        nodeA.insertIpAccessControlListMapping(MappingKind.TRUNK, account, trunk.sid(), acl.sid(), T0);
        AuthRequest invite = AuthRequest.builder().method("INVITE").requestUri("sip:15550001@acl.pg.example.test")
                .source(InetAddress.getLoopbackAddress()).build();
        // the throttle off: polling from outside would otherwise count as failures and refuse the source
        try (InviteAuthorizer engineB = InviteAuthorizer.builder().store(nodeB).realm("sipauth")
                .throttle(0, Duration.ofMinutes(1), Duration.ofMinutes(1)).build()) {
            Await.until(Duration.ofSeconds(5), () -> engineB.authorize(invite) instanceof AuthDecision.Denied d
                    && d.reason() == AuthDecision.Reason.SOURCE_NOT_ALLOWED, () -> "B decides " + engineB.authorize(invite));
            IpAddress loopback = new IpAddress(Sid.random(SidKind.IP_ADDRESS), account, acl.sid(), "loopback", "127.0.0.0",
                    8, T0, T0);
            nodeA.insertIpAddress(loopback);
            Await.until(Duration.ofSeconds(1), () -> engineB.authorize(invite) instanceof AuthDecision.Allowed,
                    () -> "B decides " + engineB.authorize(invite));
            nodeA.deleteIpAddress(account, acl.sid(), loopback.sid());
            Await.until(Duration.ofSeconds(1), () -> engineB.authorize(invite) instanceof AuthDecision.Denied,
                    () -> "B decides " + engineB.authorize(invite));
        }
    }

    private static Trunk withOffer(Trunk t, List<String> algorithms) {
        return new Trunk(t.sid(), t.accountSid(), t.friendlyName(), t.domainName(), null, null, t.transferMode(), false,
                false, t.transferCallerId(), false, algorithms, t.dateCreated(), T0);
    }

    private static List<String> offered(InviteAuthorizer engine, AuthRequest request) {
        AuthDecision.Challenge c = (AuthDecision.Challenge) engine.authorize(request);
        return c.challenges().stream().map(DigestChallenge::algorithm).toList();
    }

    /** Waits for the setup's events (the account insert may arrive just after subscribing) up to this one. */
    private void awaitAtB(ChangeEvent expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (expected.equals(seenByB.poll(100, TimeUnit.MILLISECONDS))) {
                return;
            }
        }
        throw new AssertionError("node B never saw " + expected);
    }

    private void drainB() throws InterruptedException {
        while (seenByB.poll(300, TimeUnit.MILLISECONDS) != null) {
            // wait until B has caught up with every insert
        }
    }
}
