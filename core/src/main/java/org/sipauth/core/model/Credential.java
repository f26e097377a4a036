package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A SIP credential: a username in a credential list and its HA1s. The password is write-only and
 * is never stored; see {@link Ha1Set}.
 */
public record Credential(Sid sid, Sid accountSid, Sid credentialListSid, String username, Ha1Set ha1,
                         Instant dateCreated, Instant dateUpdated) {
    public Credential {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(credentialListSid, "credentialListSid");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(ha1, "ha1");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
