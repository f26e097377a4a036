package org.sipauth.core.store;

import java.util.Objects;
import org.sipauth.core.model.Sid;

/**
 * One committed mutation, published by a {@link Store} to its subscribers after the write is
 * durable and before the provisioning call returns.
 *
 * @param type       what changed
 * @param accountSid the owner of the changed resource
 * @param sid        the changed resource (for a mapping: the mapped list's SID, CL… or AL…)
 * @param parentSid  the containing resource: the list of a credential or IP address, the trunk/domain of a
 *                   mapping or of an origination URL; else null
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
        IP_ACCESS_CONTROL_LIST_CHANGED, IP_ACCESS_CONTROL_LIST_DELETED,
        IP_ADDRESS_CHANGED, IP_ADDRESS_DELETED,
        /** The subscriber may have missed events (e.g. a lost LISTEN connection): drop every cache. */
        RESET
    }

    public ChangeEvent {
        Objects.requireNonNull(type, "type");
    }
}
