package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.DOMAIN_INVALID;
import static org.sipauth.core.provisioning.Validation.emptyToNull;
import static org.sipauth.core.provisioning.Validation.orElse;

import java.time.Instant;
import java.util.Objects;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * SIP domains (API 2010 {@code …/SIP/Domains}). Every method takes the authenticated account
 * first; another account's domain is a 404. Every validation error, including a missing or taken
 * {@code DomainName}, is 400 with code {@value ApiException#DOMAIN_INVALID}. Thread-safe.
 */
public final class SipDomainService {

    private final Context context;
    private final Resources<SipDomain> domains;

    SipDomainService(Context context) {
        this.context = context;
        Store store = context.store();
        this.domains = new Resources<>(SidKind.SIP_DOMAIN, d -> PageQuery.Key.of(d.dateCreated(), d.sid()),
                store::insertSipDomain, store::updateSipDomain, store::findSipDomain, store::listSipDomains,
                store::deleteSipDomain, SipDomainService::duplicate);
    }

    public SipDomain create(Sid accountSid, SipDomainInput input) {
        Objects.requireNonNull(input, "input");
        Validation.required(input.domainName(), "DomainName", DOMAIN_INVALID);
        Instant now = context.now();
        SipDomain draft = new SipDomain(Sid.random(SidKind.SIP_DOMAIN), accountSid, null, "pending", null,
                SipDomain.METHOD_DEFAULT, null, SipDomain.METHOD_DEFAULT, null, SipDomain.METHOD_DEFAULT,
                false, false, false, null, null, null, now, now);
        return domains.create(apply(draft, input, now));
    }

    public SipDomain fetch(Sid accountSid, String domainSid) {
        return domains.fetch(accountSid, domainSid);
    }

    public Page<SipDomain> list(Sid accountSid, PageRequest request) {
        return domains.list(accountSid, request);
    }

    public SipDomain update(Sid accountSid, String domainSid, SipDomainInput input) {
        Objects.requireNonNull(input, "input");
        SipDomain current = fetch(accountSid, domainSid);
        if (input.domainName() != null) {
            Validation.required(input.domainName(), "DomainName", DOMAIN_INVALID);
        }
        return domains.update(domainSid, apply(current, input, context.now()));
    }

    public void delete(Sid accountSid, String domainSid) {
        domains.delete(accountSid, domainSid);
    }

    /** {@code auth_type} of the domain: whether an IP access control list and a credential list are mapped for calls (Auth/Calls). */
    public AuthTypes authTypes(SipDomain domain) {
        return Targets.authTypes(context.store(), MappingKind.DOMAIN_CALLS, domain.accountSid(), domain.sid());
    }

    private SipDomain apply(SipDomain d, SipDomainInput in, Instant now) {
        String domainName = in.domainName() == null ? d.domainName()
                : Validation.domainName(in.domainName(), context.requiredDomainSuffix(), DOMAIN_INVALID);
        String friendlyName = in.friendlyName() == null ? d.friendlyName()
                : emptyToNull(Validation.friendlyName(in.friendlyName(), DOMAIN_INVALID));
        String voiceUrl = in.voiceUrl() == null ? d.voiceUrl() : Validation.url(in.voiceUrl(), "VoiceUrl", DOMAIN_INVALID);
        String voiceFallbackUrl = in.voiceFallbackUrl() == null ? d.voiceFallbackUrl()
                : Validation.url(in.voiceFallbackUrl(), "VoiceFallbackUrl", DOMAIN_INVALID);
        String statusUrl = in.voiceStatusCallbackUrl() == null ? d.voiceStatusCallbackUrl()
                : Validation.url(in.voiceStatusCallbackUrl(), "VoiceStatusCallbackUrl", DOMAIN_INVALID);
        return new SipDomain(d.sid(), d.accountSid(), friendlyName, domainName,
                voiceUrl, orElse(Validation.method(in.voiceMethod(), "VoiceMethod", DOMAIN_INVALID), d.voiceMethod()),
                voiceFallbackUrl, orElse(Validation.method(in.voiceFallbackMethod(), "VoiceFallbackMethod", DOMAIN_INVALID),
                        d.voiceFallbackMethod()),
                statusUrl, orElse(Validation.method(in.voiceStatusCallbackMethod(), "VoiceStatusCallbackMethod",
                        DOMAIN_INVALID), d.voiceStatusCallbackMethod()),
                orElse(Validation.bool(in.sipRegistration(), "SipRegistration", DOMAIN_INVALID), d.sipRegistration()),
                orElse(Validation.bool(in.emergencyCallingEnabled(), "EmergencyCallingEnabled", DOMAIN_INVALID),
                        d.emergencyCallingEnabled()),
                orElse(Validation.bool(in.secure(), "Secure", DOMAIN_INVALID), d.secure()),
                in.byocTrunkSid() == null ? d.byocTrunkSid()
                        : Validation.foreignSid(in.byocTrunkSid(), "BY", "ByocTrunkSid", DOMAIN_INVALID),
                in.emergencyCallerSid() == null ? d.emergencyCallerSid()
                        : Validation.foreignSid(in.emergencyCallerSid(), "PN", "EmergencyCallerSid", DOMAIN_INVALID),
                in.digestAlgorithms() == null ? d.digestAlgorithms()
                        : Validation.digestAlgorithms(in.digestAlgorithms(), DOMAIN_INVALID),
                d.dateCreated(), now);
    }

    private static ApiException duplicate(DuplicateKeyException e, SipDomain domain) {
        if (e.key() == DuplicateKeyException.Key.DOMAIN_NAME) {
            return ApiException.badRequest(DOMAIN_INVALID, "DomainName " + domain.domainName() + " is already in use");
        }
        throw e;
    }
}
