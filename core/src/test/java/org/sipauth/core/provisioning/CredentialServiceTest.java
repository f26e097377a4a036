package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.ApiException.CREDENTIAL_INVALID;
import static org.sipauth.core.provisioning.ApiException.NOT_FOUND;
import static org.sipauth.core.provisioning.Fixture.GOOD_PASSWORD;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

class CredentialServiceTest {

    private final Fixture f = new Fixture();
    private final CredentialService credentials = f.provisioning.credentials();
    private final String list = f.provisioning.credentialLists().create(f.account, "staff").sid().value();

    private Credential create(String username, String password) {
        return credentials.create(f.account, list, username, password);
    }

    // ---- password ------------------------------------------------------------------------------

    @Test
    void password_of12Chars_isAccepted_of11_isRejected() {
        create("twelve", "Abcdefghij12");
        ApiException e = assertApiError(400, CREDENTIAL_INVALID, () -> create("eleven", "Abcdefghi12"));
        assertFalse(e.getMessage().contains("Abcdefghi12"), "the message must not echo the password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijk1", "ABCDEFGHIJK1", "Abcdefghijkl", "Abcdefghij1\u0007", "Abcdefghij1\n"})
    void password_missingDigitLowerOrUpper_orWithControlChars_isRejected(String password) {
        ApiException e = assertApiError(400, CREDENTIAL_INVALID, () -> create("user", password));
        assertFalse(e.getMessage().contains(password));
    }

    @Test
    void password_upTo128Chars_isAccepted_129_isRejected() {
        String base = "Aa1";
        create("max", base + "x".repeat(125));
        assertApiError(400, CREDENTIAL_INVALID, () -> create("over", base + "x".repeat(126)));
    }

    @Test
    void password_nonAsciiCountsByCodePoint() {
        // 9 ASCII + 3 supplementary characters = 12 code points (15 UTF-16 units)
        create("emoji", "Abcdefgh1\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00");
        assertApiError(400, CREDENTIAL_INVALID, () -> create("emoji2", "Abcdefg1\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"));
    }

    @Test
    void password_isRequired() {
        ApiException e = assertApiError(400, CREDENTIAL_INVALID, () -> create("user", null));
        assertTrue(e.getMessage().contains("Password"));
        assertApiError(400, CREDENTIAL_INVALID, () -> create("user", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice0123456", "aLICE0123456", "ALICe0123456"})
    void password_equalToTheUsername_ignoringCase_isRejected_onCreateAndUpdate(String password) {
        ApiException e = assertApiError(400, CREDENTIAL_INVALID, () -> create("Alice0123456", password));
        assertTrue(e.getMessage().contains("Username"), e.getMessage());
        assertFalse(e.getMessage().contains("0123456"), "the message must not echo the password or username");
        Credential c = create("Alice0123456", GOOD_PASSWORD);
        assertApiError(400, CREDENTIAL_INVALID, () -> credentials.update(f.account, list, c.sid().value(), password));
        assertEquals(c, credentials.fetch(f.account, list, c.sid().value()));
    }

    @Test
    void password_containingTheUsername_butNotEqual_isAccepted() {
        create("Alice0123456", "Alice0123456x");
    }

    // ---- username ------------------------------------------------------------------------------

    @Test
    void username_of32Chars_isAccepted_of33_isRejected() {
        create("u".repeat(32), GOOD_PASSWORD);
        assertApiError(400, CREDENTIAL_INVALID, () -> create("v".repeat(33), GOOD_PASSWORD));
    }

    @Test
    void username_isRequired() {
        ApiException e = assertApiError(400, CREDENTIAL_INVALID, () -> create(null, GOOD_PASSWORD));
        assertTrue(e.getMessage().contains("Username"));
        assertApiError(400, CREDENTIAL_INVALID, () -> create("", GOOD_PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a\\b", "a b", "a\u0000b", "a\tb", "a:b", "a@b", "caf\u00e9", "a%41", "<a>"})
    void username_outsideTheCharset_isRejected(String username) {
        assertApiError(400, CREDENTIAL_INVALID, () -> create(username, GOOD_PASSWORD));
    }

    @Test
    void username_rfc3261UserSymbols_areAccepted() {
        assertEquals("a-b_c.d!~*'()&=+$,;?/Z9", create("a-b_c.d!~*'()&=+$,;?/Z9", GOOD_PASSWORD).username());
    }

    @Test
    void username_isUniquePerList_butNotAcrossLists() {
        create("alice", GOOD_PASSWORD);
        assertApiError(400, CREDENTIAL_INVALID, () -> create("alice", "An0therPassword"));
        String second = f.provisioning.credentialLists().create(f.account, "second").sid().value();
        credentials.create(f.account, second, "alice", GOOD_PASSWORD);
    }

    // ---- scoping and SIDs ------------------------------------------------------------------------

    @Test
    void anotherAccountsList_isNotFound() {
        Credential c = create("alice", GOOD_PASSWORD);
        assertApiError(404, NOT_FOUND, () -> credentials.create(f.otherAccount, list, "bob", GOOD_PASSWORD));
        assertApiError(404, NOT_FOUND, () -> credentials.fetch(f.otherAccount, list, c.sid().value()));
        assertApiError(404, NOT_FOUND, () -> credentials.list(f.otherAccount, list, PageRequest.first()));
        assertApiError(404, NOT_FOUND, () -> credentials.update(f.otherAccount, list, c.sid().value(), GOOD_PASSWORD));
        assertApiError(404, NOT_FOUND, () -> credentials.delete(f.otherAccount, list, c.sid().value()));
        assertEquals(c, credentials.fetch(f.account, list, c.sid().value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "CR", "CR123", "CL0123456789abcdef0123456789abcdef", "CR0123456789abcdef0123456789abcdeg",
            "CR0123456789abcdef0123456789abcdef0", "cr0123456789abcdef0123456789abcdef"})
    void malformedCredentialSid_isNotFound(String sid) {
        assertApiError(404, NOT_FOUND, () -> credentials.fetch(f.account, list, sid));
        assertApiError(404, NOT_FOUND, () -> credentials.delete(f.account, list, sid));
    }

    @Test
    void malformedOrUnknownListSid_isNotFound() {
        assertApiError(404, NOT_FOUND, () -> credentials.create(f.account, "CL123", "alice", GOOD_PASSWORD));
        assertApiError(404, NOT_FOUND, () -> credentials.create(f.account, Sid.random(SidKind.CREDENTIAL_LIST).value(),
                "alice", GOOD_PASSWORD));
    }

    @Test
    void uppercaseHexSid_findsTheSameCredential() {
        Credential c = create("alice", GOOD_PASSWORD);
        String upper = "CR" + c.sid().value().substring(2).toUpperCase(java.util.Locale.ROOT);
        assertEquals(c, credentials.fetch(f.account, "CL" + list.substring(2).toUpperCase(java.util.Locale.ROOT), upper));
    }

    // ---- update and delete --------------------------------------------------------------------------

    @Test
    void update_recomputesEveryHa1_andKeepsTheUsername() {
        Credential c = create("alice", GOOD_PASSWORD);
        Credential updated = credentials.update(f.account, list, c.sid().value(), "NewPassw0rd123");
        assertEquals("alice", updated.username());
        assertEquals(Ha1Calculator.compute("alice", Fixture.REALM, "NewPassw0rd123"), updated.ha1());
        assertNotEquals(c.ha1().md5(), updated.ha1().md5());
        assertNotEquals(c.ha1().sha256(), updated.ha1().sha256());
        assertNotEquals(c.ha1().sha512256(), updated.ha1().sha512256());
        assertTrue(updated.dateUpdated().isAfter(c.dateUpdated()));
        assertEquals(c.dateCreated(), updated.dateCreated());
        assertEquals(updated, f.store.credentialsOf(c.credentialListSid()).get(0));
    }

    @Test
    void update_withoutPassword_changesNothing_andWeakPasswordIsRejected() {
        Credential c = create("alice", GOOD_PASSWORD);
        assertEquals(c, credentials.update(f.account, list, c.sid().value(), null));
        assertApiError(400, CREDENTIAL_INVALID, () -> credentials.update(f.account, list, c.sid().value(), "weak"));
        assertEquals(c, credentials.fetch(f.account, list, c.sid().value()));
    }

    @Test
    void delete_removesTheCredential_andIsNotFoundTheSecondTime() {
        Credential c = create("alice", GOOD_PASSWORD);
        credentials.delete(f.account, list, c.sid().value());
        assertApiError(404, NOT_FOUND, () -> credentials.fetch(f.account, list, c.sid().value()));
        assertApiError(404, NOT_FOUND, () -> credentials.delete(f.account, list, c.sid().value()));
        assertTrue(f.store.credentialsOf(c.credentialListSid()).isEmpty());
    }

    @Test
    void credential_neverPrintsItsSecrets() {
        Credential c = create("alice", GOOD_PASSWORD);
        String text = c.toString();
        assertFalse(text.contains(GOOD_PASSWORD));
        assertFalse(text.contains(c.ha1().md5()));
        assertFalse(text.contains(c.ha1().sha256()));
    }
}
