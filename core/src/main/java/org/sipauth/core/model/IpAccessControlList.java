package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A named set of IP addresses and CIDR blocks, mappable to many trunks and SIP domains: a target with
 * one mapped accepts INVITEs only from a source inside one of its mapped lists.
 *
 * @param sid          AL…
 * @param accountSid   owner
 * @param friendlyName required, 1..255 characters
 */
public record IpAccessControlList(Sid sid, Sid accountSid, String friendlyName, Instant dateCreated,
                                  Instant dateUpdated) {
    public IpAccessControlList {
        sid = Fields.sidOf(SidKind.IP_ACCESS_CONTROL_LIST, "an IP access control list", sid);
        accountSid = Fields.accountSid(accountSid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
