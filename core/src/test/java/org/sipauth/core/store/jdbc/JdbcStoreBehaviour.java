package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;

/**
 * What is specific to the SQL store, run against H2 and PostgreSQL: constraint mapping,
 * transactional cascades, races decided by the database, and the published events.
 * (The general Store contract lives in the shared contract suite.)
 */
abstract class JdbcStoreBehaviour {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123Z");
    static final String HEX32 = "0123456789abcdef0123456789abcdef";
    static final String HEX64 = HEX32 + HEX32;

    JdbcStore store;
    final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    Sid account;

    abstract JdbcStore open();

    @BeforeEach
    void setUp() {
        store = open();
        store.subscribe(events::add);
        account = newAccount();
        events.clear();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void isReachable_whileOpen_notOnceClosed() {
        assertTrue(store.isReachable());
        store.close();
        assertFalse(store.isReachable());
    }

    Sid newAccount() {
        Sid sid = Sid.random(SidKind.ACCOUNT);
        store.insertAccount(new Account(sid, "acct", HEX64, Account.Status.ACTIVE, T0, T0));
        return sid;
    }

    /** A credential list of {@link #account} (created at T0), inserted. */
    CredentialList insertedList(String name) {
        CredentialList l = list(account, name, T0);
        store.insertCredentialList(l);
        return l;
    }

    Credential insertedCredential(CredentialList list, String username, Instant at) {
        Credential c = credential(list, username, at);
        store.insertCredential(c);
        return c;
    }

    /** A trunk of {@link #account} (created at T0), inserted. */
    Trunk insertedTrunk(String domain) {
        Trunk t = trunk(account, domain, T0);
        store.insertTrunk(t);
        return t;
    }

    /** A SIP domain of {@link #account} (created at T0), inserted. */
    SipDomain insertedDomain(String domain) {
        SipDomain d = domain(account, domain, T0);
        store.insertSipDomain(d);
        return d;
    }

    static Trunk trunk(Sid account, String domain, Instant at) {
        return new Trunk(Sid.random(SidKind.TRUNK), account, "trunk", domain, null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, at, at);
    }

    static SipDomain domain(Sid account, String domain, Instant at) {
        return new SipDomain(Sid.random(SidKind.SIP_DOMAIN), account, "domain", domain, "https://example.test/voice",
                "POST", null, "POST", null, "POST", true, false, true, null, null, null, at, at);
    }

    static CredentialList list(Sid account, String name, Instant at) {
        return new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), account, name, at, at);
    }

    static Credential credential(CredentialList list, String username, Instant at) {
        return new Credential(Sid.random(SidKind.CREDENTIAL), list.accountSid(), list.sid(), username,
                new Ha1Set("sipauth", HEX32, HEX64, HEX64), at, at);
    }

    @Test
    void everyResource_roundTripsExactly() {
        Trunk t = trunk(account, "pbx.example.test", T0);
        SipDomain d = domain(account, "office.sip.example.test", T0.plusNanos(1));
        CredentialList l = list(account, "staff", T0);
        Credential c = credential(l, "alice", T0);
        store.insertTrunk(t);
        store.insertSipDomain(d);
        store.insertCredentialList(l);
        store.insertCredential(c);
        var m = store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), T0);

        assertEquals(t, store.findTrunk(account, t.sid()).orElseThrow());
        assertEquals(d, store.findSipDomain(account, d.sid()).orElseThrow());
        assertEquals(l, store.findCredentialList(account, l.sid()).orElseThrow());
        assertEquals(c, store.findCredential(account, l.sid(), c.sid()).orElseThrow());
        assertEquals(m, store.findMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid()).orElseThrow());
        assertEquals(List.of(c), store.credentialsOf(l.sid()));
        assertEquals(List.of(new AuthTarget(t.sid(), account, t.domainName(), List.of(), List.of(), null),
                        new AuthTarget(d.sid(), account, d.domainName(), List.of(l.sid()), List.of(), null)),
                store.authTargets());
    }

    @Test
    void domainName_isUniqueAcrossTrunksAndDomains() {
        store.insertTrunk(trunk(account, "shared.example.test", T0));
        var e = assertThrows(DuplicateKeyException.class,
                () -> store.insertSipDomain(domain(newAccount(), "shared.example.test", T0)));
        assertEquals(DuplicateKeyException.Key.DOMAIN_NAME, e.key());
        assertEquals(1, store.authTargets().size(), "the failed insert left nothing behind");
    }

    @Test
    void updateToTakenDomainName_isRejected_andChangesNothing() {
        Trunk a = trunk(account, "a.example.test", T0);
        Trunk b = trunk(account, "b.example.test", T0);
        store.insertTrunk(a);
        store.insertTrunk(b);
        Trunk renamed = new Trunk(b.sid(), account, "renamed", "a.example.test", null, null,
                Trunk.TRANSFER_MODE_DEFAULT, true, true, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, T0, T0.plusSeconds(1));
        var e = assertThrows(DuplicateKeyException.class, () -> store.updateTrunk(renamed));
        assertEquals(DuplicateKeyException.Key.DOMAIN_NAME, e.key());
        assertEquals(b, store.findTrunk(account, b.sid()).orElseThrow());
    }

    @Test
    void duplicateKeys_areReportedByRule() {
        CredentialList l = insertedList("staff");
        assertEquals(DuplicateKeyException.Key.FRIENDLY_NAME, assertThrows(DuplicateKeyException.class,
                () -> store.insertCredentialList(list(account, "staff", T0))).key());
        store.insertCredentialList(list(newAccount(), "staff", T0)); // other account: allowed
        assertEquals(DuplicateKeyException.Key.SID, assertThrows(DuplicateKeyException.class,
                () -> store.insertCredentialList(new CredentialList(l.sid(), account, "other", T0, T0))).key());
        store.insertCredential(credential(l, "alice", T0));
        assertEquals(DuplicateKeyException.Key.USERNAME, assertThrows(DuplicateKeyException.class,
                () -> store.insertCredential(credential(l, "alice", T0))).key());
        Trunk t = trunk(account, null, T0);
        store.insertTrunk(t);
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), T0);
        assertEquals(DuplicateKeyException.Key.MAPPING, assertThrows(DuplicateKeyException.class,
                () -> store.insertMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), T0)).key());
    }

    @Test
    void writesAcrossAccounts_areMissingReferences() {
        CredentialList l = insertedList("staff");
        Sid other = newAccount();
        Credential foreign = new Credential(Sid.random(SidKind.CREDENTIAL), other, l.sid(), "mallory",
                new Ha1Set("sipauth", HEX32, HEX64, HEX64), T0, T0);
        assertThrows(MissingReferenceException.class, () -> store.insertCredential(foreign));
        Trunk theirs = trunk(other, "theirs.example.test", T0);
        store.insertTrunk(theirs);
        assertThrows(MissingReferenceException.class,
                () -> store.insertMapping(MappingKind.TRUNK, account, theirs.sid(), l.sid(), T0));
        assertThrows(MissingReferenceException.class,
                () -> store.insertMapping(MappingKind.TRUNK, other, theirs.sid(), l.sid(), T0));
        assertTrue(store.findCredentialList(other, l.sid()).isEmpty());
        assertFalse(store.deleteCredentialList(other, l.sid()));
    }

    @Test
    void deletingAMappedList_removesCredentialsAndMappings_inOneTransaction_dependantsFirst() {
        CredentialList l = insertedList("staff");
        Credential a = insertedCredential(l, "alice", T0);
        Credential b = insertedCredential(l, "bob", T0.plusMillis(1));
        Trunk t = insertedTrunk("pbx.example.test");
        SipDomain d = insertedDomain("office.example.test");
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), T0);
        store.insertMapping(MappingKind.DOMAIN_REGISTRATIONS, account, d.sid(), l.sid(), T0.plusMillis(1));
        events.clear();

        assertTrue(store.deleteCredentialList(account, l.sid()));

        assertEquals(List.of(
                new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, account, a.sid(), l.sid()),
                new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, account, b.sid(), l.sid()),
                new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, account, l.sid(), t.sid()),
                new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_DELETED, account, l.sid(), null)), events);
        assertEquals(List.of(), store.credentialsOf(l.sid()));
        for (AuthTarget target : store.authTargets()) {
            assertEquals(List.of(), target.callCredentialListSids());
            assertEquals(List.of(), target.registrationCredentialListSids());
        }
        assertFalse(store.deleteCredentialList(account, l.sid()));
    }

    @Test
    void deletingATarget_removesItsMappings_andFreesItsDomainName() {
        CredentialList l = insertedList("staff");
        SipDomain d = insertedDomain("office.example.test");
        store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), T0);
        events.clear();
        assertTrue(store.deleteSipDomain(account, d.sid()));
        assertEquals(List.of(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(ChangeEvent.Type.SIP_DOMAIN_DELETED, account, d.sid(), null)), events);
        assertTrue(store.authTarget(d.sid()).isEmpty());
        store.insertTrunk(trunk(account, "office.example.test", T0)); // the name is free again
    }

    @Test
    void pages_followTheStableOrder_forwardAndBackward() {
        List<CredentialList> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // two per instant, so ties are broken by SID
            CredentialList l = list(account, "list" + i, T0.plusMillis(i / 2));
            store.insertCredentialList(l);
            all.add(l);
        }
        all.sort((x, y) -> PageQuery.Key.of(x.dateCreated(), x.sid()).compareTo(PageQuery.Key.of(y.dateCreated(), y.sid())));
        assertEquals(all.subList(0, 3), store.listCredentialLists(account, PageQuery.first(3)));
        assertEquals(all.subList(3, 6), store.listCredentialLists(account, PageQuery.offset(3, 3)));
        CredentialList third = all.get(2);
        assertEquals(all.subList(3, 6), store.listCredentialLists(account,
                PageQuery.after(PageQuery.Key.of(third.dateCreated(), third.sid()), 3)));
        CredentialList sixth = all.get(5);
        assertEquals(all.subList(2, 5), store.listCredentialLists(account,
                PageQuery.before(PageQuery.Key.of(sixth.dateCreated(), sixth.sid()), 3)));
        assertEquals(List.of(), store.listCredentialLists(newAccount(), PageQuery.first(3)));
    }

    @Test
    void racingInsertsOfOneUsername_exactlyOneWins() throws Exception {
        CredentialList l = insertedList("staff");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.insertCredential(credential(l, "alice", T0));
                        return true;
                    } catch (DuplicateKeyException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> r : results) {
                wins += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, wins);
            assertEquals(1, store.credentialsOf(l.sid()).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void credentialsInsertedWhileTheirListIsDeleted_areNeverOrphaned() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                CredentialList l = list(account, "race" + round, T0);
                store.insertCredentialList(l);
                List<Sid> acknowledged = new CopyOnWriteArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                Future<?> inserter = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        Credential c = credential(l, "user" + i, T0);
                        try {
                            store.insertCredential(c);
                            acknowledged.add(c.sid());
                        } catch (MissingReferenceException gone) {
                            break;
                        }
                    }
                    return null;
                });
                Future<Boolean> deleter = pool.submit(() -> {
                    start.await();
                    return store.deleteCredentialList(account, l.sid());
                });
                start.countDown();
                inserter.get(30, TimeUnit.SECONDS);
                assertTrue(deleter.get(30, TimeUnit.SECONDS));
                assertEquals(List.of(), store.credentialsOf(l.sid()), "no orphan survives its list");
                // every acknowledged credential was reported deleted with the list
                for (Sid c : acknowledged) {
                    assertTrue(events.contains(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, account, c, l.sid())),
                            "deletion of acknowledged credential " + c + " was published");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
