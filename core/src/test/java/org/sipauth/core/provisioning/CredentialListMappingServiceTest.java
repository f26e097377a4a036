package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.DOMAIN_INVALID;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.ApiException.TRUNK_INVALID;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.ChangeEvent;

class CredentialListMappingServiceTest {

    private final Fixture f = new Fixture();
    private final CredentialListMappingService mappings = f.provisioning.mappings();
    private final Trunk trunk = f.provisioning.trunks().create(f.account,
            TrunkInput.builder().domainName("t.example.com").build());
    private final SipDomain domain = f.provisioning.sipDomains().create(f.account,
            SipDomainInput.builder().domainName("d.example.com").build());
    private final String list = f.provisioning.credentialLists().create(f.account, "staff").sid().value();

    private String target(MappingKind kind) {
        return kind == MappingKind.TRUNK ? trunk.sid().value() : domain.sid().value();
    }

    private static int code(MappingKind kind) {
        return kind == MappingKind.TRUNK ? TRUNK_INVALID : DOMAIN_INVALID;
    }

    @ParameterizedTest
    @EnumSource(MappingKind.class)
    void create_fetch_list_delete(MappingKind kind) {
        CredentialListMapping m = mappings.create(f.account, kind, target(kind), list);
        assertEquals(list, m.sid().value());
        assertEquals("staff", m.friendlyName());
        assertEquals(kind, m.kind());
        assertEquals(f.account, m.accountSid());
        assertEquals(target(kind), m.targetSid().value());
        assertEquals(m, mappings.fetch(f.account, kind, target(kind), list));
        assertEquals(List.of(m), mappings.list(f.account, kind, target(kind), PageRequest.first()).items());
        mappings.delete(f.account, kind, target(kind), list);
        assertApiError(404, NOT_FOUND, () -> mappings.fetch(f.account, kind, target(kind), list));
        assertApiError(404, NOT_FOUND, () -> mappings.delete(f.account, kind, target(kind), list));
    }

    @ParameterizedTest
    @EnumSource(MappingKind.class)
    void mappingTheSameListTwice_isRejectedWithTheTargetsCode(MappingKind kind) {
        mappings.create(f.account, kind, target(kind), list);
        assertApiError(400, code(kind), () -> mappings.create(f.account, kind, target(kind), list));
        assertEquals(1, mappings.list(f.account, kind, target(kind), PageRequest.first()).items().size());
    }

    @Test
    void callsAndRegistrations_areSeparateSets_forOneDomain() {
        mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), list);
        mappings.create(f.account, MappingKind.DOMAIN_REGISTRATIONS, domain.sid().value(), list);
        assertEquals(List.of(domain.sid()), f.store.authTargets().stream()
                .filter(t -> t.callCredentialListSids().size() == 1 && t.registrationCredentialListSids().size() == 1)
                .map(t -> t.sid()).toList());
        mappings.delete(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), list);
        assertEquals(1, mappings.list(f.account, MappingKind.DOMAIN_REGISTRATIONS, domain.sid().value(),
                PageRequest.first()).items().size());
    }

    @ParameterizedTest
    @EnumSource(MappingKind.class)
    void credentialListSid_isRequiredAndMustMatchThePattern(MappingKind kind) {
        ApiException missing = assertApiError(400, code(kind), () -> mappings.create(f.account, kind, target(kind), null));
        assertTrue(missing.getMessage().contains("CredentialListSid"));
        assertApiError(400, code(kind), () -> mappings.create(f.account, kind, target(kind), ""));
        assertApiError(400, code(kind), () -> mappings.create(f.account, kind, target(kind), "CL123"));
        assertApiError(400, code(kind), () -> mappings.create(f.account, kind, target(kind), "AL" + list.substring(2)));
    }

    @ParameterizedTest
    @EnumSource(MappingKind.class)
    void anotherAccountsListOrTarget_isNotFound(MappingKind kind) {
        String theirList = f.provisioning.credentialLists().create(f.otherAccount, "theirs").sid().value();
        assertApiError(404, NOT_FOUND, () -> mappings.create(f.account, kind, target(kind), theirList));
        assertApiError(404, NOT_FOUND, () -> mappings.create(f.otherAccount, kind, target(kind), theirList));
        mappings.create(f.account, kind, target(kind), list);
        assertApiError(404, NOT_FOUND, () -> mappings.fetch(f.otherAccount, kind, target(kind), list));
        assertApiError(404, NOT_FOUND, () -> mappings.list(f.otherAccount, kind, target(kind), PageRequest.first()));
        assertApiError(404, NOT_FOUND, () -> mappings.delete(f.otherAccount, kind, target(kind), list));
        assertEquals(1, mappings.list(f.account, kind, target(kind), PageRequest.first()).items().size());
    }

    @Test
    void wrongKindOfTargetSid_isNotFound() {
        assertApiError(404, NOT_FOUND, () -> mappings.create(f.account, MappingKind.TRUNK, domain.sid().value(), list));
        assertApiError(404, NOT_FOUND, () -> mappings.create(f.account, MappingKind.DOMAIN_CALLS, trunk.sid().value(), list));
        assertApiError(404, NOT_FOUND, () -> mappings.list(f.account, MappingKind.DOMAIN_REGISTRATIONS, "SD1",
                PageRequest.first()));
        assertApiError(404, NOT_FOUND, () -> mappings.fetch(f.account, MappingKind.TRUNK, trunk.sid().value(), "CL1"));
    }

    @Test
    void authType_countsCallMappingsOnly() {
        assertEquals("", f.provisioning.trunks().authTypes(trunk).value());
        assertEquals(List.of(), f.provisioning.trunks().authTypes(trunk).values());
        assertEquals("", f.provisioning.sipDomains().authTypes(domain).value());

        mappings.create(f.account, MappingKind.DOMAIN_REGISTRATIONS, domain.sid().value(), list);
        assertEquals("", f.provisioning.sipDomains().authTypes(domain).value());
        mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), list);
        assertEquals("CREDENTIAL_LIST", f.provisioning.sipDomains().authTypes(domain).value());
        mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), list);
        assertEquals(List.of("CREDENTIAL_LIST"), f.provisioning.trunks().authTypes(trunk).values());
        assertEquals("IP_ACL,CREDENTIAL_LIST", new AuthTypes(true, true).value());

        f.provisioning.credentialLists().delete(f.account, list);
        assertEquals("", f.provisioning.trunks().authTypes(trunk).value());
        assertEquals("", f.provisioning.sipDomains().authTypes(domain).value());
    }

    @Test
    void authType_ofATrunkWithoutDomainName_stillReflectsItsMappings() {
        Trunk bare = f.provisioning.trunks().create(f.account, TrunkInput.builder().build());
        mappings.create(f.account, MappingKind.TRUNK, bare.sid().value(), list);
        assertEquals("CREDENTIAL_LIST", f.provisioning.trunks().authTypes(bare).value());
    }

    @Test
    void deletingATarget_deletesItsMappings() {
        mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), list);
        mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), list);
        List<ChangeEvent> events = new ArrayList<>();
        f.store.subscribe(events::add);
        f.provisioning.trunks().delete(f.account, trunk.sid().value());
        f.provisioning.sipDomains().delete(f.account, domain.sid().value());
        assertEquals(List.of(ChangeEvent.Type.MAPPING_DELETED, ChangeEvent.Type.TRUNK_DELETED,
                ChangeEvent.Type.MAPPING_DELETED, ChangeEvent.Type.SIP_DOMAIN_DELETED),
                events.stream().map(ChangeEvent::type).toList());
        // the list survives and can be mapped again to new targets
        Trunk again = f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName("t.example.com").build());
        mappings.create(f.account, MappingKind.TRUNK, again.sid().value(), list);
    }

    @Test
    void mappingEvents_arePublishedBeforeTheCallReturns() {
        List<ChangeEvent> events = new ArrayList<>();
        f.store.subscribe(events::add);
        CredentialListMapping m = mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), list);
        assertEquals(List.of(new ChangeEvent(ChangeEvent.Type.MAPPING_CHANGED, f.account, m.sid(), trunk.sid())), events);
        mappings.delete(f.account, MappingKind.TRUNK, trunk.sid().value(), list);
        assertEquals(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, f.account, m.sid(), trunk.sid()), events.get(1));
    }
}
