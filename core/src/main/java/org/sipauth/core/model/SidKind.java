package org.sipauth.core.model;

/** The two-letter prefix of every Twilio-style SID, one constant per resource family. */
public enum SidKind {
    ACCOUNT("AC"),
    TRUNK("TK"),
    SIP_DOMAIN("SD"),
    CREDENTIAL_LIST("CL"),
    CREDENTIAL("CR"),
    IP_ACCESS_CONTROL_LIST("AL"),
    IP_ADDRESS("IP"),
    ORIGINATION_URL("OU");

    private final String prefix;

    SidKind(String prefix) {
        this.prefix = prefix;
    }

    /** The two uppercase letters that start a SID of this kind. */
    public String prefix() {
        return prefix;
    }
}
