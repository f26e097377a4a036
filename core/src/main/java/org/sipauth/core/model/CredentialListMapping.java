package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A credential list mapped to a trunk or SIP domain. A mapping has no SID of its own: it is
 * addressed by its list's SID, and its friendly name is the list's current friendly name.
 *
 * @param kind              trunk, domain calls or domain registrations
 * @param accountSid        owner of both the target and the list
 * @param targetSid         TK… or SD… (matching {@link MappingKind#targetKind()})
 * @param credentialListSid CL…, also the mapping's {@code sid} on the wire
 * @param friendlyName      the mapped list's friendly name at read time
 */
public record CredentialListMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid credentialListSid,
                                    String friendlyName, Instant dateCreated, Instant dateUpdated) {
    public CredentialListMapping {
        Objects.requireNonNull(kind, "kind");
        accountSid = Fields.accountSid(accountSid);
        targetSid = Objects.requireNonNull(targetSid, "targetSid").canonical();
        if (targetSid.kind() != kind.targetKind()) {
            throw new IllegalArgumentException(kind + " mapping needs a " + kind.targetKind() + " target: " + targetSid);
        }
        credentialListSid = Fields.sidOf(SidKind.CREDENTIAL_LIST, "a credential list",
                Objects.requireNonNull(credentialListSid, "credentialListSid"));
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }

    /** The wire {@code sid} of the mapping: the list's SID. */
    public Sid sid() {
        return credentialListSid;
    }
}
