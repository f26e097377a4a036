package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An IP access control list mapped to a trunk ({@link MappingKind#TRUNK}) or to a SIP domain's calls
 * ({@link MappingKind#DOMAIN_CALLS}; the legacy domain {@code IpAccessControlListMappings} resource is
 * the same set). Like a credential list mapping it has no SID of its own: it is addressed by its
 * list's SID, and its friendly name is the list's current friendly name.
 *
 * @param kind                   {@link MappingKind#TRUNK} or {@link MappingKind#DOMAIN_CALLS}
 * @param accountSid             owner of both the target and the list
 * @param targetSid              TK… or SD… (matching {@link MappingKind#targetKind()})
 * @param ipAccessControlListSid AL…, also the mapping's {@code sid} on the wire
 * @param friendlyName           the mapped list's friendly name at read time
 */
public record IpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid ipAccessControlListSid,
                                         String friendlyName, Instant dateCreated, Instant dateUpdated) {
    public IpAccessControlListMapping {
        Objects.requireNonNull(kind, "kind");
        if (kind == MappingKind.DOMAIN_REGISTRATIONS) {
            throw new IllegalArgumentException("IP access control lists are mapped for calls only");
        }
        accountSid = Fields.accountSid(accountSid);
        targetSid = Fields.sidOf(kind.targetKind(), "a " + kind.targetKind() + " target", targetSid);
        ipAccessControlListSid = Fields.sidOf(SidKind.IP_ACCESS_CONTROL_LIST, "an IP access control list",
                ipAccessControlListSid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }

    /** The wire {@code sid} of the mapping: the list's SID. */
    public Sid sid() {
        return ipAccessControlListSid;
    }
}
