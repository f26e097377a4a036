package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;

/** An account SID taken from a URL in uppercase hex addresses the same resources. */
class AccountSidCaseTest {

    private final Fixture f = new Fixture();
    @Test
    void everyServiceTreatsHexCaseOfTheAccountSidAlike() {
        Sid mixed = f.provisioning.accounts().ensure("AC" + "abcdef0123456789".repeat(2), "tok").sid();
        Sid shouted = Sid.of(SidKind.ACCOUNT, "AC" + "ABCDEF0123456789".repeat(2));
        CredentialList l = f.provisioning.credentialLists().create(shouted, "l");
        assertEquals(mixed, l.accountSid());
        assertEquals(l, f.provisioning.credentialLists().fetch(mixed, l.sid().value()));
        Credential c = f.provisioning.credentials().create(shouted, l.sid().value(), "alice", Fixture.GOOD_PASSWORD);
        assertEquals(mixed, c.accountSid());
        assertEquals(c, f.provisioning.credentials().fetch(mixed, l.sid().value(), c.sid().value()));
        Trunk t = f.provisioning.trunks().create(mixed, TrunkInput.builder().domainName("x.example.com").build());
        f.provisioning.mappings().create(shouted, MappingKind.TRUNK, t.sid().value(), l.sid().value());
        assertEquals(1, f.provisioning.mappings().list(mixed, MappingKind.TRUNK, t.sid().value(), PageRequest.first())
                .items().size());
        f.provisioning.credentialLists().delete(shouted, l.sid().value());
        assertEquals(0, f.store.credentialsOf(l.sid()).size());
    }
}
