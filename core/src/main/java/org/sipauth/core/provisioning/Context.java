package org.sipauth.core.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.sipauth.core.store.Store;

/** What every service shares: the store, the clock, the realm and the domain-name policy. */
record Context(Store store, Clock clock, String realm, String requiredDomainSuffix) {

    /** Millisecond precision, which every store round-trips exactly (keyset page tokens rely on it). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
