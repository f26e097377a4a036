package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.ApiException.TRUNK_DOMAIN_TAKEN;
import static org.sipauth.core.provisioning.ApiException.TRUNK_INVALID;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.Trunk;

class TrunkServiceTest {

    private final Fixture f = new Fixture();
    private final TrunkService trunks = f.provisioning.trunks();

    private Trunk create(TrunkInput.Builder input) {
        return trunks.create(f.account, input.build());
    }

    @Test
    void create_withNothing_usesTwilioDefaults() {
        Trunk t = create(TrunkInput.builder());
        assertNull(t.friendlyName());
        assertNull(t.domainName());
        assertNull(t.disasterRecoveryUrl());
        assertNull(t.disasterRecoveryMethod());
        assertEquals("disable-all", t.transferMode());
        assertEquals("from-transferee", t.transferCallerId());
        assertFalse(t.secure());
        assertFalse(t.cnamLookupEnabled());
        assertFalse(t.symmetricRtpEnabled());
        assertEquals(f.account, t.accountSid());
        assertEquals(t, trunks.fetch(f.account, t.sid().value()));
    }

    @Test
    void create_storesEveryField_normalized() {
        Trunk t = create(TrunkInput.builder().friendlyName("Main").domainName("PBX.Example.COM")
                .disasterRecoveryUrl("https://dr.example.com/voice").disasterRecoveryMethod("get")
                .transferMode("SIP-only").secure("TRUE").cnamLookupEnabled(true).transferCallerId("from-transferor"));
        assertEquals("Main", t.friendlyName());
        assertEquals("pbx.example.com", t.domainName());
        assertEquals("https://dr.example.com/voice", t.disasterRecoveryUrl());
        assertEquals("GET", t.disasterRecoveryMethod());
        assertEquals("sip-only", t.transferMode());
        assertTrue(t.secure());
        assertTrue(t.cnamLookupEnabled());
        assertEquals("from-transferor", t.transferCallerId());
    }

    @Test
    void friendlyName_of64Chars_isAccepted_of65_isRejected() {
        create(TrunkInput.builder().friendlyName("f".repeat(64)));
        assertApiError(400, TRUNK_INVALID, () -> create(TrunkInput.builder().friendlyName("f".repeat(65))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad_name.example.com", "-lead.example.com", "trail-.example.com", "a..b", ".a.b", "a.b.",
            "sp ace.example.com", "caf\u00e9.example.com", "a:5060", "a/b"})
    void domainName_thatIsNoHostName_isRejected(String name) {
        assertApiError(400, TRUNK_INVALID, () -> create(TrunkInput.builder().domainName(name)));
    }

    @Test
    void domainName_labelAndTotalLengthLimits() {
        create(TrunkInput.builder().domainName("l".repeat(63) + ".example.com"));
        assertApiError(400, TRUNK_INVALID, () -> create(TrunkInput.builder().domainName("l".repeat(64) + ".example.com")));
        String max = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)); // 253
        assertEquals(253, max.length());
        create(TrunkInput.builder().domainName(max));
        assertApiError(400, TRUNK_INVALID, () -> create(TrunkInput.builder().domainName(max + "d")));
    }

    @Test
    void domainName_isUniqueAcrossTrunksAndDomains_caseInsensitively() {
        create(TrunkInput.builder().domainName("pbx.example.com"));
        assertApiError(400, TRUNK_DOMAIN_TAKEN, () -> create(TrunkInput.builder().domainName("PBX.example.com")));
        assertApiError(400, TRUNK_DOMAIN_TAKEN, () -> trunks.create(f.otherAccount,
                TrunkInput.builder().domainName("pbx.example.com").build()));
        f.provisioning.sipDomains().create(f.account, SipDomainInput.builder().domainName("sip.example.com").build());
        assertApiError(400, TRUNK_DOMAIN_TAKEN, () -> create(TrunkInput.builder().domainName("Sip.Example.Com")));
    }

    @Test
    void requiredSuffix_isEnforced() {
        Fixture suffixed = new Fixture(".Trunks.Example.com");
        TrunkService service = suffixed.provisioning.trunks();
        assertEquals("a.trunks.example.com", service.create(suffixed.account,
                TrunkInput.builder().domainName("A.trunks.example.com").build()).domainName());
        for (String bad : new String[] {"trunks.example.com", "a.example.com", "atrunks.example.com"}) {
            assertApiError(400, TRUNK_INVALID, () -> service.create(suffixed.account,
                    TrunkInput.builder().domainName(bad).build()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"disasterRecoveryMethod", "transferMode", "secure", "cnamLookupEnabled", "transferCallerId",
            "disasterRecoveryUrl"})
    void enumeratedAndTypedParameters_rejectOtherValues(String param) {
        TrunkInput.Builder b = TrunkInput.builder();
        switch (param) {
            case "disasterRecoveryMethod" -> b.disasterRecoveryMethod("PUT");
            case "transferMode" -> b.transferMode("enable-some");
            case "secure" -> b.secure("yes");
            case "cnamLookupEnabled" -> b.cnamLookupEnabled("1");
            case "transferCallerId" -> b.transferCallerId("from-nobody");
            default -> b.disasterRecoveryUrl("ftp://dr.example.com/");
        }
        assertApiError(400, TRUNK_INVALID, () -> create(b));
    }

    @Test
    void update_changesOnlyWhatWasSent_andEmptyStringClears() {
        Trunk t = create(TrunkInput.builder().friendlyName("Main").domainName("a.example.com").secure(true));
        Trunk u = trunks.update(f.account, t.sid().value(), TrunkInput.builder().transferMode("enable-all").build());
        assertEquals("Main", u.friendlyName());
        assertEquals("a.example.com", u.domainName());
        assertTrue(u.secure());
        assertEquals("enable-all", u.transferMode());
        assertEquals(t.dateCreated(), u.dateCreated());
        assertTrue(u.dateUpdated().isAfter(t.dateUpdated()));
        Trunk cleared = trunks.update(f.account, t.sid().value(), TrunkInput.builder().friendlyName("").domainName("").build());
        assertNull(cleared.friendlyName());
        assertNull(cleared.domainName());
        create(TrunkInput.builder().domainName("a.example.com")); // released
    }

    @Test
    void update_toATakenDomainName_isRejected_andChangesNothing() {
        create(TrunkInput.builder().domainName("a.example.com"));
        Trunk b = create(TrunkInput.builder().domainName("b.example.com"));
        assertApiError(400, TRUNK_DOMAIN_TAKEN, () -> trunks.update(f.account, b.sid().value(),
                TrunkInput.builder().domainName("a.example.com").build()));
        assertEquals(b, trunks.fetch(f.account, b.sid().value()));
    }

    @Test
    void anotherAccountsTrunk_isNotFound_andMalformedSidsAreNotFound() {
        Trunk t = create(TrunkInput.builder());
        String sid = t.sid().value();
        assertApiError(404, NOT_FOUND, () -> trunks.fetch(f.otherAccount, sid));
        assertApiError(404, NOT_FOUND, () -> trunks.update(f.otherAccount, sid, TrunkInput.builder().build()));
        assertApiError(404, NOT_FOUND, () -> trunks.delete(f.otherAccount, sid));
        for (String bad : new String[] {"TK", "TK" + "0".repeat(31), "TK" + "0".repeat(33), "SD" + "0".repeat(32),
                "TK" + "g".repeat(32)}) {
            assertApiError(404, NOT_FOUND, () -> trunks.fetch(f.account, bad));
        }
        assertEquals(t, trunks.fetch(f.account, "TK" + sid.substring(2).toUpperCase(Locale.ROOT)));
    }

    @Test
    void delete_removesTheTrunk() {
        Trunk t = create(TrunkInput.builder().domainName("gone.example.com"));
        trunks.delete(f.account, t.sid().value());
        assertApiError(404, NOT_FOUND, () -> trunks.fetch(f.account, t.sid().value()));
        assertApiError(404, NOT_FOUND, () -> trunks.delete(f.account, t.sid().value()));
        assertTrue(f.store.authTargets().isEmpty());
    }

    @Test
    void digestAlgorithms_absentByDefault_storedInCanonicalSpellingAndOrder_keptUnlessSent_clearedByEmpty() {
        assertNull(create(TrunkInput.builder()).digestAlgorithms(), "no list of its own: the server-wide offer");
        Trunk t = create(TrunkInput.builder().domainName("pbx.example.com").digestAlgorithms("sha-256, MD5"));
        assertEquals(List.of("SHA-256", "MD5"), t.digestAlgorithms());
        assertEquals(t, trunks.fetch(f.account, t.sid().value()));
        Trunk renamed = trunks.update(f.account, t.sid().value(), TrunkInput.builder().friendlyName("x").build());
        assertEquals(List.of("SHA-256", "MD5"), renamed.digestAlgorithms(), "not sent: unchanged");
        Trunk reordered = trunks.update(f.account, t.sid().value(),
                TrunkInput.builder().digestAlgorithms("MD5,SHA-512-256-sess").build());
        assertEquals(List.of("MD5", "SHA-512-256-sess"), reordered.digestAlgorithms());
        Trunk cleared = trunks.update(f.account, t.sid().value(), TrunkInput.builder().digestAlgorithms("").build());
        assertNull(cleared.digestAlgorithms());
        assertEquals(cleared, trunks.fetch(f.account, t.sid().value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD4", "MD5,MD5", "md5,MD5", "SHA-256,", ",MD5", "MD5,,SHA-256", " ", "SHA256", "SHA-512",
            "MD5;SHA-256", "MD5 SHA-256"})
    void digestAlgorithms_unsupportedRepeatedOrEmptyEntries_areRejected(String value) {
        ApiException e = assertApiError(400, TRUNK_INVALID, () -> create(TrunkInput.builder().digestAlgorithms(value)));
        assertTrue(e.getMessage().startsWith("DigestAlgorithms"), e.getMessage());
        Trunk t = create(TrunkInput.builder().digestAlgorithms("MD5"));
        assertApiError(400, TRUNK_INVALID, () -> trunks.update(f.account, t.sid().value(),
                TrunkInput.builder().digestAlgorithms(value).build()));
        assertEquals(List.of("MD5"), trunks.fetch(f.account, t.sid().value()).digestAlgorithms());
    }
}
