package org.sipauth.core.lookup;

import java.time.Duration;
import java.util.List;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.Store;

/**
 * The engine's read side over a {@link Store}: host -> trunk or SIP domain with its digest offer and
 * allowed sources ({@link TargetIndex}) and credential list -> username -> packed HA1 record ({@link Ha1Cache}), kept
 * current by {@link #onChange}. Thread-safe; a lookup on a warm cache allocates nothing.
 *
 * <p>Internal: this package is not exported by the {@code org.sipauth.core} module. It is public
 * so that the engine in {@code org.sipauth.core.authz} and the benchmarks (on the class path) use
 * the same code; embedders use {@code InviteAuthorizer}.
 */
public final class CredentialLookup {

    private static final String REGISTER = "REGISTER";

    private final TargetIndex targets;
    private final Ha1Cache ha1s;

    /**
     * @param realm          only credentials whose HA1s were computed for this realm are used
     * @param defaultOffer   the digest offer of targets without a list of their own
     * @param maxCredentials weight bound of the HA1 cache
     * @param backstopTtl    expiry of cached HA1 tables
     */
    public CredentialLookup(Store store, String realm, DigestOffer defaultOffer, long maxCredentials,
                            Duration backstopTtl) {
        this.targets = new TargetIndex(store, defaultOffer);
        this.ha1s = new Ha1Cache(store, realm, maxCredentials, backstopTtl);
    }

    /** Applies one change event of the store's feed; called on the store's publishing thread. */
    public void onChange(ChangeEvent event) {
        targets.onEvent(event);
        switch (event.type()) {
            case CREDENTIAL_CHANGED, CREDENTIAL_DELETED -> {
                if (event.parentSid() != null) {
                    ha1s.invalidate(event.parentSid());
                }
            }
            case CREDENTIAL_LIST_CHANGED, CREDENTIAL_LIST_DELETED -> ha1s.invalidate(event.sid());
            case RESET -> ha1s.invalidateAll();
            default -> {
                // targets only
            }
        }
    }

    /**
     * The target owning {@code host} (any case; a trailing {@code :port} or dot is ignored) with its
     * digest offer, or null.
     */
    public IndexedTarget target(String host) {
        return targets.find(host);
    }

    /** The lists mapped to {@code target} for {@code method}: registration mappings for REGISTER, else call mappings. */
    public static List<Sid> lists(AuthTarget target, String method) {
        return REGISTER.equalsIgnoreCase(method)
                ? target.registrationCredentialListSids() : target.callCredentialListSids();
    }

    /**
     * The sources allowed to send {@code method} to the target, or null when they are not restricted:
     * IP access control lists govern calls, not REGISTER (Twilio maps them for calls only).
     */
    public static IpRanges sources(IndexedTarget target, String method) {
        return REGISTER.equalsIgnoreCase(method) ? null : target.sources();
    }

    /** The packed HA1 record of {@code username} in {@code list}, or null; loads the list when needed. */
    public byte[] ha1(Sid list, String username, long nowMillis) {
        return ha1s.table(list, nowMillis).ha1(username);
    }

    /**
     * Steps 1 and 6 of {@code authorize} without hashing: the packed HA1 records of {@code username}
     * across the lists mapped to the target of {@code host}, written to {@code out}; returns how many
     * (-1 for an unknown host). Allocation-free on a warm cache.
     */
    public int ha1Candidates(String host, String method, String username, byte[][] out, long nowMillis) {
        IndexedTarget target = targets.find(host);
        if (target == null) {
            return -1;
        }
        List<Sid> lists = lists(target.target(), method);
        int found = 0;
        for (int i = 0; i < lists.size() && found < out.length; i++) {
            byte[] ha1 = ha1(lists.get(i), username, nowMillis);
            if (ha1 != null) {
                out[found++] = ha1;
            }
        }
        return found;
    }

    /** Drops the cached table of {@code list}, as a change event would. */
    public void invalidate(Sid list) {
        ha1s.invalidate(list);
    }

    /** How many calls joined the load of {@code list} in progress (0 when none is); for tests. */
    public int joinersOfRunningLoad(Sid list) {
        return ha1s.joinersOfRunningLoad(list);
    }
}
