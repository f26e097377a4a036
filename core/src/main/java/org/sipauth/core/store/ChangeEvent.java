package org.sipauth.core.store;

import java.util.Objects;
import org.sipauth.core.model.Sid;

/**
 * One committed mutation, published by a {@link Store} to its subscribers after the write is
 * durable and before the provisioning call returns.
 *
 * @param type       what changed
 * @param accountSid the owner of the changed resource
 * @param sid        the changed resource (for a mapping: the credential list's SID)
 * @param parentSid  the containing resource: the list of a credential, the trunk/domain of a mapping or of an
 *                   origination URL; else null
 */
public record ChangeEvent(Type type, Sid accountSid, Sid sid, Sid parentSid) {

    /** Kinds of mutation. */
    public enum Type {
        ACCOUNT_CHANGED,
        TRUNK_CHANGED, TRUNK_DELETED,
        SIP_DOMAIN_CHANGED, SIP_DOMAIN_DELETED,
        CREDENTIAL_LIST_CHANGED, CREDENTIAL_LIST_DELETED,
        CREDENTIAL_CHANGED, CREDENTIAL_DELETED,
        MAPPING_CHANGED, MAPPING_DELETED,
        /** An origination URL of the trunk or SIP domain {@code parentSid}. */
        ORIGINATION_URL_CHANGED, ORIGINATION_URL_DELETED,
        /** The subscriber may have missed events (e.g. a lost LISTEN connection): drop every cache. */
        RESET
    }

    public ChangeEvent {
        Objects.requireNonNull(type, "type");
    }
}
