package org.sipauth.core.provisioning;

/**
 * The form parameters of a SIP domain create/update, exactly as the client sent them: a null
 * field was not sent (left unchanged on update, defaulted on create); an empty string clears a
 * nullable field. {@code domainName} is required on create. Validated by {@link SipDomainService}.
 *
 * <p>{@code digestAlgorithms} is a sipauth extension (form parameter {@code DigestAlgorithms}): the
 * algorithms the domain's challenges offer, comma-separated, in order (e.g. {@code SHA-256,MD5});
 * {@code ""} returns the domain to the server-wide offer.
 */
public record SipDomainInput(String domainName, String friendlyName, String voiceUrl, String voiceMethod,
                             String voiceFallbackUrl, String voiceFallbackMethod,
                             String voiceStatusCallbackUrl, String voiceStatusCallbackMethod,
                             String sipRegistration, String emergencyCallingEnabled, String secure,
                             String byocTrunkSid, String emergencyCallerSid, String digestAlgorithms) {

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; every setter is optional. */
    public static final class Builder {
        private String domainName;
        private String friendlyName;
        private String voiceUrl;
        private String voiceMethod;
        private String voiceFallbackUrl;
        private String voiceFallbackMethod;
        private String voiceStatusCallbackUrl;
        private String voiceStatusCallbackMethod;
        private String sipRegistration;
        private String emergencyCallingEnabled;
        private String secure;
        private String byocTrunkSid;
        private String emergencyCallerSid;
        private String digestAlgorithms;

        private Builder() {
        }

        public Builder domainName(String value) { domainName = value; return this; }
        public Builder friendlyName(String value) { friendlyName = value; return this; }
        public Builder voiceUrl(String value) { voiceUrl = value; return this; }
        public Builder voiceMethod(String value) { voiceMethod = value; return this; }
        public Builder voiceFallbackUrl(String value) { voiceFallbackUrl = value; return this; }
        public Builder voiceFallbackMethod(String value) { voiceFallbackMethod = value; return this; }
        public Builder voiceStatusCallbackUrl(String value) { voiceStatusCallbackUrl = value; return this; }
        public Builder voiceStatusCallbackMethod(String value) { voiceStatusCallbackMethod = value; return this; }
        public Builder sipRegistration(String value) { sipRegistration = value; return this; }
        public Builder sipRegistration(boolean value) { sipRegistration = Boolean.toString(value); return this; }
        public Builder emergencyCallingEnabled(String value) { emergencyCallingEnabled = value; return this; }
        public Builder emergencyCallingEnabled(boolean value) { emergencyCallingEnabled = Boolean.toString(value); return this; }
        public Builder secure(String value) { secure = value; return this; }
        public Builder secure(boolean value) { secure = Boolean.toString(value); return this; }
        public Builder byocTrunkSid(String value) { byocTrunkSid = value; return this; }
        public Builder emergencyCallerSid(String value) { emergencyCallerSid = value; return this; }
        public Builder digestAlgorithms(String value) { digestAlgorithms = value; return this; }

        public SipDomainInput build() {
            return new SipDomainInput(domainName, friendlyName, voiceUrl, voiceMethod, voiceFallbackUrl,
                    voiceFallbackMethod, voiceStatusCallbackUrl, voiceStatusCallbackMethod, sipRegistration,
                    emergencyCallingEnabled, secure, byocTrunkSid, emergencyCallerSid, digestAlgorithms);
        }
    }
}
