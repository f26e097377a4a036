package org.sipauth.server;

import java.time.Clock;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.store.Store;

/** Real engines for the integration tests, configured the way each test needs. */
final class Engines {

    private Engines() {
    }

    /** SHA-256 and MD5 offered, in that order, with the test's clock. */
    static InviteAuthorizer authorizer(Store store, String realm, Clock clock) {
        return InviteAuthorizer.builder().store(store).realm(realm).clock(clock).algorithms("SHA-256", "MD5").build();
    }

    /**
     * MD5 only, for SIPp (it answers only the first challenge and only MD5). Every SIPp call comes
     * from 127.0.0.1, so the per-source failure throttle is raised out of the way of the
     * wrong-password run, which would otherwise turn into 403s after ten failures.
     */
    static InviteAuthorizer md5Only(Store store, String realm, Clock clock) {
        return InviteAuthorizer.builder().store(store).realm(realm).clock(clock).algorithms("MD5")
                .throttle(1_000_000, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(1)).build();
    }
}
