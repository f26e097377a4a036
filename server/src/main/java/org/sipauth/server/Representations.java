package org.sipauth.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.AuthTypes;

/**
 * JSON shapes of every resource, field for field as Twilio's OpenAPI spec names them; nullable
 * fields are present as {@code null}. v1 resources carry absolute URLs under the configured
 * public base; 2010 resources carry relative {@code /2010-04-01/…} URIs. No password or HA1 is
 * ever part of a representation.
 *
 * <p>One field is sipauth's own: {@code digest_algorithms} of trunks and SIP domains (an array of
 * algorithm tokens, or null for the server-wide offer), last in the object. Twilio's SDKs ignore
 * fields they do not know.
 */
final class Representations {

    static final String API_2010 = "/2010-04-01";
    static final String CREDENTIAL_LISTS = "CredentialLists";
    static final String IP_ACCESS_CONTROL_LISTS = "IpAccessControlLists";
    static final String CREDENTIAL_LIST_MAPPINGS = "CredentialListMappings";
    static final String IP_ACCESS_CONTROL_LIST_MAPPINGS = "IpAccessControlListMappings";

    private final String publicUrl;

    /**
     * A mapping of either kind of list as the wire shows it: the list's SID is the mapping's {@code sid}.
     *
     * @param resource the path segment of the mapping family ({@code CredentialListMappings},
     *                 {@code IpAccessControlListMappings}; v1: {@code CredentialLists}, {@code IpAccessControlLists})
     */
    record Mapped(Sid accountSid, Sid targetSid, Sid sid, String friendlyName, java.time.Instant dateCreated,
                  java.time.Instant dateUpdated) {

        static Mapped of(CredentialListMapping m) {
            return new Mapped(m.accountSid(), m.targetSid(), m.sid(), m.friendlyName(), m.dateCreated(), m.dateUpdated());
        }

        static Mapped of(IpAccessControlListMapping m) {
            return new Mapped(m.accountSid(), m.targetSid(), m.sid(), m.friendlyName(), m.dateCreated(), m.dateUpdated());
        }
    }

    /** @param publicUrl base of absolute URLs without trailing slash, e.g. {@code http://127.0.0.1:8080} */
    Representations(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    String publicUrl() {
        return publicUrl;
    }

    // ---- paths ---------------------------------------------------------------------------------

    String trunksUrl() {
        return publicUrl + "/v1/Trunks";
    }

    String trunkUrl(Sid trunk) {
        return trunksUrl() + "/" + trunk;
    }

    String trunkCredentialListsUrl(Sid trunk) {
        return trunkMappingsUrl(trunk, CREDENTIAL_LISTS);
    }

    /** {@code …/v1/Trunks/TK…/CredentialLists} or {@code …/IpAccessControlLists}. */
    String trunkMappingsUrl(Sid trunk, String resource) {
        return trunkUrl(trunk) + "/" + resource;
    }

    String trunkOriginationUrlsUrl(Sid trunk) {
        return trunkUrl(trunk) + "/OriginationUrls";
    }

    static String sipPath(Sid account) {
        return API_2010 + "/Accounts/" + account + "/SIP";
    }

    static String domainsPath(Sid account) {
        return sipPath(account) + "/Domains";
    }

    static String credentialListsPath(Sid account) {
        return sipPath(account) + "/CredentialLists";
    }

    static String credentialsPath(Sid account, Sid list) {
        return credentialListsPath(account) + "/" + list + "/Credentials";
    }

    static String ipAccessControlListsPath(Sid account) {
        return sipPath(account) + "/" + IP_ACCESS_CONTROL_LISTS;
    }

    static String ipAddressesPath(Sid account, Sid list) {
        return ipAccessControlListsPath(account) + "/" + list + "/IpAddresses";
    }

    /**
     * {@code …/Domains/SD…/CredentialListMappings} (legacy) or {@code …/Domains/SD…/Auth/Calls/CredentialListMappings},
     * likewise for {@code IpAccessControlListMappings} ({@code resource}).
     */
    static String domainMappingsPath(Sid account, Sid domain, String kindSegment, String resource) {
        return domainsPath(account) + "/" + domain + kindSegment + "/" + resource;
    }

    /** {@code …/Domains/SD…/OriginationUrls} (sipauth extension). */
    static String domainOriginationUrlsPath(Sid account, Sid domain) {
        return domainsPath(account) + "/" + domain + "/OriginationUrls";
    }

    // ---- v1 ------------------------------------------------------------------------------------

    Map<String, Object> trunk(Trunk t, AuthTypes auth) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", t.sid().value());
        m.put("account_sid", t.accountSid().value());
        m.put("domain_name", t.domainName());
        m.put("disaster_recovery_method", t.disasterRecoveryMethod());
        m.put("disaster_recovery_url", t.disasterRecoveryUrl());
        m.put("friendly_name", t.friendlyName());
        m.put("secure", t.secure());
        Map<String, Object> recording = new LinkedHashMap<>();
        recording.put("mode", "do-not-record");
        recording.put("trim", "do-not-trim");
        m.put("recording", recording);
        m.put("transfer_mode", t.transferMode());
        m.put("transfer_caller_id", t.transferCallerId());
        m.put("cnam_lookup_enabled", t.cnamLookupEnabled());
        m.put("auth_type", auth.value());
        m.put("symmetric_rtp_enabled", t.symmetricRtpEnabled());
        m.put("auth_type_set", auth.values());
        m.put("date_created", WireDates.iso8601(t.dateCreated()));
        m.put("date_updated", WireDates.iso8601(t.dateUpdated()));
        m.put("url", trunkUrl(t.sid()));
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("origination_urls", trunkOriginationUrlsUrl(t.sid()));
        links.put("credential_lists", trunkCredentialListsUrl(t.sid()));
        links.put("ip_access_control_lists", trunkMappingsUrl(t.sid(), IP_ACCESS_CONTROL_LISTS));
        links.put("phone_numbers", trunkUrl(t.sid()) + "/PhoneNumbers");
        m.put("links", links);
        m.put("digest_algorithms", t.digestAlgorithms());
        return m;
    }

    /** A trunk's CredentialLists or IpAccessControlLists ({@code resource}) record. */
    Map<String, Object> trunkMapping(Mapped mapping, String resource) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_sid", mapping.accountSid().value());
        m.put("sid", mapping.sid().value());
        m.put("trunk_sid", mapping.targetSid().value());
        m.put("friendly_name", mapping.friendlyName());
        m.put("date_created", WireDates.iso8601(mapping.dateCreated()));
        m.put("date_updated", WireDates.iso8601(mapping.dateUpdated()));
        m.put("url", trunkMappingsUrl(mapping.targetSid(), resource) + "/" + mapping.sid());
        return m;
    }

    /** Twilio's trunk OriginationUrl, field for field in the spec's order. */
    Map<String, Object> trunkOriginationUrl(OriginationUrl u) {
        Map<String, Object> m = originationUrl(u, "trunk_sid");
        m.put("date_created", WireDates.iso8601(u.dateCreated()));
        m.put("date_updated", WireDates.iso8601(u.dateUpdated()));
        m.put("url", trunkOriginationUrlsUrl(u.targetSid()) + "/" + u.sid());
        return m;
    }

    /** The sipauth extension's domain origination URL: {@code domain_sid}, 2010 dates and a relative {@code uri}. */
    static Map<String, Object> domainOriginationUrl(OriginationUrl u) {
        Map<String, Object> m = originationUrl(u, "domain_sid");
        m.put("date_created", WireDates.rfc2822(u.dateCreated()));
        m.put("date_updated", WireDates.rfc2822(u.dateUpdated()));
        m.put("uri", domainOriginationUrlsPath(u.accountSid(), u.targetSid()) + "/" + u.sid() + ".json");
        return m;
    }

    private static Map<String, Object> originationUrl(OriginationUrl u, String targetField) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_sid", u.accountSid().value());
        m.put("sid", u.sid().value());
        m.put(targetField, u.targetSid().value());
        m.put("weight", u.weight());
        m.put("enabled", u.enabled());
        m.put("sip_url", u.sipUrl());
        m.put("friendly_name", u.friendlyName());
        m.put("priority", u.priority());
        return m;
    }

    // ---- 2010 ----------------------------------------------------------------------------------

    static Map<String, Object> domain(SipDomain d, AuthTypes auth) {
        String uri = domainsPath(d.accountSid()) + "/" + d.sid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_sid", d.accountSid().value());
        m.put("api_version", "2010-04-01");
        m.put("auth_type", auth.value());
        m.put("date_created", WireDates.rfc2822(d.dateCreated()));
        m.put("date_updated", WireDates.rfc2822(d.dateUpdated()));
        m.put("domain_name", d.domainName());
        m.put("friendly_name", d.friendlyName());
        m.put("sid", d.sid().value());
        m.put("uri", uri + ".json");
        m.put("voice_fallback_method", d.voiceFallbackMethod());
        m.put("voice_fallback_url", d.voiceFallbackUrl());
        m.put("voice_method", d.voiceMethod());
        m.put("voice_status_callback_method", d.voiceStatusCallbackMethod());
        m.put("voice_status_callback_url", d.voiceStatusCallbackUrl());
        m.put("voice_url", d.voiceUrl());
        Map<String, Object> subresources = new LinkedHashMap<>();
        subresources.put("credential_list_mappings", uri + "/CredentialListMappings.json");
        subresources.put("ip_access_control_list_mappings", uri + "/IpAccessControlListMappings.json");
        m.put("subresource_uris", subresources);
        m.put("sip_registration", d.sipRegistration());
        m.put("emergency_calling_enabled", d.emergencyCallingEnabled());
        m.put("secure", d.secure());
        m.put("byoc_trunk_sid", d.byocTrunkSid());
        m.put("emergency_caller_sid", d.emergencyCallerSid());
        m.put("digest_algorithms", d.digestAlgorithms());
        return m;
    }

    /** The five fields of an {@code Auth/Calls} or {@code Auth/Registrations} mapping (no uri, no domain_sid). */
    static Map<String, Object> authMapping(Mapped mapping, String resource) {
        return mapping2010(mapping, false, resource);
    }

    /** The seven fields of a legacy {@code …/Domains/SD…/CredentialListMappings} (or IP ACL) record. */
    static Map<String, Object> legacyMapping(Mapped mapping, String resource) {
        return mapping2010(mapping, true, resource);
    }

    private static Map<String, Object> mapping2010(Mapped mapping, boolean legacy, String resource) {
        Map<String, Object> m = dated2010(mapping.accountSid(), mapping.dateCreated(), mapping.dateUpdated());
        if (legacy) {
            m.put("domain_sid", mapping.targetSid().value());
        }
        m.put("friendly_name", mapping.friendlyName());
        m.put("sid", mapping.sid().value());
        if (legacy) {
            m.put("uri", domainMappingsPath(mapping.accountSid(), mapping.targetSid(), "", resource) + "/"
                    + mapping.sid() + ".json");
        }
        return m;
    }

    /** A 2010 record's first three fields: {@code account_sid}, {@code date_created}, {@code date_updated}. */
    private static Map<String, Object> dated2010(Sid account, java.time.Instant created, java.time.Instant updated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_sid", account.value());
        m.put("date_created", WireDates.rfc2822(created));
        m.put("date_updated", WireDates.rfc2822(updated));
        return m;
    }

    static Map<String, Object> credentialList(CredentialList list) {
        String uri = credentialListsPath(list.accountSid()) + "/" + list.sid();
        Map<String, Object> m = dated2010(list.accountSid(), list.dateCreated(), list.dateUpdated());
        m.put("friendly_name", list.friendlyName());
        m.put("sid", list.sid().value());
        m.put("subresource_uris", Map.of("credentials", uri + "/Credentials.json"));
        m.put("uri", uri + ".json");
        return m;
    }

    static Map<String, Object> credential(Credential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", c.sid().value());
        m.put("account_sid", c.accountSid().value());
        m.put("credential_list_sid", c.credentialListSid().value());
        m.put("username", c.username());
        m.put("date_created", WireDates.rfc2822(c.dateCreated()));
        m.put("date_updated", WireDates.rfc2822(c.dateUpdated()));
        m.put("uri", credentialsPath(c.accountSid(), c.credentialListSid()) + "/" + c.sid() + ".json");
        return m;
    }

    static Map<String, Object> ipAccessControlList(IpAccessControlList list) {
        String uri = ipAccessControlListsPath(list.accountSid()) + "/" + list.sid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", list.sid().value());
        m.put("account_sid", list.accountSid().value());
        m.put("friendly_name", list.friendlyName());
        m.put("date_created", WireDates.rfc2822(list.dateCreated()));
        m.put("date_updated", WireDates.rfc2822(list.dateUpdated()));
        m.put("subresource_uris", Map.of("ip_addresses", uri + "/IpAddresses.json"));
        m.put("uri", uri + ".json");
        return m;
    }

    static Map<String, Object> ipAddress(IpAddress a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", a.sid().value());
        m.put("account_sid", a.accountSid().value());
        m.put("friendly_name", a.friendlyName());
        m.put("ip_address", a.ipAddress());
        m.put("cidr_prefix_length", a.cidrPrefixLength());
        m.put("ip_access_control_list_sid", a.ipAccessControlListSid().value());
        m.put("date_created", WireDates.rfc2822(a.dateCreated()));
        m.put("date_updated", WireDates.rfc2822(a.dateUpdated()));
        m.put("uri", ipAddressesPath(a.accountSid(), a.ipAccessControlListSid()) + "/" + a.sid() + ".json");
        return m;
    }
}
