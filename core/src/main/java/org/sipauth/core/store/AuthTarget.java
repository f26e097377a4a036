package org.sipauth.core.store;

import java.util.List;
import java.util.Objects;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.model.Sid;

/**
 * What the engine needs to know about a trunk or SIP domain: the host INVITEs are addressed to,
 * the credential lists and IP access control lists mapped to it and the digest algorithms it offers.
 *
 * @param sid                       TK… or SD…
 * @param accountSid                owner
 * @param domainName                the host, lowercase, no port
 * @param callCredentialListSids    lists that authorize INVITEs (trunk CredentialLists, domain Auth/Calls)
 * @param registrationCredentialListSids lists that authorize REGISTERs (domain Auth/Registrations; empty for trunks)
 * @param digestAlgorithms          the target's own offer ({@code Trunk.digestAlgorithms()},
 *                                  {@code SipDomain.digestAlgorithms()}), in order; null for the engine's
 *                                  server-wide offer
 * @param callIpAccessControlListSids IP access control lists that restrict the sources of INVITEs (trunk
 *                                  IpAccessControlLists, domain Auth/Calls); empty when none is mapped
 */
public record AuthTarget(Sid sid, Sid accountSid, String domainName,
                         List<Sid> callCredentialListSids, List<Sid> registrationCredentialListSids,
                         List<String> digestAlgorithms, List<Sid> callIpAccessControlListSids) {
    public AuthTarget {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(domainName, "domainName");
        callCredentialListSids = List.copyOf(callCredentialListSids);
        registrationCredentialListSids = List.copyOf(registrationCredentialListSids);
        digestAlgorithms = DigestOffer.canonicalTokens(digestAlgorithms);
        callIpAccessControlListSids = List.copyOf(callIpAccessControlListSids);
    }

    /** A target without IP access control lists. */
    public AuthTarget(Sid sid, Sid accountSid, String domainName, List<Sid> callCredentialListSids,
                      List<Sid> registrationCredentialListSids, List<String> digestAlgorithms) {
        this(sid, accountSid, domainName, callCredentialListSids, registrationCredentialListSids, digestAlgorithms,
                List.of());
    }
}
