package org.sipauth.core.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.sipauth.core.store.Store;

/** What every service shares: the store, the clock, the realm and the domain-name policy. */
final class Context {

    /** How far {@link #now()} may run ahead of the clock to keep readings distinct. */
    static final long MAX_LEAD_MILLIS = 1_000;

    private final Store store;
    private final Clock clock;
    private final String realm;
    private final String requiredDomainSuffix;
    private final AtomicLong lastMillis = new AtomicLong(Long.MIN_VALUE);

    Context(Store store, Clock clock, String realm, String requiredDomainSuffix) {
        this.store = store;
        this.clock = clock;
        this.realm = realm;
        this.requiredDomainSuffix = requiredDomainSuffix;
    }

    Store store() {
        return store;
    }

    String realm() {
        return realm;
    }

    String requiredDomainSuffix() {
        return requiredDomainSuffix;
    }

    /**
     * The clock at millisecond precision, which every store round-trips exactly (keyset page tokens
     * rely on it), made strictly increasing within this process.
     *
     * <p>Why: lists are ordered by {@code (dateCreated, sid)}, and rows created in the same
     * millisecond would otherwise come back in the order of their random SIDs rather than the order
     * they were created in. A reading at or just behind the previous one becomes previous + 1 ms, as
     * long as that stays within {@link #MAX_LEAD_MILLIS} of the clock; beyond that (over 1,000 writes a
     * second, sustained) readings tie and SIDs break the ties. A clock stepped back by more than that
     * lead is taken as it is: rows are dated by the clock, not held at a stale maximum.
     */
    Instant now() {
        long reading = clock.millis();
        long next = lastMillis.updateAndGet(last -> {
            if (reading > last || reading < last - MAX_LEAD_MILLIS) {
                return reading;
            }
            return last + 1 - reading <= MAX_LEAD_MILLIS ? last + 1 : last;
        });
        return Instant.ofEpochMilli(next);
    }
}
