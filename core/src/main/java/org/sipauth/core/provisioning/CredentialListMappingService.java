package org.sipauth.core.provisioning;

import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

/**
 * Credential list mappings of every kind: trunk CredentialLists ({@link MappingKind#TRUNK}),
 * domain Auth/Calls and the legacy domain CredentialListMappings ({@link MappingKind#DOMAIN_CALLS},
 * one shared set), and domain Auth/Registrations ({@link MappingKind#DOMAIN_REGISTRATIONS}).
 * A mapping is addressed by its list's SID and has no update.
 *
 * <p>Errors: unknown target (or another account's) is 404 on the path; a missing or malformed
 * {@code CredentialListSid} is 400; a list that does not exist in the account is 404; a list
 * already mapped to the target with that kind is 400. The 400 code is
 * {@value ApiException#TRUNK_INVALID} for trunks and {@value ApiException#DOMAIN_INVALID} for
 * domains. Thread-safe.
 */
public final class CredentialListMappingService {

    private final Mappings<CredentialListMapping> mappings;

    CredentialListMappingService(Context context) {
        this.mappings = new Mappings<>(context, SidKind.CREDENTIAL_LIST, "CredentialListSid", "Credential list",
                (store, account, list) -> store.findCredentialList(account, list).isPresent(),
                (store, kind, account, target, list, at) -> store.insertMapping(kind, account, target, list, at),
                (store, kind, account, target, list) -> store.findMapping(kind, account, target, list),
                (store, kind, account, target, query) -> store.listMappings(kind, account, target, query),
                (store, kind, account, target, list) -> store.deleteMapping(kind, account, target, list),
                CredentialListMapping::credentialListSid, CredentialListMapping::dateCreated);
    }

    public CredentialListMapping create(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        return mappings.create(accountSid, kind, targetSid, credentialListSid);
    }

    public CredentialListMapping fetch(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        return mappings.fetch(accountSid, kind, targetSid, credentialListSid);
    }

    /** The target's mappings of this kind; 404 when the target does not exist in the account. */
    public Page<CredentialListMapping> list(Sid accountSid, MappingKind kind, String targetSid, PageRequest request) {
        return mappings.list(accountSid, kind, targetSid, request);
    }

    public void delete(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        mappings.delete(accountSid, kind, targetSid, credentialListSid);
    }
}
