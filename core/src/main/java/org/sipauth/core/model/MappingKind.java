package org.sipauth.core.model;

/**
 * Where a credential list is mapped. The legacy domain {@code CredentialListMappings} resource and
 * {@code Auth/Calls/CredentialListMappings} are the same set: {@link #DOMAIN_CALLS}.
 */
public enum MappingKind {
    /** {@code /v1/Trunks/{TK}/CredentialLists}: authorizes INVITEs to the trunk. */
    TRUNK(SidKind.TRUNK),
    /** {@code …/Domains/{SD}/Auth/Calls/CredentialListMappings} (and the legacy path): authorizes INVITEs. */
    DOMAIN_CALLS(SidKind.SIP_DOMAIN),
    /** {@code …/Domains/{SD}/Auth/Registrations/CredentialListMappings}: authorizes REGISTERs. */
    DOMAIN_REGISTRATIONS(SidKind.SIP_DOMAIN);

    private final SidKind targetKind;

    MappingKind(SidKind targetKind) {
        this.targetKind = targetKind;
    }

    /** The kind of SID the mapping's target has (TK or SD). */
    public SidKind targetKind() {
        return targetKind;
    }
}
