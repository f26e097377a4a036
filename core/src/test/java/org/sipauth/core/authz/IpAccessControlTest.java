package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.HOST;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.URI;
import static org.sipauth.core.authz.EngineFixture.address;
import static org.sipauth.core.authz.EngineFixture.invite;
import static org.sipauth.core.authz.EngineFixture.request;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.provisioning.SipDomainInput;

/**
 * Twilio's semantics of IP access control lists in the engine: a target with lists mapped takes an
 * INVITE only from a source inside one of them (outside: 403 at once, counted by the throttle); with
 * credential lists too, the source is checked first and then the digest; with only IP lists, a source
 * inside passes without a challenge. Every change is effective on the next request.
 */
class IpAccessControlTest {

    private static final InetAddress OUTSIDE = address("198.51.100.7");

    private final EngineFixture f = new EngineFixture(b -> b.throttle(3, Duration.ofMinutes(1), Duration.ofMinutes(1)));

    @AfterEach
    void close() {
        f.close();
    }

    private IpAccessControlList mappedAcl(String... blocks) {
        IpAccessControlList acl = f.provisioning.ipAccessControlLists().create(f.account, "office");
        for (String block : blocks) {
            addEntry(acl, block);
        }
        f.provisioning.ipAccessControlListMappings().create(f.account, MappingKind.TRUNK, f.trunk.sid().value(),
                acl.sid().value());
        return acl;
    }

    private IpAddress addEntry(IpAccessControlList acl, String block) {
        int slash = block.indexOf('/');
        return f.provisioning.ipAddresses().create(f.account, acl.sid().value(), "entry", block.substring(0, slash),
                block.substring(slash + 1));
    }

    private void unmapCredentialList() {
        f.provisioning.mappings().delete(f.account, MappingKind.TRUNK, f.trunk.sid().value(), f.list.sid().value());
    }

    private AuthDecision inviteFrom(InetAddress source) {
        return f.authorizer.authorize(request("INVITE", URI, HOST, source, List.of()));
    }

    @Test
    void onlyIpAcl_sourceInside_isAllowedWithoutChallenge_withoutUsername() {
        mappedAcl("192.0.2.0/24");
        unmapCredentialList();
        AuthDecision.Allowed ok = assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of())));
        assertEquals(f.trunk.sid(), ok.targetSid());
        assertNull(ok.username());
        assertNull(ok.credentialListSid());
    }

    @Test
    void sourceOutside_isDenied403AtOnce_withAndWithoutCredentialLists() {
        mappedAcl("192.0.2.0/24");
        assertEquals(new AuthDecision.Denied(403, Reason.SOURCE_NOT_ALLOWED), inviteFrom(OUTSIDE));
        unmapCredentialList();
        assertEquals(new AuthDecision.Denied(403, Reason.SOURCE_NOT_ALLOWED), inviteFrom(OUTSIDE));
    }

    @Test
    void bothMapped_sourceInside_isChallenged_andTheDigestDecides() {
        mappedAcl("192.0.2.10/32");
        assertEquals(Reason.NO_CREDENTIALS,
                assertInstanceOf(AuthDecision.Challenge.class, f.authorizer.authorize(invite(List.of()))).reason());
        AuthDecision.Allowed ok = assertInstanceOf(AuthDecision.Allowed.class,
                f.login(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD));
        assertEquals("alice", ok.username());
        assertEquals(f.list.sid(), ok.credentialListSid());
        assertInstanceOf(AuthDecision.Challenge.class, f.login(DigestAlgorithm.MD5, "alice", "Wrong-Passw0rd"));
    }

    @Test
    void bothMapped_sourceOutside_isDenied_evenWithValidCredentials() {
        IpAccessControlList acl = mappedAcl("10.0.0.0/8");
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason(), "no challenge");
        IpAddress inside = addEntry(acl, "192.0.2.10/32");
        String nonce = EngineFixture.nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
        f.provisioning.ipAddresses().delete(f.account, acl.sid().value(), inside.sid().value());
        // a correct answer once the source is outside: the source is checked first, the digest is never looked at
        String answer = EngineFixture.answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c1");
        assertEquals(new AuthDecision.Denied(403, Reason.SOURCE_NOT_ALLOWED), f.authorizer.authorize(invite(List.of(answer))));
    }

    @Test
    void nothingMapped_isDenied_andAnEmptyMappedList_allowsNoSource() {
        IpAccessControlList acl = mappedAcl();
        unmapCredentialList();
        assertEquals(new AuthDecision.Denied(403, Reason.SOURCE_NOT_ALLOWED), f.authorizer.authorize(invite(List.of())));
        f.provisioning.ipAccessControlListMappings().delete(f.account, MappingKind.TRUNK, f.trunk.sid().value(),
                acl.sid().value());
        assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), f.authorizer.authorize(invite(List.of())));
    }

    @Test
    void refusalsBySource_areCountedByTheThrottle() {
        IpAccessControlList acl = mappedAcl("192.0.2.0/24");
        for (int i = 0; i < 3; i++) {
            assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(OUTSIDE)).reason());
        }
        // over its budget, the source is refused by the throttle wherever it turns, even where it is allowed
        addEntry(acl, "198.51.100.0/24");
        assertEquals(new AuthDecision.Denied(403, Reason.THROTTLED), inviteFrom(OUTSIDE));
        assertInstanceOf(AuthDecision.Challenge.class, inviteFrom(SOURCE));
    }

    @Test
    void changesOfEntriesAndMappings_takeEffectOnTheNextRequest() {
        IpAccessControlList acl = mappedAcl("10.0.0.0/8");
        unmapCredentialList();
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason());
        IpAddress entry = addEntry(acl, "192.0.2.0/28");
        assertInstanceOf(AuthDecision.Allowed.class, inviteFrom(SOURCE));
        f.provisioning.ipAddresses().update(f.account, acl.sid().value(), entry.sid().value(), null, "192.0.2.16", null);
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason());
        f.provisioning.ipAddresses().update(f.account, acl.sid().value(), entry.sid().value(), null, null, "24");
        assertInstanceOf(AuthDecision.Allowed.class, inviteFrom(SOURCE));
        f.provisioning.ipAddresses().delete(f.account, acl.sid().value(), entry.sid().value());
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason());
        f.provisioning.ipAccessControlLists().delete(f.account, acl.sid().value());
        assertEquals(Reason.NO_CREDENTIAL_LIST, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason());
    }

    @Test
    void oneListMappedToTwoTargets_aChangeReachesBoth_andDomainsWork_likeTrunks() {
        IpAccessControlList acl = mappedAcl("10.0.0.0/8");
        unmapCredentialList();
        SipDomain domain = f.provisioning.sipDomains().create(f.account,
                SipDomainInput.builder().domainName("office.example.com").build());
        f.provisioning.ipAccessControlListMappings().create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(),
                acl.sid().value());
        AuthRequest toDomain = request("INVITE", "sip:bob@office.example.com", "office.example.com", SOURCE, List.of());
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) f.authorizer.authorize(toDomain)).reason());
        addEntry(acl, "192.0.2.10/32");
        assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(toDomain));
        assertInstanceOf(AuthDecision.Allowed.class, inviteFrom(SOURCE));
    }

    /** Entries changing while other threads keep deciding (and so reloading the target): the next call sees each change. */
    @Test
    void entryChangesRacingWithReloads_neverLeaveStaleRanges() throws Exception {
        try (EngineFixture g = new EngineFixture(b -> b.throttle(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            IpAccessControlList acl = g.provisioning.ipAccessControlLists().create(g.account, "racing");
            g.provisioning.ipAddresses().create(g.account, acl.sid().value(), "lan", "10.0.0.0", "8");
            g.provisioning.ipAccessControlListMappings().create(g.account, MappingKind.TRUNK, g.trunk.sid().value(),
                    acl.sid().value());
            g.provisioning.mappings().delete(g.account, MappingKind.TRUNK, g.trunk.sid().value(), g.list.sid().value());
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    while (!stop.get()) {
                        g.authorizer.authorize(invite(List.of()));
                    }
                }));
            }
            try {
                for (int i = 0; i < 100; i++) {
                    IpAddress inside = g.provisioning.ipAddresses().create(g.account, acl.sid().value(), "e" + i,
                            "192.0.2." + (i % 2 == 0 ? "0" : "10"), i % 2 == 0 ? "24" : "32");
                    assertInstanceOf(AuthDecision.Allowed.class, g.authorizer.authorize(invite(List.of())), "add " + i);
                    g.provisioning.ipAddresses().delete(g.account, acl.sid().value(), inside.sid().value());
                    assertEquals(new AuthDecision.Denied(403, Reason.SOURCE_NOT_ALLOWED),
                            g.authorizer.authorize(invite(List.of())), "delete " + i);
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

    @Test
    void register_isNotRestrictedBySource() {
        mappedAcl("10.0.0.0/8");
        // REGISTER takes the domain's registration lists only; none are mapped to a trunk
        AuthDecision d = f.authorizer.authorize(request("REGISTER", URI, HOST, OUTSIDE, List.of()));
        assertEquals(new AuthDecision.Denied(403, Reason.NO_CREDENTIAL_LIST), d);
    }

    @Test
    void ipv6Sources_areChecked() {
        mappedAcl("2001:db8::/32");
        unmapCredentialList();
        assertInstanceOf(AuthDecision.Allowed.class, inviteFrom(address("2001:db8::5")));
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(address("2001:db9::5"))).reason());
        assertEquals(Reason.SOURCE_NOT_ALLOWED, ((AuthDecision.Denied) inviteFrom(SOURCE)).reason());
    }
}
