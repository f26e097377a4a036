package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.DOMAIN_INVALID;
import static org.sipauth.core.provisioning.ApiException.IP_ACCESS_CONTROL_LIST_INVALID;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.ApiException.TRUNK_INVALID;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;

/** IpAccessControlLists, IpAddresses and their mappings, with Twilio's rules and limits. */
class IpAccessControlListServicesTest {

    private final Fixture f = new Fixture();
    private final IpAccessControlListService lists = f.provisioning.ipAccessControlLists();
    private final IpAddressService addresses = f.provisioning.ipAddresses();
    private final IpAccessControlListMappingService mappings = f.provisioning.ipAccessControlListMappings();
    private final IpAccessControlList acl = lists.create(f.account, "office");
    private final String al = acl.sid().value();

    @Test
    void list_createFetchRenameDelete_scopedToItsAccount() {
        assertEquals("office", lists.fetch(f.account, al).friendlyName());
        assertApiError(404, NOT_FOUND, () -> lists.fetch(f.otherAccount, al));
        assertEquals("x".repeat(255), lists.update(f.account, al, "x".repeat(255)).friendlyName());
        assertEquals(List.of(lists.fetch(f.account, al)), lists.list(f.account, PageRequest.first()).items());
        lists.delete(f.account, al);
        assertApiError(404, NOT_FOUND, () -> lists.delete(f.account, al));
    }

    @Test
    void list_friendlyName_isRequired_andAtMost255() {
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> lists.create(f.account, null));
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> lists.create(f.account, "x".repeat(256)));
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> lists.update(f.account, al, ""));
    }

    @Test
    void anAccount_holdsAtMost1000Lists() {
        for (int i = 1; i < IpAccessControlListService.MAX_PER_ACCOUNT; i++) {
            lists.create(f.account, "l" + i);
        }
        ApiException e = assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> lists.create(f.account, "one more"));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
        lists.create(f.otherAccount, "theirs");
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,,32", "10.0.0.0,8,8", "0.0.0.0,0,0", "2001:db8::,32,32", "::1,,128", "::,0,0",
            "::ffff:192.0.2.1,,128", "192.0.2.1, 24 ,24"})
    void address_createsWithThePrefix_orTheWholeAddress(String ip, String prefix, int expected) {
        IpAddress a = addresses.create(f.account, al, "entry", ip, prefix);
        assertEquals(ip, a.ipAddress());
        assertEquals(expected, a.cidrPrefixLength());
        assertEquals(acl.sid(), a.ipAccessControlListSid());
        assertEquals(a, addresses.fetch(f.account, al, a.sid().value()));
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.*,", "10.0.0,", "host.example.com,", "10.0.0.1,33", "10.0.0.1,-1", "10.0.0.1,x",
            "::1,129", "' ',", "fe80::1%eth0,"})
    void address_refusesBadAddressesAndPrefixes(String ip, String prefix) {
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> addresses.create(f.account, al, "entry", ip, prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FriendlyName", "IpAddress"})
    void address_requiresFriendlyNameAndIpAddress(String missing) {
        String name = missing.equals("FriendlyName") ? null : "entry";
        String ip = missing.equals("IpAddress") ? null : "10.0.0.1";
        ApiException e = assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID,
                () -> addresses.create(f.account, al, name, ip, null));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void address_updateChangesWhatIsSent_andKeepsAPrefixThatFits() {
        IpAddress a = addresses.create(f.account, al, "entry", "2001:db8::", "48");
        IpAddress renamed = addresses.update(f.account, al, a.sid().value(), "renamed", null, null);
        assertEquals("renamed", renamed.friendlyName());
        assertEquals(48, renamed.cidrPrefixLength());
        IpAddress v4 = addresses.update(f.account, al, a.sid().value(), null, "10.0.0.0", null);
        assertEquals(32, v4.cidrPrefixLength(), "48 does not fit IPv4: the whole address");
        assertEquals(8, addresses.update(f.account, al, a.sid().value(), null, null, "8").cidrPrefixLength());
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID,
                () -> addresses.update(f.account, al, a.sid().value(), null, null, "33"));
        addresses.delete(f.account, al, a.sid().value());
        assertApiError(404, NOT_FOUND, () -> addresses.fetch(f.account, al, a.sid().value()));
    }

    @Test
    void aList_holdsAtMost100Addresses() {
        for (int i = 0; i < IpAddressService.MAX_PER_LIST; i++) {
            addresses.create(f.account, al, "e" + i, "10.0." + i + ".0", "24");
        }
        assertApiError(400, IP_ACCESS_CONTROL_LIST_INVALID, () -> addresses.create(f.account, al, "x", "10.1.0.0", null));
        assertEquals(100, addresses.list(f.account, al, PageRequest.first(1000)).items().size());
    }

    @Test
    void addresses_ofAnotherAccountsList_areNotFound() {
        assertApiError(404, NOT_FOUND, () -> addresses.create(f.otherAccount, al, "e", "10.0.0.1", null));
        assertApiError(404, NOT_FOUND, () -> addresses.list(f.otherAccount, al, PageRequest.first()));
    }

    @Test
    void mappings_onTrunksAndDomains_setAuthType_andGoWithTheList() {
        Trunk trunk = f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName("t.example.com").build());
        SipDomain domain = f.provisioning.sipDomains().create(f.account,
                SipDomainInput.builder().domainName("d.example.com").build());
        IpAccessControlListMapping m = mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), al);
        assertEquals(acl.sid(), m.sid());
        assertEquals("office", m.friendlyName());
        mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), al);
        assertApiError(400, TRUNK_INVALID, () -> mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), al));
        assertApiError(400, DOMAIN_INVALID,
                () -> mappings.create(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), al));
        assertApiError(400, TRUNK_INVALID, () -> mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), null));
        assertApiError(400, TRUNK_INVALID,
                () -> mappings.create(f.account, MappingKind.TRUNK, trunk.sid().value(), "CL" + "0".repeat(32)));
        assertThrows(IllegalArgumentException.class,
                () -> mappings.create(f.account, MappingKind.DOMAIN_REGISTRATIONS, domain.sid().value(), al));

        assertEquals(new AuthTypes(true, false), f.provisioning.trunks().authTypes(trunk));
        assertEquals("IP_ACL", f.provisioning.sipDomains().authTypes(domain).value());
        String cl = f.provisioning.credentialLists().create(f.account, "staff").sid().value();
        f.provisioning.mappings().create(f.account, MappingKind.TRUNK, trunk.sid().value(), cl);
        assertEquals(List.of("IP_ACL", "CREDENTIAL_LIST"), f.provisioning.trunks().authTypes(trunk).values());
        assertEquals("IP_ACL,CREDENTIAL_LIST", f.provisioning.trunks().authTypes(trunk).value());

        lists.delete(f.account, al);
        assertApiError(404, NOT_FOUND, () -> mappings.fetch(f.account, MappingKind.TRUNK, trunk.sid().value(), al));
        assertTrue(mappings.list(f.account, MappingKind.DOMAIN_CALLS, domain.sid().value(), PageRequest.first()).items()
                .isEmpty());
        assertEquals(new AuthTypes(false, true), f.provisioning.trunks().authTypes(trunk));
        assertEquals("", f.provisioning.sipDomains().authTypes(domain).value());
    }
}
