package org.sipauth.core.provisioning;

/**
 * The form parameters of an origination URL create/update, exactly as the client sent them: a null
 * field was not sent (required on create, left unchanged on update). Values are validated by
 * {@link OriginationUrlService}, so the REST layer passes them through raw.
 */
public record OriginationUrlInput(String friendlyName, String sipUrl, String priority, String weight,
                                  String enabled) {

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; every setter is optional. */
    public static final class Builder {
        private String friendlyName;
        private String sipUrl;
        private String priority;
        private String weight;
        private String enabled;

        private Builder() {
        }

        public Builder friendlyName(String value) { friendlyName = value; return this; }
        public Builder sipUrl(String value) { sipUrl = value; return this; }
        public Builder priority(String value) { priority = value; return this; }
        public Builder priority(int value) { priority = Integer.toString(value); return this; }
        public Builder weight(String value) { weight = value; return this; }
        public Builder weight(int value) { weight = Integer.toString(value); return this; }
        public Builder enabled(String value) { enabled = value; return this; }
        public Builder enabled(boolean value) { enabled = Boolean.toString(value); return this; }

        public OriginationUrlInput build() {
            return new OriginationUrlInput(friendlyName, sipUrl, priority, weight, enabled);
        }
    }
}
