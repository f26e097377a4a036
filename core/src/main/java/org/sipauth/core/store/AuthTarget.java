package org.sipauth.core.store;

import java.util.List;
import java.util.Objects;
import org.sipauth.core.model.Sid;

/**
 * What the engine needs to know about a trunk or SIP domain: the host INVITEs are addressed to
 * and the credential lists mapped to it.
 *
 * @param sid                       TK… or SD…
 * @param accountSid                owner
 * @param domainName                the host, lowercase, no port
 * @param callCredentialListSids    lists that authorize INVITEs (trunk CredentialLists, domain Auth/Calls)
 * @param registrationCredentialListSids lists that authorize REGISTERs (domain Auth/Registrations; empty for trunks)
 */
public record AuthTarget(Sid sid, Sid accountSid, String domainName,
                         List<Sid> callCredentialListSids, List<Sid> registrationCredentialListSids) {
    public AuthTarget {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(domainName, "domainName");
        callCredentialListSids = List.copyOf(callCredentialListSids);
        registrationCredentialListSids = List.copyOf(registrationCredentialListSids);
    }
}
