package org.sipauth.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A SIP domain (Twilio API 2010). Authentication is not a field: it is the set of credential lists
 * mapped to the domain for calls and, separately, for registrations, and of IP access control lists
 * mapped for calls.
 *
 * @param sid                       SD…
 * @param accountSid                owner
 * @param friendlyName              nullable, at most 64 characters
 * @param domainName                required, lowercase host name
 * @param voiceUrl                  nullable absolute URL
 * @param voiceMethod               {@code GET} or {@code POST} (default POST)
 * @param voiceFallbackUrl          nullable
 * @param voiceFallbackMethod       {@code GET} or {@code POST} (default POST)
 * @param voiceStatusCallbackUrl    nullable
 * @param voiceStatusCallbackMethod {@code GET} or {@code POST} (default POST)
 * @param sipRegistration           whether REGISTER is accepted
 * @param emergencyCallingEnabled   flag stored for API compatibility
 * @param secure                    flag stored for API compatibility
 * @param byocTrunkSid              nullable BY… SID (stored as given)
 * @param emergencyCallerSid        nullable PN… SID (stored as given)
 * @param digestAlgorithms          nullable (sipauth extension): the digest algorithms challenges for this
 *                                  domain offer, in order ({@code MD5}, {@code SHA-256}, …; not empty, none
 *                                  twice); null offers the engine's server-wide list
 */
public record SipDomain(Sid sid, Sid accountSid, String friendlyName, String domainName,
                        String voiceUrl, String voiceMethod, String voiceFallbackUrl, String voiceFallbackMethod,
                        String voiceStatusCallbackUrl, String voiceStatusCallbackMethod,
                        boolean sipRegistration, boolean emergencyCallingEnabled, boolean secure,
                        String byocTrunkSid, String emergencyCallerSid, List<String> digestAlgorithms,
                        Instant dateCreated, Instant dateUpdated) {

    public static final String METHOD_DEFAULT = "POST";

    public SipDomain {
        sid = Fields.sidOf(SidKind.SIP_DOMAIN, "a SIP domain", sid);
        accountSid = Fields.accountSid(accountSid);
        Fields.lowercaseDomainName(Objects.requireNonNull(domainName, "domainName"));
        Objects.requireNonNull(voiceMethod, "voiceMethod");
        Objects.requireNonNull(voiceFallbackMethod, "voiceFallbackMethod");
        Objects.requireNonNull(voiceStatusCallbackMethod, "voiceStatusCallbackMethod");
        digestAlgorithms = Fields.digestAlgorithms(digestAlgorithms);
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
