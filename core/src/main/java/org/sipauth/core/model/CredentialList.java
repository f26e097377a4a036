package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A named set of credentials, mappable to many trunks and SIP domains.
 *
 * @param sid          CL…
 * @param accountSid   owner
 * @param friendlyName required, 1..64 characters, unique per account
 */
public record CredentialList(Sid sid, Sid accountSid, String friendlyName, Instant dateCreated, Instant dateUpdated) {
    public CredentialList {
        sid = Objects.requireNonNull(sid, "sid").canonical();
        if (sid.kind() != SidKind.CREDENTIAL_LIST) {
            throw new IllegalArgumentException("not a credential list SID: " + sid);
        }
        accountSid = Objects.requireNonNull(accountSid, "accountSid").canonical();
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
