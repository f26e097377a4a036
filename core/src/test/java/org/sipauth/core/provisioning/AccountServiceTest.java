package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Account;
import org.sipauth.core.store.memory.MemoryStore;

class AccountServiceTest {

    private static final String SID = "AC" + "0123456789abcdef".repeat(2);
    private final MemoryStore store = new MemoryStore();
    private final AccountService accounts = Provisioning.builder().store(store).realm("r").build().accounts();

    @Test
    void ensure_createsOnce_thenKeepsOrRotatesTheToken() {
        assertTrue(accounts.isEmpty());
        Account first = accounts.ensure(SID, "secret-token");
        assertFalse(accounts.isEmpty());
        assertEquals(first, accounts.ensure(SID, "secret-token"));
        assertTrue(accounts.authenticate(SID, "secret-token").isPresent());

        Account rotated = accounts.ensure(SID, "new-token");
        assertEquals(first.dateCreated(), rotated.dateCreated());
        assertTrue(accounts.authenticate(SID, "new-token").isPresent());
        assertTrue(accounts.authenticate(SID, "secret-token").isEmpty());
        assertEquals(1, store.accountCount());
    }

    @Test
    void ensure_rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> accounts.ensure("AC123", "token"));
        assertThrows(IllegalArgumentException.class, () -> accounts.ensure(SID, ""));
        assertThrows(IllegalArgumentException.class, () -> accounts.ensure(SID, "has space"));
        assertThrows(IllegalArgumentException.class, () -> accounts.ensure(SID, "x".repeat(257)));
    }

    @Test
    void authenticate_acceptsOnlyTheRightPair() {
        accounts.ensure(SID, "secret-token");
        Account other = accounts.ensure("AC" + "f".repeat(32), "other-token");
        assertEquals(SID, accounts.authenticate(SID, "secret-token").orElseThrow().sid().value());
        assertTrue(accounts.authenticate(SID, "secret-tokeN").isEmpty());
        assertTrue(accounts.authenticate(SID, "secret-token ").isEmpty());
        assertTrue(accounts.authenticate(SID, "").isEmpty());
        assertTrue(accounts.authenticate(SID, null).isEmpty());
        assertTrue(accounts.authenticate(null, "secret-token").isEmpty());
        assertTrue(accounts.authenticate(SID, "other-token").isEmpty());
        assertTrue(accounts.authenticate(other.sid().value(), "secret-token").isEmpty());
        assertTrue(accounts.authenticate("AC" + "e".repeat(32), "secret-token").isEmpty());
        assertTrue(accounts.authenticate("AC123", "secret-token").isEmpty());
        assertTrue(accounts.authenticate(SID, "x".repeat(10_000)).isEmpty());
        // SIDs are case-insensitive in their hex digits
        assertTrue(accounts.authenticate("AC" + SID.substring(2).toUpperCase(Locale.ROOT), "secret-token").isPresent());
    }

    @Test
    void authenticate_refusesAnInactiveAccount() {
        Account a = accounts.ensure(SID, "secret-token");
        store.updateAccount(new Account(a.sid(), a.friendlyName(), a.authTokenSha256(), Account.Status.SUSPENDED,
                a.dateCreated(), a.dateUpdated()));
        assertTrue(accounts.authenticate(SID, "secret-token").isEmpty());
    }

    @Test
    void create_returnsATokenOnce_andKeepsOnlyItsHash() {
        NewAccount created = accounts.create(null);
        String token = created.authToken();
        assertTrue(token.matches("[0-9a-f]{32}"), token);
        Account stored = store.findAccount(created.account().sid()).orElseThrow();
        assertNotEquals(token, stored.authTokenSha256());
        assertEquals(Ha1Calculator.sha256Hex(token), stored.authTokenSha256());
        assertFalse(created.toString().contains(token));
        assertFalse(stored.toString().contains(stored.authTokenSha256()));
        assertEquals(created.account(), accounts.authenticate(created.account().sid().value(), token).orElseThrow());
        assertNotEquals(token, accounts.create("second").authToken());
    }
}
