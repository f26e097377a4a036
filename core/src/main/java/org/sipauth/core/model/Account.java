package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An account: the owner of every other resource and the identity of the admin API (HTTP Basic
 * {@code AccountSid:AuthToken}). The auth token itself is never kept, only its SHA-256, so that a
 * Basic-auth check is a constant-time comparison of two hashes.
 *
 * @param sid             AC…
 * @param friendlyName    free text, at most 64 characters
 * @param authTokenSha256 lowercase hex SHA-256 of the UTF-8 auth token (64 chars)
 * @param status          only {@link Status#ACTIVE} accounts authenticate
 */
public record Account(Sid sid, String friendlyName, String authTokenSha256, Status status,
                      Instant dateCreated, Instant dateUpdated) {

    /** Lifecycle state of an account. */
    public enum Status { ACTIVE, SUSPENDED, CLOSED }

    public Account {
        sid = Fields.sidOf(SidKind.ACCOUNT, "an account", sid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(authTokenSha256, "authTokenSha256");
        if (authTokenSha256.length() != 64 || !authTokenSha256.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("authTokenSha256 must be 64 lowercase hex chars");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }

    /** Never prints the token hash. */
    @Override
    public String toString() {
        return "Account[sid=" + sid + ", friendlyName=" + friendlyName + ", status=" + status + "]";
    }
}
