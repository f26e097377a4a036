package org.sipauth.core.provisioning;

/**
 * The form parameters of a trunk create/update, exactly as the client sent them: a null field
 * was not sent (left unchanged on update, defaulted on create); an empty string clears a nullable
 * field. Values are validated by {@link TrunkService}, so the REST layer passes them through raw.
 *
 * <p>{@code digestAlgorithms} is a sipauth extension (form parameter {@code DigestAlgorithms}): the
 * algorithms the trunk's challenges offer, comma-separated, in order (e.g. {@code SHA-256,MD5});
 * {@code ""} returns the trunk to the server-wide offer.
 */
public record TrunkInput(String friendlyName, String domainName, String disasterRecoveryUrl,
                         String disasterRecoveryMethod, String transferMode, String secure,
                         String cnamLookupEnabled, String transferCallerId, String digestAlgorithms) {

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; every setter is optional. */
    public static final class Builder {
        private String friendlyName;
        private String domainName;
        private String disasterRecoveryUrl;
        private String disasterRecoveryMethod;
        private String transferMode;
        private String secure;
        private String cnamLookupEnabled;
        private String transferCallerId;
        private String digestAlgorithms;

        private Builder() {
        }

        public Builder friendlyName(String value) { friendlyName = value; return this; }
        public Builder domainName(String value) { domainName = value; return this; }
        public Builder disasterRecoveryUrl(String value) { disasterRecoveryUrl = value; return this; }
        public Builder disasterRecoveryMethod(String value) { disasterRecoveryMethod = value; return this; }
        public Builder transferMode(String value) { transferMode = value; return this; }
        public Builder secure(String value) { secure = value; return this; }
        public Builder secure(boolean value) { secure = Boolean.toString(value); return this; }
        public Builder cnamLookupEnabled(String value) { cnamLookupEnabled = value; return this; }
        public Builder cnamLookupEnabled(boolean value) { cnamLookupEnabled = Boolean.toString(value); return this; }
        public Builder transferCallerId(String value) { transferCallerId = value; return this; }
        public Builder digestAlgorithms(String value) { digestAlgorithms = value; return this; }

        public TrunkInput build() {
            return new TrunkInput(friendlyName, domainName, disasterRecoveryUrl, disasterRecoveryMethod,
                    transferMode, secure, cnamLookupEnabled, transferCallerId, digestAlgorithms);
        }
    }
}
