package org.sipauth.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.ChangeEvent.Type;

/**
 * The behaviour every {@link Store} must have. Each implementation's test extends this class
 * and supplies a fresh, empty store per test ({@code MemoryStoreTest}, later the JDBC stores).
 */
public abstract class StoreContractTest {

    protected StoreContractTest() {
    }

    /** A new, empty store; closed after each test. */
    protected abstract Store newStore();

    protected Store store;
    private final AtomicInteger tick = new AtomicInteger();
    private static final Instant BASE = Instant.parse("2026-01-02T03:04:05Z");
    private static final Ha1Set HA1 = new Ha1Set("realm", "0".repeat(32), "1".repeat(64), "2".repeat(64));

    protected Sid account;
    protected Sid otherAccount;

    @BeforeEach
    void openStore() {
        store = newStore();
        account = insertAccount();
        otherAccount = insertAccount();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** Distinct, increasing, millisecond-precision instants. */
    protected Instant nextInstant() {
        return BASE.plus(tick.incrementAndGet(), ChronoUnit.MILLIS);
    }

    protected Sid insertAccount() {
        Instant now = nextInstant();
        Sid sid = Sid.random(SidKind.ACCOUNT);
        store.insertAccount(new Account(sid, "acct", "a".repeat(64), Account.Status.ACTIVE, now, now));
        return sid;
    }

    protected Trunk trunk(Sid owner, String domainName) {
        Instant now = nextInstant();
        return new Trunk(Sid.random(SidKind.TRUNK), owner, "trunk", domainName, null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, now, now);
    }

    protected SipDomain domain(Sid owner, String domainName) {
        Instant now = nextInstant();
        return new SipDomain(Sid.random(SidKind.SIP_DOMAIN), owner, "domain", domainName, null, "POST", null, "POST",
                null, "POST", false, false, false, null, null, null, now, now);
    }

    protected CredentialList list(Sid owner, String name) {
        Instant now = nextInstant();
        return new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), owner, name, now, now);
    }

    protected Credential credential(Sid owner, Sid listSid, String username) {
        Instant now = nextInstant();
        return new Credential(Sid.random(SidKind.CREDENTIAL), owner, listSid, username, HA1, now, now);
    }

    protected Trunk insertedTrunk(Sid owner, String domainName) {
        Trunk t = trunk(owner, domainName);
        store.insertTrunk(t);
        return t;
    }

    protected SipDomain insertedDomain(Sid owner, String domainName) {
        SipDomain d = domain(owner, domainName);
        store.insertSipDomain(d);
        return d;
    }

    protected CredentialList insertedList(Sid owner, String name) {
        CredentialList l = list(owner, name);
        store.insertCredentialList(l);
        return l;
    }

    protected Credential insertedCredential(Sid owner, Sid listSid, String username) {
        Credential c = credential(owner, listSid, username);
        store.insertCredential(c);
        return c;
    }

    /** Maps {@code list} of {@link #account} to {@code trunk}, and to {@code domain} for calls and for registrations. */
    protected void insertMappingsOfEveryKind(Trunk trunk, SipDomain domain, CredentialList list) {
        store.insertMapping(MappingKind.TRUNK, account, trunk.sid(), list.sid(), nextInstant());
        store.insertMapping(MappingKind.DOMAIN_CALLS, account, domain.sid(), list.sid(), nextInstant());
        store.insertMapping(MappingKind.DOMAIN_REGISTRATIONS, account, domain.sid(), list.sid(), nextInstant());
    }

    protected IpAccessControlList insertedIpList(Sid owner, String name) {
        Instant now = nextInstant();
        IpAccessControlList l = new IpAccessControlList(Sid.random(SidKind.IP_ACCESS_CONTROL_LIST), owner, name, now, now);
        store.insertIpAccessControlList(l);
        return l;
    }

    protected IpAddress ipAddress(Sid owner, Sid listSid, String address, int prefix) {
        Instant now = nextInstant();
        return new IpAddress(Sid.random(SidKind.IP_ADDRESS), owner, listSid, "entry", address, prefix, now, now);
    }

    protected IpAddress insertedIpAddress(Sid owner, Sid listSid, String address, int prefix) {
        IpAddress a = ipAddress(owner, listSid, address, prefix);
        store.insertIpAddress(a);
        return a;
    }

    protected List<ChangeEvent> record() {
        List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        store.subscribe(events::add);
        return events;
    }

    // ---- accounts -------------------------------------------------------------------------------

    @Test
    void accounts_insertFindUpdateCount() {
        assertEquals(2, store.accountCount());
        Account found = store.findAccount(account).orElseThrow();
        assertEquals(account, found.sid());
        Account updated = new Account(account, "renamed", "b".repeat(64), Account.Status.SUSPENDED,
                found.dateCreated(), nextInstant());
        assertTrue(store.updateAccount(updated));
        assertEquals(updated, store.findAccount(account).orElseThrow());
        assertThrows(DuplicateKeyException.class, () -> store.insertAccount(updated));
        Sid unknown = Sid.random(SidKind.ACCOUNT);
        assertFalse(store.updateAccount(new Account(unknown, "x", "c".repeat(64), Account.Status.ACTIVE,
                nextInstant(), nextInstant())));
        assertTrue(store.findAccount(unknown).isEmpty());
    }

    // ---- trunks and domains --------------------------------------------------------------------

    @Test
    void trunk_isScopedToItsAccount() {
        Trunk t = insertedTrunk(account, "a.example.com");
        assertEquals(t, store.findTrunk(account, t.sid()).orElseThrow());
        assertTrue(store.findTrunk(otherAccount, t.sid()).isEmpty());
        assertTrue(store.listTrunks(otherAccount, PageQuery.first(10)).isEmpty());
        assertFalse(store.deleteTrunk(otherAccount, t.sid()));
        assertFalse(store.updateTrunk(new Trunk(t.sid(), otherAccount, "x", null, null, null, "disable-all",
                false, false, "from-transferee", false, null, t.dateCreated(), nextInstant())));
        assertEquals(t, store.findTrunk(account, t.sid()).orElseThrow());
    }

    @Test
    void domainName_isUniqueAcrossTrunksAndDomainsAndAccounts() {
        store.insertTrunk(trunk(account, "shared.example.com"));
        DuplicateKeyException e1 = assertThrows(DuplicateKeyException.class,
                () -> store.insertTrunk(trunk(otherAccount, "shared.example.com")));
        assertEquals(DuplicateKeyException.Key.DOMAIN_NAME, e1.key());
        DuplicateKeyException e2 = assertThrows(DuplicateKeyException.class,
                () -> store.insertSipDomain(domain(account, "shared.example.com")));
        assertEquals(DuplicateKeyException.Key.DOMAIN_NAME, e2.key());
        assertEquals(1, store.authTargets().size());
    }

    @Test
    void domainName_updateToTakenNameFailsAndChangesNothing() {
        Trunk a = insertedTrunk(account, "a.example.com");
        SipDomain b = insertedDomain(account, "b.example.com");
        List<ChangeEvent> events = record();
        Trunk renamed = new Trunk(a.sid(), account, "x", "b.example.com", null, null, "disable-all", false, false,
                "from-transferee", false, null, a.dateCreated(), nextInstant());
        assertThrows(DuplicateKeyException.class, () -> store.updateTrunk(renamed));
        assertEquals(a, store.findTrunk(account, a.sid()).orElseThrow());
        assertTrue(events.isEmpty());
        // the old name is still claimed
        assertThrows(DuplicateKeyException.class, () -> store.insertSipDomain(domain(account, "a.example.com")));
    }

    @Test
    void domainName_isReleasedByRenameAndDelete() {
        Trunk a = insertedTrunk(account, "a.example.com");
        Trunk renamed = new Trunk(a.sid(), account, "x", "c.example.com", null, null, "disable-all", false, false,
                "from-transferee", false, null, a.dateCreated(), nextInstant());
        assertTrue(store.updateTrunk(renamed));
        SipDomain reuse = insertedDomain(account, "a.example.com");
        assertTrue(store.deleteSipDomain(account, reuse.sid()));
        store.insertTrunk(trunk(otherAccount, "a.example.com"));
        Trunk noName = new Trunk(a.sid(), account, "x", null, null, null, "disable-all", false, false,
                "from-transferee", false, null, a.dateCreated(), nextInstant());
        assertTrue(store.updateTrunk(noName));
        store.insertSipDomain(domain(otherAccount, "c.example.com"));
    }

    @Test
    void trunksWithoutDomainName_mayCoexist_andAreNotAuthTargets() {
        Trunk a = insertedTrunk(account, null);
        Trunk b = insertedTrunk(account, null);
        assertEquals(2, store.listTrunks(account, PageQuery.first(10)).size());
        assertTrue(store.authTargets().isEmpty());
        assertTrue(store.authTarget(a.sid()).isEmpty());
    }

    @Test
    void sipDomain_crudIsScopedToItsAccount() {
        SipDomain d = insertedDomain(account, "d.example.com");
        assertEquals(d, store.findSipDomain(account, d.sid()).orElseThrow());
        assertTrue(store.findSipDomain(otherAccount, d.sid()).isEmpty());
        SipDomain updated = new SipDomain(d.sid(), account, "new", "e.example.com", "https://x.example/v", "GET",
                null, "POST", null, "POST", true, false, true, null, null, null, d.dateCreated(), nextInstant());
        assertTrue(store.updateSipDomain(updated));
        assertEquals(updated, store.findSipDomain(account, d.sid()).orElseThrow());
        assertFalse(store.deleteSipDomain(otherAccount, d.sid()));
        assertTrue(store.deleteSipDomain(account, d.sid()));
        assertTrue(store.findSipDomain(account, d.sid()).isEmpty());
        assertFalse(store.deleteSipDomain(account, d.sid()));
    }

    @Test
    void digestAlgorithms_roundTripInOrder_onTrunksAndDomains_intoTheirAuthTargets_andBackToNone() {
        Trunk bare = trunk(account, "t.example.com");
        Trunk t = new Trunk(bare.sid(), account, bare.friendlyName(), bare.domainName(), null, null,
                bare.transferMode(), false, false, bare.transferCallerId(), false, List.of("SHA-256", "MD5"),
                bare.dateCreated(), bare.dateUpdated());
        SipDomain plain = domain(account, "d.example.com");
        SipDomain d = new SipDomain(plain.sid(), account, "domain", plain.domainName(), null, "POST", null, "POST",
                null, "POST", false, false, false, null, null, List.of("SHA-512-256-sess", "SHA-256", "MD5"),
                plain.dateCreated(), plain.dateUpdated());
        Trunk none = trunk(account, "none.example.com");
        store.insertTrunk(t);
        store.insertSipDomain(d);
        store.insertTrunk(none);
        List<ChangeEvent> events = record();

        assertEquals(t, store.findTrunk(account, t.sid()).orElseThrow());
        assertEquals(d, store.findSipDomain(account, d.sid()).orElseThrow());
        assertEquals(List.of(t, none), store.listTrunks(account, PageQuery.first(10)));
        assertEquals(List.of("SHA-256", "MD5"), store.authTarget(t.sid()).orElseThrow().digestAlgorithms());
        assertEquals(List.of("SHA-512-256-sess", "SHA-256", "MD5"),
                store.authTarget(d.sid()).orElseThrow().digestAlgorithms());
        assertNull(store.authTarget(none.sid()).orElseThrow().digestAlgorithms());
        assertTrue(store.authTargets().contains(store.authTarget(d.sid()).orElseThrow()));

        Trunk md5Only = new Trunk(t.sid(), account, t.friendlyName(), t.domainName(), null, null, t.transferMode(),
                false, false, t.transferCallerId(), false, List.of("MD5"), t.dateCreated(), nextInstant());
        assertTrue(store.updateTrunk(md5Only));
        assertEquals(List.of("MD5"), store.authTarget(t.sid()).orElseThrow().digestAlgorithms());
        SipDomain back = new SipDomain(d.sid(), account, "domain", d.domainName(), null, "POST", null, "POST",
                null, "POST", false, false, false, null, null, null, d.dateCreated(), nextInstant());
        assertTrue(store.updateSipDomain(back));
        assertEquals(back, store.findSipDomain(account, d.sid()).orElseThrow());
        assertNull(store.authTarget(d.sid()).orElseThrow().digestAlgorithms());
        // a change of the offer is a change of the target: the engine's index follows these events
        assertEquals(List.of(new ChangeEvent(Type.TRUNK_CHANGED, account, t.sid(), null),
                new ChangeEvent(Type.SIP_DOMAIN_CHANGED, account, d.sid(), null)), events);
    }

    // ---- credential lists and credentials ---------------------------------------------------------

    @Test
    void listFriendlyName_isUniquePerAccount() {
        CredentialList l = insertedList(account, "staff");
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
                () -> store.insertCredentialList(list(account, "staff")));
        assertEquals(DuplicateKeyException.Key.FRIENDLY_NAME, e.key());
        store.insertCredentialList(list(otherAccount, "staff"));
        CredentialList other = insertedList(account, "other");
        CredentialList clash = new CredentialList(other.sid(), account, "staff", other.dateCreated(), nextInstant());
        assertThrows(DuplicateKeyException.class, () -> store.updateCredentialList(clash));
        CredentialList rename = new CredentialList(l.sid(), account, "renamed", l.dateCreated(), nextInstant());
        assertTrue(store.updateCredentialList(rename));
        store.insertCredentialList(list(account, "staff")); // freed by the rename
    }

    @Test
    void username_isUniquePerList() {
        CredentialList a = insertedList(account, "a");
        CredentialList b = insertedList(account, "b");
        store.insertCredential(credential(account, a.sid(), "alice"));
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
                () -> store.insertCredential(credential(account, a.sid(), "alice")));
        assertEquals(DuplicateKeyException.Key.USERNAME, e.key());
        store.insertCredential(credential(account, b.sid(), "alice"));
        store.insertCredential(credential(account, a.sid(), "Alice")); // case-sensitive, like digest usernames
        assertEquals(2, store.credentialsOf(a.sid()).size());
    }

    @Test
    void credential_needsAnExistingListOfItsAccount() {
        CredentialList mine = insertedList(account, "mine");
        assertThrows(MissingReferenceException.class,
                () -> store.insertCredential(credential(otherAccount, mine.sid(), "eve")));
        assertThrows(MissingReferenceException.class,
                () -> store.insertCredential(credential(account, Sid.random(SidKind.CREDENTIAL_LIST), "eve")));
        assertTrue(store.credentialsOf(mine.sid()).isEmpty());
    }

    @Test
    void credential_fetchUpdateDeleteAreScoped() {
        CredentialList l = insertedList(account, "l");
        Credential c = insertedCredential(account, l.sid(), "bob");
        assertEquals(c, store.findCredential(account, l.sid(), c.sid()).orElseThrow());
        assertTrue(store.findCredential(otherAccount, l.sid(), c.sid()).isEmpty());
        assertTrue(store.listCredentials(otherAccount, l.sid(), PageQuery.first(5)).isEmpty());
        Ha1Set newHa1 = new Ha1Set("realm", "3".repeat(32), "4".repeat(64), "5".repeat(64));
        Credential updated = new Credential(c.sid(), account, l.sid(), "bob", newHa1, c.dateCreated(), nextInstant());
        assertTrue(store.updateCredential(updated));
        assertEquals(newHa1, store.credentialsOf(l.sid()).get(0).ha1());
        assertFalse(store.deleteCredential(otherAccount, l.sid(), c.sid()));
        assertTrue(store.deleteCredential(account, l.sid(), c.sid()));
        assertTrue(store.credentialsOf(l.sid()).isEmpty());
        assertFalse(store.updateCredential(updated));
        store.insertCredential(credential(account, l.sid(), "bob")); // username freed
    }

    // ---- mappings and auth targets --------------------------------------------------------------

    @Test
    void mapping_isUniquePerTargetAndKind() {
        SipDomain d = insertedDomain(account, "d.example.com");
        CredentialList l = insertedList(account, "l");
        CredentialListMapping m = store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), nextInstant());
        assertEquals("l", m.friendlyName());
        assertEquals(l.sid(), m.sid());
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
                () -> store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), nextInstant()));
        assertEquals(DuplicateKeyException.Key.MAPPING, e.key());
        // the same list for registrations is a different mapping
        store.insertMapping(MappingKind.DOMAIN_REGISTRATIONS, account, d.sid(), l.sid(), nextInstant());
        assertEquals(m, store.findMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid()).orElseThrow());
        assertTrue(store.findMapping(MappingKind.DOMAIN_CALLS, otherAccount, d.sid(), l.sid()).isEmpty());
    }

    @Test
    void mapping_needsTargetAndListInTheSameAccount() {
        Trunk t = insertedTrunk(account, "t.example.com");
        CredentialList mine = insertedList(account, "mine");
        CredentialList theirs = insertedList(otherAccount, "theirs");
        assertThrows(MissingReferenceException.class,
                () -> store.insertMapping(MappingKind.TRUNK, account, t.sid(), theirs.sid(), nextInstant()));
        assertThrows(MissingReferenceException.class,
                () -> store.insertMapping(MappingKind.TRUNK, otherAccount, t.sid(), theirs.sid(), nextInstant()));
        assertThrows(MissingReferenceException.class, () -> store.insertMapping(MappingKind.TRUNK, account,
                Sid.random(SidKind.TRUNK), mine.sid(), nextInstant()));
        assertTrue(store.listMappings(MappingKind.TRUNK, account, t.sid(), PageQuery.first(5)).isEmpty());
    }

    @Test
    void mapping_friendlyNameFollowsTheList() {
        Trunk t = insertedTrunk(account, "t.example.com");
        CredentialList l = insertedList(account, "before");
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), nextInstant());
        store.updateCredentialList(new CredentialList(l.sid(), account, "after", l.dateCreated(), nextInstant()));
        assertEquals("after", store.findMapping(MappingKind.TRUNK, account, t.sid(), l.sid()).orElseThrow().friendlyName());
        assertEquals("after", store.listMappings(MappingKind.TRUNK, account, t.sid(), PageQuery.first(5)).get(0).friendlyName());
    }

    @Test
    void authTargets_carryCallAndRegistrationListsSeparately() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        CredentialList calls = insertedList(account, "calls");
        CredentialList regs = insertedList(account, "regs");
        CredentialList both = insertedList(account, "both");
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), calls.sid(), nextInstant());
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), both.sid(), nextInstant());
        store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), calls.sid(), nextInstant());
        store.insertMapping(MappingKind.DOMAIN_REGISTRATIONS, account, d.sid(), regs.sid(), nextInstant());
        store.insertMapping(MappingKind.DOMAIN_REGISTRATIONS, account, d.sid(), both.sid(), nextInstant());

        AuthTarget trunkTarget = store.authTarget(t.sid()).orElseThrow();
        assertEquals("t.example.com", trunkTarget.domainName());
        assertEquals(account, trunkTarget.accountSid());
        assertEquals(List.of(calls.sid(), both.sid()), trunkTarget.callCredentialListSids());
        assertEquals(List.of(), trunkTarget.registrationCredentialListSids());
        AuthTarget domainTarget = store.authTarget(d.sid()).orElseThrow();
        assertEquals(List.of(calls.sid()), domainTarget.callCredentialListSids());
        assertEquals(List.of(regs.sid(), both.sid()), domainTarget.registrationCredentialListSids());
        List<AuthTarget> all = store.authTargets();
        assertEquals(2, all.size());
        assertTrue(all.contains(trunkTarget));
        assertTrue(all.contains(domainTarget));
    }

    // ---- origination URLs --------------------------------------------------------------------------

    protected OriginationUrl originationUrl(Sid owner, Sid target, String sipUrl, int priority, int weight, boolean enabled) {
        Instant now = nextInstant();
        return new OriginationUrl(Sid.random(SidKind.ORIGINATION_URL), owner, target, "ou", sipUrl, priority, weight,
                enabled, now, now);
    }

    protected OriginationUrl insertedOriginationUrl(Sid owner, Sid target, String sipUrl) {
        OriginationUrl u = originationUrl(owner, target, sipUrl, 10, 10, true);
        assertTrue(store.insertOriginationUrl(u, 100));
        return u;
    }

    @Test
    void originationUrl_crudIsScopedToItsAccountAndTarget_withEvents() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        List<ChangeEvent> events = record();
        OriginationUrl a = insertedOriginationUrl(account, t.sid(), "sip:a.example.net");
        OriginationUrl b = insertedOriginationUrl(account, t.sid(), "sips:[2001:db8::1]:5061;transport=tls");
        OriginationUrl onDomain = insertedOriginationUrl(account, d.sid(), "sip:192.0.2.7:5080;transport=tcp");

        assertEquals(a, store.findOriginationUrl(account, t.sid(), a.sid()).orElseThrow());
        assertTrue(store.findOriginationUrl(otherAccount, t.sid(), a.sid()).isEmpty());
        assertTrue(store.findOriginationUrl(account, d.sid(), a.sid()).isEmpty(), "another target's URL");
        assertEquals(List.of(a, b), store.listOriginationUrls(account, t.sid(), PageQuery.first(10)));
        assertEquals(List.of(b), store.listOriginationUrls(account, t.sid(), PageQuery.offset(1, 10)));
        assertTrue(store.listOriginationUrls(otherAccount, t.sid(), PageQuery.first(10)).isEmpty());
        assertEquals(List.of(onDomain), store.originationUrlsOf(d.sid()));
        assertEquals(List.of(a, b), store.originationUrlsOf(t.sid()));

        OriginationUrl changed = new OriginationUrl(a.sid(), account, t.sid(), "renamed", "sip:c.example.net:5070", 0,
                65535, false, a.dateCreated(), nextInstant());
        assertTrue(store.updateOriginationUrl(changed));
        assertEquals(changed, store.findOriginationUrl(account, t.sid(), a.sid()).orElseThrow());
        assertFalse(store.updateOriginationUrl(new OriginationUrl(a.sid(), otherAccount, t.sid(), "x", "sip:x.example",
                1, 1, true, a.dateCreated(), nextInstant())));
        assertFalse(store.deleteOriginationUrl(otherAccount, t.sid(), a.sid()));
        assertFalse(store.deleteOriginationUrl(account, d.sid(), a.sid()));
        assertTrue(store.deleteOriginationUrl(account, t.sid(), a.sid()));
        assertFalse(store.deleteOriginationUrl(account, t.sid(), a.sid()));
        assertFalse(store.updateOriginationUrl(changed));
        assertEquals(List.of(b), store.originationUrlsOf(t.sid()));

        assertEquals(List.of(new ChangeEvent(Type.ORIGINATION_URL_CHANGED, account, a.sid(), t.sid()),
                new ChangeEvent(Type.ORIGINATION_URL_CHANGED, account, b.sid(), t.sid()),
                new ChangeEvent(Type.ORIGINATION_URL_CHANGED, account, onDomain.sid(), d.sid()),
                new ChangeEvent(Type.ORIGINATION_URL_CHANGED, account, a.sid(), t.sid()),
                new ChangeEvent(Type.ORIGINATION_URL_DELETED, account, a.sid(), t.sid())), events);
    }

    @Test
    void originationUrl_needsAnExistingTargetOfItsAccount() {
        Trunk t = insertedTrunk(account, "t.example.com");
        List<ChangeEvent> events = record();
        assertThrows(MissingReferenceException.class,
                () -> store.insertOriginationUrl(originationUrl(otherAccount, t.sid(), "sip:x.example", 1, 1, true), 100));
        assertThrows(MissingReferenceException.class, () -> store.insertOriginationUrl(
                originationUrl(account, Sid.random(SidKind.SIP_DOMAIN), "sip:x.example", 1, 1, true), 100));
        assertThrows(MissingReferenceException.class, () -> store.insertOriginationUrl(
                originationUrl(account, Sid.of(SidKind.SIP_DOMAIN, "SD" + t.sid().value().substring(2)),
                        "sip:x.example", 1, 1, true), 100));
        assertTrue(store.originationUrlsOf(t.sid()).isEmpty());
        assertTrue(events.isEmpty());
    }

    @Test
    void originationUrl_insertStopsAtTheLimitPerTarget() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        for (int i = 0; i < 3; i++) {
            assertTrue(store.insertOriginationUrl(originationUrl(account, t.sid(), "sip:h" + i + ".example", 1, 1, true), 3));
        }
        List<ChangeEvent> events = record();
        assertFalse(store.insertOriginationUrl(originationUrl(account, t.sid(), "sip:full.example", 1, 1, true), 3));
        assertTrue(events.isEmpty());
        assertEquals(3, store.originationUrlsOf(t.sid()).size());
        assertTrue(store.insertOriginationUrl(originationUrl(account, d.sid(), "sip:other.example", 1, 1, true), 3),
                "the limit is per target");
    }

    @Test
    void concurrentOriginationUrlInserts_neverPassTheLimit() throws Exception {
        Trunk t = insertedTrunk(account, "t.example.com");
        AtomicInteger inserted = new AtomicInteger();
        race(16, i -> {
            if (store.insertOriginationUrl(originationUrl(account, t.sid(), "sip:h" + i + ".example", 1, 1, true), 5)) {
                inserted.incrementAndGet();
            }
        });
        assertEquals(5, inserted.get());
        assertEquals(5, store.originationUrlsOf(t.sid()).size());
    }

    @Test
    void deleteTargets_removeTheirOriginationUrls_withEventsBeforeTheTargets() {
        Trunk t = insertedTrunk(account, "t.example.com");
        Trunk unnamed = insertedTrunk(account, null);
        SipDomain d = insertedDomain(account, "d.example.com");
        OriginationUrl t1 = insertedOriginationUrl(account, t.sid(), "sip:a.example");
        OriginationUrl t2 = insertedOriginationUrl(account, t.sid(), "sip:b.example");
        OriginationUrl u1 = insertedOriginationUrl(account, unnamed.sid(), "sip:u.example");
        OriginationUrl d1 = insertedOriginationUrl(account, d.sid(), "sip:d.example");
        List<ChangeEvent> events = record();

        assertTrue(store.deleteTrunk(account, t.sid()));
        assertEquals(List.of(new ChangeEvent(Type.ORIGINATION_URL_DELETED, account, t1.sid(), t.sid()),
                new ChangeEvent(Type.ORIGINATION_URL_DELETED, account, t2.sid(), t.sid()),
                new ChangeEvent(Type.TRUNK_DELETED, account, t.sid(), null)), events);
        events.clear();
        assertTrue(store.deleteSipDomain(account, d.sid()));
        assertEquals(List.of(new ChangeEvent(Type.ORIGINATION_URL_DELETED, account, d1.sid(), d.sid()),
                new ChangeEvent(Type.SIP_DOMAIN_DELETED, account, d.sid(), null)), events);
        assertTrue(store.originationUrlsOf(t.sid()).isEmpty());
        assertTrue(store.findOriginationUrl(account, d.sid(), d1.sid()).isEmpty());
        assertEquals(List.of(u1), store.originationUrlsOf(unnamed.sid()), "a trunk without a domain name has URLs too");
    }

    // ---- IP access control lists ------------------------------------------------------------------

    @Test
    void ipAccessControlList_crudIsScopedToItsAccount_andNamesNeedNotBeUnique() {
        IpAccessControlList a = insertedIpList(account, "office");
        IpAccessControlList b = insertedIpList(account, "office");
        insertedIpList(otherAccount, "theirs");

        assertEquals(a, store.findIpAccessControlList(account, a.sid()).orElseThrow());
        assertTrue(store.findIpAccessControlList(otherAccount, a.sid()).isEmpty());
        assertEquals(List.of(a, b), store.listIpAccessControlLists(account, PageQuery.first(10)));
        assertEquals(List.of(b), store.listIpAccessControlLists(account, PageQuery.offset(1, 10)));

        IpAccessControlList renamed = new IpAccessControlList(a.sid(), account, "renamed", a.dateCreated(), nextInstant());
        assertFalse(store.updateIpAccessControlList(new IpAccessControlList(a.sid(), otherAccount, "x", a.dateCreated(),
                nextInstant())));
        assertTrue(store.updateIpAccessControlList(renamed));
        assertEquals(renamed, store.findIpAccessControlList(account, a.sid()).orElseThrow());
        assertFalse(store.deleteIpAccessControlList(otherAccount, a.sid()));
        assertTrue(store.deleteIpAccessControlList(account, a.sid()));
        assertFalse(store.deleteIpAccessControlList(account, a.sid()));
        assertEquals(List.of(b), store.listIpAccessControlLists(account, PageQuery.first(10)));
    }

    @Test
    void ipAddress_needsAnExistingListOfItsAccount_andCrudIsScoped() {
        IpAccessControlList l = insertedIpList(account, "l");
        assertThrows(MissingReferenceException.class,
                () -> store.insertIpAddress(ipAddress(otherAccount, l.sid(), "10.0.0.1", 32)));
        IpAddress v4 = insertedIpAddress(account, l.sid(), "10.0.0.0", 8);
        IpAddress v6 = insertedIpAddress(account, l.sid(), "2001:db8::", 32);

        assertEquals(v4, store.findIpAddress(account, l.sid(), v4.sid()).orElseThrow());
        assertTrue(store.findIpAddress(otherAccount, l.sid(), v4.sid()).isEmpty());
        assertEquals(List.of(v4, v6), store.listIpAddresses(account, l.sid(), PageQuery.first(10)));
        assertTrue(store.listIpAddresses(otherAccount, l.sid(), PageQuery.first(10)).isEmpty());
        assertEquals(List.of(v4, v6), store.ipAddressesOf(l.sid()));

        IpAddress moved = new IpAddress(v4.sid(), account, l.sid(), "moved", "192.0.2.0", 24, v4.dateCreated(),
                nextInstant());
        assertTrue(store.updateIpAddress(moved));
        assertEquals(moved, store.findIpAddress(account, l.sid(), v4.sid()).orElseThrow());
        assertFalse(store.deleteIpAddress(otherAccount, l.sid(), v4.sid()));
        assertTrue(store.deleteIpAddress(account, l.sid(), v4.sid()));
        assertEquals(List.of(v6), store.ipAddressesOf(l.sid()));
    }

    @Test
    void ipAclMapping_isUniquePerTarget_needsTargetAndListOfTheAccount_andReachesTheAuthTarget() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        CredentialList cl = insertedList(account, "creds");
        IpAccessControlList al = insertedIpList(account, "acl");
        IpAccessControlList theirs = insertedIpList(otherAccount, "theirs");
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), cl.sid(), nextInstant());

        IpAccessControlListMapping m = store.insertIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), al.sid(),
                nextInstant());
        assertEquals("acl", m.friendlyName());
        store.insertIpAccessControlListMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), al.sid(), nextInstant());
        assertEquals(DuplicateKeyException.Key.MAPPING, assertThrows(DuplicateKeyException.class,
                () -> store.insertIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), al.sid(),
                        nextInstant())).key());
        assertThrows(MissingReferenceException.class, () -> store.insertIpAccessControlListMapping(MappingKind.TRUNK,
                account, t.sid(), theirs.sid(), nextInstant()));
        assertThrows(MissingReferenceException.class, () -> store.insertIpAccessControlListMapping(
                MappingKind.DOMAIN_CALLS, account, Sid.random(SidKind.SIP_DOMAIN), al.sid(), nextInstant()));

        assertEquals(m, store.findIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), al.sid()).orElseThrow());
        assertEquals(List.of(m), store.listIpAccessControlListMappings(MappingKind.TRUNK, account, t.sid(),
                PageQuery.first(10)));
        assertEquals(1, store.listMappings(MappingKind.TRUNK, account, t.sid(), PageQuery.first(10)).size());
        AuthTarget trunkTarget = store.authTarget(t.sid()).orElseThrow();
        assertEquals(List.of(cl.sid()), trunkTarget.callCredentialListSids());
        assertEquals(List.of(al.sid()), trunkTarget.callIpAccessControlListSids());
        assertTrue(store.authTargets().contains(trunkTarget));
        assertEquals(List.of(al.sid()), store.authTarget(d.sid()).orElseThrow().callIpAccessControlListSids());
        assertTrue(store.authTarget(d.sid()).orElseThrow().callCredentialListSids().isEmpty());

        store.updateIpAccessControlList(new IpAccessControlList(al.sid(), account, "renamed", al.dateCreated(),
                nextInstant()));
        assertEquals("renamed", store.findIpAccessControlListMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), al.sid())
                .orElseThrow().friendlyName());
        assertFalse(store.deleteIpAccessControlListMapping(MappingKind.TRUNK, otherAccount, t.sid(), al.sid()));
        assertTrue(store.deleteIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), al.sid()));
        assertTrue(store.authTarget(t.sid()).orElseThrow().callIpAccessControlListSids().isEmpty());
    }

    @Test
    void deleteIpList_removesEntriesAndMappings_withEventsDependantsFirst_andDeleteTargetRemovesItsIpMappings() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        IpAccessControlList l = insertedIpList(account, "l");
        IpAccessControlList kept = insertedIpList(account, "kept");
        IpAddress a1 = insertedIpAddress(account, l.sid(), "127.0.0.0", 8);
        IpAddress a2 = insertedIpAddress(account, l.sid(), "::1", 128);
        store.insertIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), nextInstant());
        store.insertIpAccessControlListMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), nextInstant());
        store.insertIpAccessControlListMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), kept.sid(), nextInstant());
        List<ChangeEvent> events = record();

        assertTrue(store.deleteIpAccessControlList(account, l.sid()));
        assertEquals(List.of(
                new ChangeEvent(Type.IP_ADDRESS_DELETED, account, a1.sid(), l.sid()),
                new ChangeEvent(Type.IP_ADDRESS_DELETED, account, a2.sid(), l.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), t.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(Type.IP_ACCESS_CONTROL_LIST_DELETED, account, l.sid(), null)), events);
        assertTrue(store.ipAddressesOf(l.sid()).isEmpty());
        assertTrue(store.authTarget(t.sid()).orElseThrow().callIpAccessControlListSids().isEmpty());
        assertEquals(List.of(kept.sid()), store.authTarget(d.sid()).orElseThrow().callIpAccessControlListSids());

        events.clear();
        assertTrue(store.deleteSipDomain(account, d.sid()));
        assertEquals(List.of(new ChangeEvent(Type.MAPPING_DELETED, account, kept.sid(), d.sid()),
                new ChangeEvent(Type.SIP_DOMAIN_DELETED, account, d.sid(), null)), events);
        assertTrue(store.findIpAccessControlList(account, kept.sid()).isPresent());
    }

    @Test
    void ipMutations_publishTheirEvents() {
        Trunk t = insertedTrunk(account, "t.example.com");
        List<ChangeEvent> events = record();
        IpAccessControlList l = insertedIpList(account, "l");
        IpAddress a = insertedIpAddress(account, l.sid(), "10.0.0.1", 32);
        store.updateIpAddress(new IpAddress(a.sid(), account, l.sid(), "x", "10.0.0.2", 32, a.dateCreated(),
                nextInstant()));
        store.insertIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), nextInstant());
        store.deleteIpAccessControlListMapping(MappingKind.TRUNK, account, t.sid(), l.sid());
        store.deleteIpAddress(account, l.sid(), a.sid());
        assertEquals(List.of(
                new ChangeEvent(Type.IP_ACCESS_CONTROL_LIST_CHANGED, account, l.sid(), null),
                new ChangeEvent(Type.IP_ADDRESS_CHANGED, account, a.sid(), l.sid()),
                new ChangeEvent(Type.IP_ADDRESS_CHANGED, account, a.sid(), l.sid()),
                new ChangeEvent(Type.MAPPING_CHANGED, account, l.sid(), t.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), t.sid()),
                new ChangeEvent(Type.IP_ADDRESS_DELETED, account, a.sid(), l.sid())), events);
    }

    // ---- cascading deletes and the change feed ----------------------------------------------------

    @Test
    void deleteList_removesCredentialsAndMappings_withEventsDependantsFirst() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        CredentialList l = insertedList(account, "l");
        Credential c1 = insertedCredential(account, l.sid(), "u1");
        Credential c2 = insertedCredential(account, l.sid(), "u2");
        insertMappingsOfEveryKind(t, d, l);
        List<ChangeEvent> events = record();

        assertFalse(store.deleteCredentialList(otherAccount, l.sid()));
        assertTrue(events.isEmpty());
        assertTrue(store.deleteCredentialList(account, l.sid()));

        assertEquals(List.of(
                new ChangeEvent(Type.CREDENTIAL_DELETED, account, c1.sid(), l.sid()),
                new ChangeEvent(Type.CREDENTIAL_DELETED, account, c2.sid(), l.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), t.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(Type.CREDENTIAL_LIST_DELETED, account, l.sid(), null)), events);
        assertTrue(store.credentialsOf(l.sid()).isEmpty());
        assertTrue(store.findCredential(account, l.sid(), c1.sid()).isEmpty());
        assertTrue(store.authTarget(t.sid()).orElseThrow().callCredentialListSids().isEmpty());
        assertTrue(store.authTarget(d.sid()).orElseThrow().registrationCredentialListSids().isEmpty());
        store.insertCredentialList(list(account, "l")); // name freed
    }

    @Test
    void deleteTargets_removeTheirMappingsOnly() {
        Trunk t = insertedTrunk(account, "t.example.com");
        SipDomain d = insertedDomain(account, "d.example.com");
        CredentialList l = insertedList(account, "l");
        insertMappingsOfEveryKind(t, d, l);
        List<ChangeEvent> events = record();

        assertTrue(store.deleteTrunk(account, t.sid()));
        assertEquals(List.of(new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), t.sid()),
                new ChangeEvent(Type.TRUNK_DELETED, account, t.sid(), null)), events);
        events.clear();
        assertTrue(store.deleteSipDomain(account, d.sid()));
        assertEquals(List.of(new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), d.sid()),
                new ChangeEvent(Type.SIP_DOMAIN_DELETED, account, d.sid(), null)), events);
        assertTrue(store.authTargets().isEmpty());
        assertTrue(store.findCredentialList(account, l.sid()).isPresent());
    }

    @Test
    void everyMutation_publishesItsEvent_synchronously_afterCommit() {
        List<ChangeEvent> events = record();
        List<Boolean> committedWhenSeen = new ArrayList<>();
        store.subscribe(e -> {
            if (e.type() == Type.CREDENTIAL_CHANGED) {
                committedWhenSeen.add(!store.credentialsOf(e.parentSid()).isEmpty());
            }
        });
        Trunk t = insertedTrunk(account, "t.example.com");
        assertEquals(new ChangeEvent(Type.TRUNK_CHANGED, account, t.sid(), null), last(events));
        store.updateTrunk(t);
        assertEquals(2, events.size());
        SipDomain d = insertedDomain(account, "d.example.com");
        assertEquals(new ChangeEvent(Type.SIP_DOMAIN_CHANGED, account, d.sid(), null), last(events));
        store.updateSipDomain(d);
        assertEquals(new ChangeEvent(Type.SIP_DOMAIN_CHANGED, account, d.sid(), null), last(events));
        CredentialList l = insertedList(account, "l");
        assertEquals(new ChangeEvent(Type.CREDENTIAL_LIST_CHANGED, account, l.sid(), null), last(events));
        store.updateCredentialList(l);
        assertEquals(new ChangeEvent(Type.CREDENTIAL_LIST_CHANGED, account, l.sid(), null), last(events));
        Credential c = insertedCredential(account, l.sid(), "u");
        assertEquals(new ChangeEvent(Type.CREDENTIAL_CHANGED, account, c.sid(), l.sid()), last(events));
        store.updateCredential(c);
        assertEquals(new ChangeEvent(Type.CREDENTIAL_CHANGED, account, c.sid(), l.sid()), last(events));
        store.insertMapping(MappingKind.TRUNK, account, t.sid(), l.sid(), nextInstant());
        assertEquals(new ChangeEvent(Type.MAPPING_CHANGED, account, l.sid(), t.sid()), last(events));
        store.deleteMapping(MappingKind.TRUNK, account, t.sid(), l.sid());
        assertEquals(new ChangeEvent(Type.MAPPING_DELETED, account, l.sid(), t.sid()), last(events));
        store.deleteCredential(account, l.sid(), c.sid());
        assertEquals(new ChangeEvent(Type.CREDENTIAL_DELETED, account, c.sid(), l.sid()), last(events));
        Sid newAccount = insertAccount();
        assertEquals(new ChangeEvent(Type.ACCOUNT_CHANGED, newAccount, newAccount, null), last(events));
        assertEquals(12, events.size());
        assertEquals(List.of(true, true), committedWhenSeen);
    }

    @Test
    void failedOrNoOpWrites_publishNothing_andUnsubscribeStopsDelivery() throws Exception {
        Trunk t = insertedTrunk(account, "t.example.com");
        List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        AutoCloseable handle = store.subscribe(events::add);
        assertThrows(DuplicateKeyException.class, () -> store.insertTrunk(trunk(account, "t.example.com")));
        assertFalse(store.deleteTrunk(account, Sid.random(SidKind.TRUNK)));
        assertFalse(store.deleteMapping(MappingKind.TRUNK, account, t.sid(), Sid.random(SidKind.CREDENTIAL_LIST)));
        assertTrue(events.isEmpty());
        handle.close();
        store.deleteTrunk(account, t.sid());
        assertTrue(events.isEmpty());
    }

    @Test
    void aThrowingListener_doesNotUndoTheWriteOrStarveOthers() {
        store.subscribe(e -> {
            throw new IllegalStateException("boom");
        });
        List<ChangeEvent> events = record();
        Trunk t = insertedTrunk(account, "t.example.com");
        assertEquals(1, events.size());
        assertTrue(store.findTrunk(account, t.sid()).isPresent());
    }

    // ---- paging slices ----------------------------------------------------------------------------

    @Test
    void pageQuery_slicesInDateThenSidOrder() {
        List<CredentialList> created = new ArrayList<>();
        Instant same = nextInstant();
        for (int i = 0; i < 5; i++) {
            CredentialList l = new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), account, "n" + i, same, same);
            store.insertCredentialList(l);
            created.add(l);
        }
        for (int i = 5; i < 8; i++) {
            CredentialList l = insertedList(account, "n" + i);
            created.add(l);
        }
        store.insertCredentialList(list(otherAccount, "foreign"));
        created.subList(0, 5).sort(java.util.Comparator.comparing(l -> l.sid().value()));

        assertEquals(created, store.listCredentialLists(account, PageQuery.first(100)));
        assertEquals(created.subList(0, 3), store.listCredentialLists(account, PageQuery.first(3)));
        assertEquals(created.subList(3, 6), store.listCredentialLists(account, PageQuery.offset(3, 3)));
        assertEquals(List.of(), store.listCredentialLists(account, PageQuery.offset(8, 3)));
        PageQuery.Key k2 = PageQuery.Key.of(created.get(2).dateCreated(), created.get(2).sid());
        assertEquals(created.subList(3, 7), store.listCredentialLists(account, PageQuery.after(k2, 4)));
        PageQuery.Key k6 = PageQuery.Key.of(created.get(6).dateCreated(), created.get(6).sid());
        assertEquals(created.subList(3, 6), store.listCredentialLists(account, PageQuery.before(k6, 3)));
        assertEquals(created.subList(0, 6), store.listCredentialLists(account, PageQuery.before(k6, 100)));
        PageQuery.Key last = PageQuery.Key.of(created.get(7).dateCreated(), created.get(7).sid());
        assertEquals(List.of(), store.listCredentialLists(account, PageQuery.after(last, 4)));
    }

    // ---- concurrency ------------------------------------------------------------------------------

    @Test
    void concurrentInsertsOfOneUsername_exactlyOneWins() throws Exception {
        CredentialList l = insertedList(account, "race");
        int wins = race(16, i -> store.insertCredential(credential(account, l.sid(), "same")));
        assertEquals(1, wins);
        assertEquals(1, store.credentialsOf(l.sid()).size());
    }

    @Test
    void concurrentInsertsOfOneDomainName_exactlyOneWins() throws Exception {
        int wins = race(16, i -> {
            if (i % 2 == 0) {
                store.insertTrunk(trunk(i % 4 == 0 ? account : otherAccount, "race.example.com"));
            } else {
                store.insertSipDomain(domain(i % 3 == 0 ? account : otherAccount, "race.example.com"));
            }
        });
        assertEquals(1, wins);
        assertEquals(1, store.authTargets().size());
    }

    @Test
    void concurrentMappingsOfOneList_exactlyOneWins() throws Exception {
        SipDomain d = insertedDomain(account, "m.example.com");
        CredentialList l = insertedList(account, "m");
        int wins = race(16, i -> store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), nextInstant()));
        assertEquals(1, wins);
        assertEquals(List.of(l.sid()), store.authTarget(d.sid()).orElseThrow().callCredentialListSids());
    }

    @Test
    void readersSeeWholeWrites_whileAListIsDeleted() throws Exception {
        // A list deletion removes credentials and mappings in one write: a reader that sees the
        // mapping must still be able to see the list, and the event count must match.
        SipDomain d = insertedDomain(account, "r.example.com");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            AtomicInteger torn = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            Future<?> reader = pool.submit(() -> {
                while (done.getCount() > 0) {
                    for (AuthTarget target : store.authTargets()) {
                        for (Sid listSid : target.callCredentialListSids()) {
                            if (store.findCredentialList(account, listSid).isEmpty()
                                    && store.authTarget(target.sid()).orElseThrow().callCredentialListSids().contains(listSid)) {
                                torn.incrementAndGet();
                            }
                        }
                    }
                }
            });
            for (int i = 0; i < 200; i++) {
                CredentialList l = insertedList(account, "l" + i);
                store.insertCredential(credential(account, l.sid(), "u"));
                store.insertMapping(MappingKind.DOMAIN_CALLS, account, d.sid(), l.sid(), nextInstant());
                store.deleteCredentialList(account, l.sid());
            }
            done.countDown();
            reader.get(30, TimeUnit.SECONDS);
            assertEquals(0, torn.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code n} attempts released at once; returns how many did not throw a {@link StoreException}. */
    private int race(int n, IntAction action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 8));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Boolean> attempt = () -> {
                    start.await();
                    try {
                        action.run(index);
                        return true;
                    } catch (DuplicateKeyException e) {
                        return false;
                    }
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                if (result.get(30, TimeUnit.SECONDS)) {
                    wins++;
                }
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    protected interface IntAction {
        void run(int i);
    }

    private static ChangeEvent last(List<ChangeEvent> events) {
        return events.get(events.size() - 1);
    }
}
