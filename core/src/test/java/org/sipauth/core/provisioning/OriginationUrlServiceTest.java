package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.ChangeEvent;

class OriginationUrlServiceTest {

    private final Fixture f = new Fixture();
    private final OriginationUrlService urls = f.provisioning.originationUrls();
    private final String trunk = f.provisioning.trunks().create(f.account,
            TrunkInput.builder().domainName("t.example.com").build()).sid().value();
    private final String domain = f.provisioning.sipDomains().create(f.account,
            SipDomainInput.builder().domainName("d.example.com").build()).sid().value();

    private String target(SidKind kind) {
        return kind == SidKind.TRUNK ? trunk : domain;
    }

    private static int code(SidKind kind) {
        return kind == SidKind.TRUNK ? TRUNK_INVALID : DOMAIN_INVALID;
    }

    private static OriginationUrlInput.Builder valid() {
        return OriginationUrlInput.builder().friendlyName("primary").sipUrl("sip:pbx.example.net:5080;transport=tcp")
                .priority(10).weight(10).enabled(true);
    }

    @ParameterizedTest
    @EnumSource(value = SidKind.class, names = {"TRUNK", "SIP_DOMAIN"})
    void create_fetch_list_update_delete(SidKind kind) {
        OriginationUrl u = urls.create(f.account, kind, target(kind), valid().build());
        assertTrue(u.sid().value().matches("OU[0-9a-f]{32}"), u.sid().value());
        assertEquals(f.account, u.accountSid());
        assertEquals(target(kind), u.targetSid().value());
        assertEquals("primary", u.friendlyName());
        assertEquals("sip:pbx.example.net:5080;transport=tcp", u.sipUrl());
        assertEquals(10, u.priority());
        assertEquals(10, u.weight());
        assertTrue(u.enabled());
        assertEquals(u, urls.fetch(f.account, kind, target(kind), "OU" + u.sid().value().substring(2).toUpperCase(java.util.Locale.ROOT)));
        assertEquals(List.of(u), urls.list(f.account, kind, target(kind), PageRequest.first()).items());

        OriginationUrl updated = urls.update(f.account, kind, target(kind), u.sid().value(),
                OriginationUrlInput.builder().priority("0").weight("65535").enabled("FALSE").build());
        assertEquals(0, updated.priority());
        assertEquals(65535, updated.weight());
        assertFalse(updated.enabled());
        assertEquals("primary", updated.friendlyName(), "not sent, unchanged");
        assertTrue(updated.dateUpdated().isAfter(u.dateUpdated()));
        assertEquals(updated, urls.fetch(f.account, kind, target(kind), u.sid().value()));

        urls.delete(f.account, kind, target(kind), u.sid().value());
        assertApiError(404, NOT_FOUND, () -> urls.fetch(f.account, kind, target(kind), u.sid().value()));
        assertApiError(404, NOT_FOUND, () -> urls.delete(f.account, kind, target(kind), u.sid().value()));
    }

    @ParameterizedTest
    @EnumSource(value = SidKind.class, names = {"TRUNK", "SIP_DOMAIN"})
    void everyParameterIsRequiredOnCreate_withTheTargetsCode(SidKind kind) {
        List<OriginationUrlInput> missingOne = List.of(valid().friendlyName(null).build(), valid().sipUrl(null).build(),
                valid().priority(null).build(), valid().weight(null).build(), valid().enabled(null).build(),
                valid().friendlyName("").build());
        for (OriginationUrlInput input : missingOne) {
            ApiException e = assertApiError(400, code(kind), () -> urls.create(f.account, kind, target(kind), input));
            assertTrue(e.getMessage().startsWith("Missing required parameter"), e.getMessage());
        }
        OriginationUrl created = urls.create(f.account, kind, target(kind), valid().build());
        assertEquals(List.of(created), f.store.originationUrlsOf(created.targetSid()), "only the valid one was stored");
    }

    @Test
    void ranges_areTwiliosOnCreateAndUpdate() {
        for (String priority : new String[] {"-1", "65536", "ten", "1.5", "99999999999999"}) {
            assertApiError(400, TRUNK_INVALID, () -> urls.create(f.account, SidKind.TRUNK, trunk,
                    valid().priority(priority).build()));
        }
        for (String weight : new String[] {"0", "65536", "", "-3"}) {
            assertApiError(400, TRUNK_INVALID, () -> urls.create(f.account, SidKind.TRUNK, trunk,
                    valid().weight(weight).build()));
        }
        assertApiError(400, TRUNK_INVALID, () -> urls.create(f.account, SidKind.TRUNK, trunk, valid().enabled("yes").build()));
        assertApiError(400, TRUNK_INVALID, () -> urls.create(f.account, SidKind.TRUNK, trunk,
                valid().friendlyName("x".repeat(65)).build()));
        OriginationUrl edge = urls.create(f.account, SidKind.TRUNK, trunk, valid().priority(65535).weight(1).build());
        assertApiError(400, TRUNK_INVALID, () -> urls.update(f.account, SidKind.TRUNK, trunk, edge.sid().value(),
                OriginationUrlInput.builder().weight(0).build()));
        assertApiError(400, TRUNK_INVALID, () -> urls.update(f.account, SidKind.TRUNK, trunk, edge.sid().value(),
                OriginationUrlInput.builder().friendlyName("").build()));
        assertEquals(edge, urls.fetch(f.account, SidKind.TRUNK, trunk, edge.sid().value()), "a refused update changes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:pbx.example.net", "SIP:PBX.Example.NET", "sips:pbx.example.net:5061;transport=tls",
        "sip:192.0.2.10", "sip:192.0.2.10:5060;transport=udp", "sip:[2001:db8::10]", "sip:[::1]:5070;transport=TCP",
        "sip:a-1.b", "sip:localhost"})
    void sipUrl_accepted(String sipUrl) {
        assertEquals(sipUrl, urls.create(f.account, SidKind.TRUNK, trunk, valid().sipUrl(sipUrl).build()).sipUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://pbx.example.net", "pbx.example.net", "sip:", "sip:user@pbx.example.net",
        "sip:pbx.example.net:0", "sip:pbx.example.net:65536", "sip:pbx.example.net:", "sip:pbx.example.net:50a",
        "sip:pbx.example.net;transport=sctp", "sip:pbx.example.net;lr", "sip:pbx.example.net?x=y", "sip:-pbx.example",
        "sip:pbx..example", "sip:pbx.example.", "sip:256.1.1.1", "sip:1.2.3", "sip:[2001:db8::zz]", "sip:[fe80::1%eth0]",
        "sip:2001:db8::1", "sip:[]", "sip:pbx example.net", "tel:+15551234567"})
    void sipUrl_refused(String sipUrl) {
        ApiException e = assertApiError(400, DOMAIN_INVALID, () -> urls.create(f.account, SidKind.SIP_DOMAIN, domain,
                valid().sipUrl(sipUrl).build()));
        assertTrue(e.getMessage().startsWith("SipUrl"), e.getMessage());
    }

    @Test
    void aTargetHoldsAtMostOneHundred() {
        for (int i = 0; i < OriginationUrlService.MAX_PER_TARGET; i++) {
            urls.create(f.account, SidKind.TRUNK, trunk, valid().sipUrl("sip:h" + i + ".example.net").build());
        }
        ApiException e = assertApiError(400, TRUNK_INVALID,
                () -> urls.create(f.account, SidKind.TRUNK, trunk, valid().build()));
        assertTrue(e.getMessage().contains("at most 100"), e.getMessage());
        urls.create(f.account, SidKind.SIP_DOMAIN, domain, valid().build());
    }

    @Test
    void otherAccountsAndTargets_areNotFound() {
        OriginationUrl u = urls.create(f.account, SidKind.TRUNK, trunk, valid().build());
        String sid = u.sid().value();
        assertApiError(404, NOT_FOUND, () -> urls.create(f.otherAccount, SidKind.TRUNK, trunk, valid().build()));
        assertApiError(404, NOT_FOUND, () -> urls.list(f.otherAccount, SidKind.TRUNK, trunk, PageRequest.first()));
        assertApiError(404, NOT_FOUND, () -> urls.fetch(f.otherAccount, SidKind.TRUNK, trunk, sid));
        assertApiError(404, NOT_FOUND, () -> urls.update(f.otherAccount, SidKind.TRUNK, trunk, sid, valid().build()));
        assertApiError(404, NOT_FOUND, () -> urls.delete(f.otherAccount, SidKind.TRUNK, trunk, sid));
        assertApiError(404, NOT_FOUND, () -> urls.fetch(f.account, SidKind.SIP_DOMAIN, domain, sid));
        assertApiError(404, NOT_FOUND, () -> urls.fetch(f.account, SidKind.TRUNK, domain, sid));
        assertApiError(404, NOT_FOUND, () -> urls.fetch(f.account, SidKind.TRUNK, trunk, "OUnot-a-sid"));
        assertApiError(404, NOT_FOUND, () -> urls.create(f.account, SidKind.TRUNK, "TK" + "0".repeat(32), valid().build()));
        assertEquals(u, urls.fetch(f.account, SidKind.TRUNK, trunk, sid));
    }

    @Test
    void updateWithoutParameters_returnsTheUrlUnchanged_withoutAnEvent() {
        OriginationUrl u = urls.create(f.account, SidKind.TRUNK, trunk, valid().build());
        List<ChangeEvent> events = new ArrayList<>();
        f.store.subscribe(events::add);
        assertEquals(u, urls.update(f.account, SidKind.TRUNK, trunk, u.sid().value(),
                OriginationUrlInput.builder().build()));
        assertEquals(u, urls.fetch(f.account, SidKind.TRUNK, trunk, u.sid().value()));
        assertTrue(events.isEmpty());
    }
}
