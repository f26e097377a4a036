package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an IP access control list: an IPv4 or IPv6 address and a CIDR prefix length.
 *
 * @param sid                    IP…
 * @param accountSid             owner
 * @param ipAccessControlListSid the list (AL…)
 * @param friendlyName           required, 1..255 characters
 * @param ipAddress              the address as the client wrote it (IPv4 dotted decimal or IPv6 text)
 * @param cidrPrefixLength       0..32 for IPv4, 0..128 for IPv6
 */
public record IpAddress(Sid sid, Sid accountSid, Sid ipAccessControlListSid, String friendlyName, String ipAddress,
                        int cidrPrefixLength, Instant dateCreated, Instant dateUpdated) {
    public IpAddress {
        sid = Fields.sidOf(SidKind.IP_ADDRESS, "an IP address", sid);
        accountSid = Fields.accountSid(accountSid);
        ipAccessControlListSid = Fields.sidOf(SidKind.IP_ACCESS_CONTROL_LIST, "an IP access control list",
                ipAccessControlListSid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(ipAddress, "ipAddress");
        if (cidrPrefixLength < 0 || cidrPrefixLength > 128) {
            throw new IllegalArgumentException("cidrPrefixLength must be 0..128, got " + cidrPrefixLength);
        }
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
