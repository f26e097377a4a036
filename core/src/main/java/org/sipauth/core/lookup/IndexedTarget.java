package org.sipauth.core.lookup;

import java.util.Objects;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.store.AuthTarget;

/**
 * A trunk or SIP domain as the target index holds it: the store's {@link AuthTarget} and the digest
 * offer its challenges make, resolved once when the target is loaded (its own list, or the engine's
 * server-wide offer), so a request reads it without parsing or allocating. <b>Internal</b>.
 *
 * @param target the store's view of the target
 * @param offer  the algorithms its challenges offer, in order, and the only ones its answers may use
 */
public record IndexedTarget(AuthTarget target, DigestOffer offer) {
    public IndexedTarget {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(offer, "offer");
    }
}
