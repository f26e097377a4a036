package org.sipauth.core.lookup;

import java.util.Objects;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.store.AuthTarget;

/**
 * A trunk or SIP domain as the target index holds it: the store's {@link AuthTarget}, the digest
 * offer its challenges make, resolved once when the target is loaded (its own list, or the engine's
 * server-wide offer), and the union of its mapped IP access control lists, prebuilt, so a request
 * reads them without parsing or allocating. <b>Internal</b>.
 *
 * @param target  the store's view of the target
 * @param offer   the algorithms its challenges offer, in order, and the only ones its answers may use
 * @param sources the sources its INVITEs may come from; null when no IP access control list is mapped
 *                (then the source is not restricted), {@link IpRanges#EMPTY} when the mapped lists
 *                are empty (then no source is allowed)
 */
public record IndexedTarget(AuthTarget target, DigestOffer offer, IpRanges sources) {
    public IndexedTarget {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(offer, "offer");
        if ((sources == null) != target.callIpAccessControlListSids().isEmpty()) {
            throw new IllegalArgumentException("sources must be given exactly when IP access control lists are mapped");
        }
    }
}
