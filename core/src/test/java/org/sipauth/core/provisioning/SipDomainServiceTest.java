package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.DOMAIN_INVALID;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.SipDomain;

class SipDomainServiceTest {

    private final Fixture f = new Fixture();
    private final SipDomainService domains = f.provisioning.sipDomains();

    private SipDomain create(SipDomainInput.Builder input) {
        return domains.create(f.account, input.build());
    }

    @Test
    void domainName_isRequired() {
        assertApiError(400, DOMAIN_INVALID, () -> create(SipDomainInput.builder().friendlyName("x")));
        assertApiError(400, DOMAIN_INVALID, () -> create(SipDomainInput.builder().domainName("")));
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com"));
        assertApiError(400, DOMAIN_INVALID, () -> domains.update(f.account, d.sid().value(),
                SipDomainInput.builder().domainName("").build()));
    }

    @Test
    void create_withOnlyDomainName_usesTwilioDefaults() {
        SipDomain d = create(SipDomainInput.builder().domainName("Office.Example.com"));
        assertEquals("office.example.com", d.domainName());
        assertNull(d.friendlyName());
        assertNull(d.voiceUrl());
        assertEquals("POST", d.voiceMethod());
        assertEquals("POST", d.voiceFallbackMethod());
        assertEquals("POST", d.voiceStatusCallbackMethod());
        assertFalse(d.sipRegistration());
        assertFalse(d.emergencyCallingEnabled());
        assertFalse(d.secure());
        assertNull(d.byocTrunkSid());
        assertNull(d.emergencyCallerSid());
    }

    @Test
    void create_storesEveryField() {
        String by = "BY" + "a".repeat(32);
        String pn = "PN" + "b".repeat(32);
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com").friendlyName("Office")
                .voiceUrl("https://app.example.com/voice").voiceMethod("get")
                .voiceFallbackUrl("http://fb.example.com/").voiceFallbackMethod("GET")
                .voiceStatusCallbackUrl("https://cb.example.com/s").voiceStatusCallbackMethod("post")
                .sipRegistration(true).emergencyCallingEnabled("true").secure("True")
                .byocTrunkSid(by).emergencyCallerSid(pn));
        assertEquals("Office", d.friendlyName());
        assertEquals("https://app.example.com/voice", d.voiceUrl());
        assertEquals("GET", d.voiceMethod());
        assertEquals("http://fb.example.com/", d.voiceFallbackUrl());
        assertEquals("GET", d.voiceFallbackMethod());
        assertEquals("https://cb.example.com/s", d.voiceStatusCallbackUrl());
        assertEquals("POST", d.voiceStatusCallbackMethod());
        assertTrue(d.sipRegistration());
        assertTrue(d.emergencyCallingEnabled());
        assertTrue(d.secure());
        assertEquals(by, d.byocTrunkSid());
        assertEquals(pn, d.emergencyCallerSid());
        assertEquals(d, domains.fetch(f.account, d.sid().value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"voiceMethod", "voiceUrl", "sipRegistration", "byocTrunkSid", "emergencyCallerSid",
            "friendlyName", "domainName"})
    void invalidParameters_areRejectedWithTheDomainCode(String param) {
        SipDomainInput.Builder b = SipDomainInput.builder().domainName("d.example.com");
        switch (param) {
            case "voiceMethod" -> b.voiceMethod("DELETE");
            case "voiceUrl" -> b.voiceUrl("not a url");
            case "sipRegistration" -> b.sipRegistration("maybe");
            case "byocTrunkSid" -> b.byocTrunkSid("BY123");
            case "emergencyCallerSid" -> b.emergencyCallerSid("BY" + "a".repeat(32));
            case "friendlyName" -> b.friendlyName("f".repeat(65));
            default -> b.domainName("under_score.example.com");
        }
        assertApiError(400, DOMAIN_INVALID, () -> create(b));
    }

    @Test
    void domainName_isUniqueAcrossDomainsAndTrunks_caseInsensitively() {
        create(SipDomainInput.builder().domainName("d.example.com"));
        assertApiError(400, DOMAIN_INVALID, () -> create(SipDomainInput.builder().domainName("D.EXAMPLE.COM")));
        f.provisioning.trunks().create(f.otherAccount, TrunkInput.builder().domainName("t.example.com").build());
        assertApiError(400, DOMAIN_INVALID, () -> create(SipDomainInput.builder().domainName("T.example.com")));
    }

    @Test
    void update_changesOnlyWhatWasSent() {
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com").voiceUrl("https://a.example/v"));
        SipDomain u = domains.update(f.account, d.sid().value(), SipDomainInput.builder().sipRegistration(true).build());
        assertEquals("https://a.example/v", u.voiceUrl());
        assertTrue(u.sipRegistration());
        SipDomain cleared = domains.update(f.account, d.sid().value(), SipDomainInput.builder().voiceUrl("")
                .domainName("e.example.com").build());
        assertNull(cleared.voiceUrl());
        assertEquals("e.example.com", cleared.domainName());
        create(SipDomainInput.builder().domainName("d.example.com")); // released by the rename
    }

    @Test
    void anotherAccountsDomain_isNotFound() {
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com"));
        assertApiError(404, NOT_FOUND, () -> domains.fetch(f.otherAccount, d.sid().value()));
        assertApiError(404, NOT_FOUND, () -> domains.update(f.otherAccount, d.sid().value(),
                SipDomainInput.builder().friendlyName("x").build()));
        assertApiError(404, NOT_FOUND, () -> domains.delete(f.otherAccount, d.sid().value()));
        assertApiError(404, NOT_FOUND, () -> domains.fetch(f.account, "SD0"));
        assertApiError(404, NOT_FOUND, () -> domains.fetch(f.account, "TK" + d.sid().value().substring(2)));
        domains.delete(f.account, d.sid().value());
        assertApiError(404, NOT_FOUND, () -> domains.fetch(f.account, d.sid().value()));
    }

    @Test
    void digestAlgorithms_absentByDefault_storedInCanonicalSpellingAndOrder_keptUnlessSent_clearedByEmpty() {
        assertNull(create(SipDomainInput.builder().domainName("a.example.com")).digestAlgorithms());
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com").digestAlgorithms("SHA-256,md5"));
        assertEquals(List.of("SHA-256", "MD5"), d.digestAlgorithms());
        SipDomain u = domains.update(f.account, d.sid().value(), SipDomainInput.builder().sipRegistration(true).build());
        assertEquals(List.of("SHA-256", "MD5"), u.digestAlgorithms(), "not sent: unchanged");
        SipDomain cleared = domains.update(f.account, d.sid().value(), SipDomainInput.builder().digestAlgorithms("").build());
        assertNull(cleared.digestAlgorithms());
        assertEquals(cleared, domains.fetch(f.account, d.sid().value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD4", "SHA-256,sha-256", "MD5,", "AKAv1-MD5"})
    void digestAlgorithms_invalid_isRejectedWithTheDomainCode(String value) {
        assertApiError(400, DOMAIN_INVALID, () -> create(SipDomainInput.builder().domainName("d.example.com")
                .digestAlgorithms(value)));
        SipDomain d = create(SipDomainInput.builder().domainName("d.example.com"));
        assertApiError(400, DOMAIN_INVALID, () -> domains.update(f.account, d.sid().value(),
                SipDomainInput.builder().digestAlgorithms(value).build()));
        assertNull(domains.fetch(f.account, d.sid().value()).digestAlgorithms());
    }
}
