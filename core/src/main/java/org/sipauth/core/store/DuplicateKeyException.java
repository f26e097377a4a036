package org.sipauth.core.store;

/**
 * A write would break a uniqueness rule that the store enforces atomically (a unique constraint in
 * SQL). Provisioning maps it to the resource's Twilio error code.
 */
public final class DuplicateKeyException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** Which uniqueness rule was hit. */
    public enum Key {
        /** The resource's SID exists already. */
        SID,
        /** Domain name already used by a trunk or SIP domain (case-insensitive, all accounts). */
        DOMAIN_NAME,
        /** Credential list friendly name already used in the account. */
        FRIENDLY_NAME,
        /** Username already used in the credential list. */
        USERNAME,
        /** The list is already mapped to that target with that kind. */
        MAPPING
    }

    private final Key key;

    public DuplicateKeyException(Key key) {
        super("duplicate " + key);
        this.key = key;
    }

    public Key key() {
        return key;
    }
}
