package org.sipauth.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An Elastic SIP trunk (Twilio trunking v1). Authentication is not a field: it is the set of
 * credential lists and IP access control lists mapped to the trunk (see {@link CredentialListMapping},
 * {@link IpAccessControlListMapping}).
 *
 * @param sid                    TK…
 * @param accountSid             owner
 * @param friendlyName           nullable, at most 64 characters
 * @param domainName             nullable; the host INVITEs are addressed to, lowercase
 * @param disasterRecoveryUrl    nullable absolute URL
 * @param disasterRecoveryMethod nullable, {@code GET} or {@code POST}
 * @param transferMode           {@code disable-all} (default), {@code enable-all} or {@code sip-only}
 * @param secure                 SRTP/TLS required
 * @param cnamLookupEnabled      caller name lookup
 * @param transferCallerId       {@code from-transferee} (default) or {@code from-transferor}
 * @param symmetricRtpEnabled    not settable through the API; false
 * @param digestAlgorithms       nullable (sipauth extension): the digest algorithms challenges for this trunk
 *                               offer, in order ({@code MD5}, {@code SHA-256}, …; not empty, none twice);
 *                               null offers the engine's server-wide list
 */
public record Trunk(Sid sid, Sid accountSid, String friendlyName, String domainName,
                    String disasterRecoveryUrl, String disasterRecoveryMethod, String transferMode,
                    boolean secure, boolean cnamLookupEnabled, String transferCallerId,
                    boolean symmetricRtpEnabled, List<String> digestAlgorithms, Instant dateCreated,
                    Instant dateUpdated) {

    public static final String TRANSFER_MODE_DEFAULT = "disable-all";
    public static final String TRANSFER_CALLER_ID_DEFAULT = "from-transferee";

    public Trunk {
        sid = Fields.sidOf(SidKind.TRUNK, "a trunk", sid);
        accountSid = Fields.accountSid(accountSid);
        Fields.lowercaseDomainName(domainName);
        Objects.requireNonNull(transferMode, "transferMode");
        Objects.requireNonNull(transferCallerId, "transferCallerId");
        digestAlgorithms = Fields.digestAlgorithms(digestAlgorithms);
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
