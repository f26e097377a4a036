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
        sid = Fields.sidOf(SidKind.CREDENTIAL_LIST, "a credential list", sid);
        accountSid = Fields.accountSid(accountSid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
