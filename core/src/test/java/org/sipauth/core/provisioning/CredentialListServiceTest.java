package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.CREDENTIAL_LIST_INVALID;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.Fixture.GOOD_PASSWORD;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.store.ChangeEvent;

class CredentialListServiceTest {

    private final Fixture f = new Fixture();
    private final CredentialListService lists = f.provisioning.credentialLists();

    @Test
    void friendlyName_isRequired_onCreateAndUpdate() {
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, null));
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, ""));
        CredentialList l = lists.create(f.account, "ok");
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.update(f.account, l.sid().value(), null));
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.update(f.account, l.sid().value(), ""));
    }

    @Test
    void friendlyName_of64Chars_isAccepted_of65_isRejected() {
        lists.create(f.account, "n".repeat(64));
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, "m".repeat(65)));
        // counted in characters (code points), not UTF-16 units
        lists.create(f.account, "\uD83D\uDE00".repeat(64));
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, "\uD83D\uDE01".repeat(65)));
    }

    @Test
    void friendlyName_isUniquePerAccount() {
        CredentialList a = lists.create(f.account, "staff");
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, "staff"));
        lists.create(f.otherAccount, "staff");
        CredentialList b = lists.create(f.account, "guests");
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.update(f.account, b.sid().value(), "staff"));
        assertEquals("staff", lists.update(f.account, a.sid().value(), "staff").friendlyName()); // same name: no clash
    }

    @Test
    void update_renames_andKeepsDateCreated() {
        CredentialList l = lists.create(f.account, "before");
        CredentialList renamed = lists.update(f.account, l.sid().value(), "after");
        assertEquals("after", renamed.friendlyName());
        assertEquals(l.dateCreated(), renamed.dateCreated());
        assertTrue(renamed.dateUpdated().isAfter(l.dateUpdated()));
        assertEquals(renamed, lists.fetch(f.account, l.sid().value()));
    }

    @Test
    void anotherAccountsList_isNotFound() {
        CredentialList l = lists.create(f.account, "mine");
        assertApiError(404, NOT_FOUND, () -> lists.fetch(f.otherAccount, l.sid().value()));
        assertApiError(404, NOT_FOUND, () -> lists.update(f.otherAccount, l.sid().value(), "x"));
        assertApiError(404, NOT_FOUND, () -> lists.delete(f.otherAccount, l.sid().value()));
        assertTrue(lists.list(f.otherAccount, PageRequest.first()).items().isEmpty());
        assertEquals(List.of(l), lists.list(f.account, PageRequest.first()).items());
    }

    @Test
    void malformedSid_isNotFound() {
        assertApiError(404, NOT_FOUND, () -> lists.fetch(f.account, "CL123"));
        assertApiError(404, NOT_FOUND, () -> lists.fetch(f.account, "TK0123456789abcdef0123456789abcdef"));
        assertApiError(404, NOT_FOUND, () -> lists.delete(f.account, "CL0123456789abcdef0123456789abcdez"));
    }

    @Test
    void delete_removesCredentialsAndEveryMapping_inOneWrite() {
        CredentialList l = lists.create(f.account, "doomed");
        String sid = l.sid().value();
        f.provisioning.credentials().create(f.account, sid, "alice", GOOD_PASSWORD);
        f.provisioning.credentials().create(f.account, sid, "bob", GOOD_PASSWORD);
        String trunk = f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName("t.example.com").build())
                .sid().value();
        String domain = f.provisioning.sipDomains().create(f.account,
                SipDomainInput.builder().domainName("d.example.com").build()).sid().value();
        CredentialListMappingService mappings = f.provisioning.mappings();
        mappings.create(f.account, MappingKind.TRUNK, trunk, sid);
        mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain, sid);
        mappings.create(f.account, MappingKind.DOMAIN_REGISTRATIONS, domain, sid);
        List<ChangeEvent.Type> types = new ArrayList<>();
        f.store.subscribe(e -> types.add(e.type()));

        lists.delete(f.account, sid);

        assertEquals(List.of(ChangeEvent.Type.CREDENTIAL_DELETED, ChangeEvent.Type.CREDENTIAL_DELETED,
                ChangeEvent.Type.MAPPING_DELETED, ChangeEvent.Type.MAPPING_DELETED, ChangeEvent.Type.MAPPING_DELETED,
                ChangeEvent.Type.CREDENTIAL_LIST_DELETED), types);
        assertApiError(404, NOT_FOUND, () -> lists.fetch(f.account, sid));
        assertApiError(404, NOT_FOUND, () -> lists.delete(f.account, sid));
        assertTrue(mappings.list(f.account, MappingKind.TRUNK, trunk, PageRequest.first()).items().isEmpty());
        assertTrue(mappings.list(f.account, MappingKind.DOMAIN_CALLS, domain, PageRequest.first()).items().isEmpty());
        assertTrue(f.store.credentialsOf(l.sid()).isEmpty());
        lists.create(f.account, "doomed"); // the name is free again
    }

    @Test
    void validationFailure_publishesNothing() {
        List<ChangeEvent> events = new ArrayList<>();
        f.store.subscribe(events::add);
        assertApiError(400, CREDENTIAL_LIST_INVALID, () -> lists.create(f.account, "x".repeat(65)));
        assertTrue(events.isEmpty());
        CredentialList l = lists.create(f.account, "ok");
        assertEquals(List.of(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_CHANGED, f.account, l.sid(), null)), events);
    }
}
