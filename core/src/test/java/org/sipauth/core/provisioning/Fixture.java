package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.core.testing.TestClock;

/** A provisioning stack over a fresh {@link MemoryStore} with two accounts and a controllable clock. */
final class Fixture {

    static final String REALM = "sip.example.com";
    static final String GOOD_PASSWORD = "Str0ngPassw0rd";

    final TestClock clock = TestClock.ticking();
    final MemoryStore store = new MemoryStore();
    final Provisioning provisioning;
    final Sid account;
    final Sid otherAccount;

    Fixture() {
        this(null);
    }

    Fixture(String requiredDomainSuffix) {
        provisioning = Provisioning.builder().store(store).clock(clock).realm(REALM)
                .requiredDomainSuffix(requiredDomainSuffix).build();
        account = provisioning.accounts().ensure("AC" + "1".repeat(32), "token-one").sid();
        otherAccount = provisioning.accounts().ensure("AC" + "2".repeat(32), "token-two").sid();
    }

    static ApiException assertApiError(int status, int code, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.httpStatus(), () -> "status of: " + e.getMessage());
        assertEquals(code, e.code(), () -> "code of: " + e.getMessage());
        return e;
    }
}
