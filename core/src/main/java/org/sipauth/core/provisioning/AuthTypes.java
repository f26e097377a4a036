package org.sipauth.core.provisioning;

import java.util.ArrayList;
import java.util.List;

/**
 * What authorizes calls to a trunk or SIP domain, for its {@code auth_type} / {@code auth_type_set}
 * fields. Only call mappings count (trunk credential lists, domain Auth/Calls); registration
 * mappings govern REGISTER and do not make a domain reachable for calls.
 *
 * @param ipAcl          an IP access control list is mapped for calls (trunk IpAccessControlLists, domain
 *                       Auth/Calls)
 * @param credentialList a credential list is mapped for calls
 */
public record AuthTypes(boolean ipAcl, boolean credentialList) {

    public static final String IP_ACL = "IP_ACL";
    public static final String CREDENTIAL_LIST = "CREDENTIAL_LIST";

    /** {@code auth_type_set}: {@code IP_ACL} first, then {@code CREDENTIAL_LIST}; empty when none. */
    public List<String> values() {
        List<String> values = new ArrayList<>(2);
        if (ipAcl) {
            values.add(IP_ACL);
        }
        if (credentialList) {
            values.add(CREDENTIAL_LIST);
        }
        return List.copyOf(values);
    }

    /** {@code auth_type}: the values comma-separated ({@code "IP_ACL,CREDENTIAL_LIST"}), or {@code ""}. */
    public String value() {
        return String.join(",", values());
    }
}
