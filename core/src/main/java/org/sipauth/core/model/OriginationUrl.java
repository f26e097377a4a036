package org.sipauth.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Where authorized calls to a trunk or SIP domain go in proxy and redirect mode: one SIP URI with
 * its place in the failover order. Twilio's trunk {@code OriginationUrls} resource; on SIP domains a
 * sipauth extension of the same shape.
 *
 * @param sid          OU…
 * @param accountSid   owner of the URL and of its target
 * @param targetSid    the trunk (TK…) or SIP domain (SD…) it belongs to
 * @param friendlyName 1..64 characters
 * @param sipUrl       {@code sip:} or {@code sips:} URI {@code host[:port][;transport=udp|tcp|tls]}, as given
 * @param priority     0..65535; lower is tried first
 * @param weight       1..65535; the share of calls among URLs of equal priority
 * @param enabled      a disabled URL is kept but never used
 */
public record OriginationUrl(Sid sid, Sid accountSid, Sid targetSid, String friendlyName, String sipUrl,
                             int priority, int weight, boolean enabled, Instant dateCreated, Instant dateUpdated) {

    public OriginationUrl {
        sid = Fields.sidOf(SidKind.ORIGINATION_URL, "an origination URL", sid);
        accountSid = Fields.accountSid(accountSid);
        targetSid = Objects.requireNonNull(targetSid, "targetSid").canonical();
        if (targetSid.kind() != SidKind.TRUNK && targetSid.kind() != SidKind.SIP_DOMAIN) {
            throw new IllegalArgumentException("an origination URL belongs to a trunk or SIP domain, not " + targetSid);
        }
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(sipUrl, "sipUrl");
        if (priority < 0 || priority > 65535) {
            throw new IllegalArgumentException("priority must be 0..65535: " + priority);
        }
        if (weight < 1 || weight > 65535) {
            throw new IllegalArgumentException("weight must be 1..65535: " + weight);
        }
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
