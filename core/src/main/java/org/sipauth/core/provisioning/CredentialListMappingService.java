package org.sipauth.core.provisioning;

import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;

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

    private final Context context;

    CredentialListMappingService(Context context) {
        this.context = context;
    }

    public CredentialListMapping create(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        Sid target = requireTarget(accountSid, kind, targetSid);
        Sid list = Validation.paramSid(SidKind.CREDENTIAL_LIST, credentialListSid, "CredentialListSid", code(kind));
        if (context.store().findCredentialList(accountSid, list).isEmpty()) {
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, credentialListSid));
        }
        try {
            return context.store().insertMapping(kind, accountSid, target, list, context.now());
        } catch (DuplicateKeyException e) {
            if (e.key() == DuplicateKeyException.Key.MAPPING) {
                throw ApiException.badRequest(code(kind),
                        "Credential list " + list + " is already mapped to " + target);
            }
            throw e;
        } catch (MissingReferenceException e) {
            // the target or the list was deleted between the checks above and the insert
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, credentialListSid));
        }
    }

    public CredentialListMapping fetch(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        Sid target = Validation.pathSid(kind.targetKind(), targetSid);
        Sid list = Validation.pathSid(SidKind.CREDENTIAL_LIST, credentialListSid);
        return context.store().findMapping(kind, accountSid, target, list)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, credentialListSid)));
    }

    /** The target's mappings of this kind; 404 when the target does not exist in the account. */
    public Page<CredentialListMapping> list(Sid accountSid, MappingKind kind, String targetSid, PageRequest request) {
        Sid target = requireTarget(accountSid, kind, targetSid);
        return PageTokens.page(request, m -> PageQuery.Key.of(m.dateCreated(), m.credentialListSid()),
                query -> context.store().listMappings(kind, accountSid, target, query));
    }

    public void delete(Sid accountSid, MappingKind kind, String targetSid, String credentialListSid) {
        Sid target = Validation.pathSid(kind.targetKind(), targetSid);
        Sid list = Validation.pathSid(SidKind.CREDENTIAL_LIST, credentialListSid);
        if (!context.store().deleteMapping(kind, accountSid, target, list)) {
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, credentialListSid));
        }
    }

    private Sid requireTarget(Sid accountSid, MappingKind kind, String targetSid) {
        Sid target = Validation.pathSid(kind.targetKind(), targetSid);
        boolean exists = kind == MappingKind.TRUNK
                ? context.store().findTrunk(accountSid, target).isPresent()
                : context.store().findSipDomain(accountSid, target).isPresent();
        if (!exists) {
            throw ApiException.notFound(Validation.describe(kind.targetKind(), targetSid));
        }
        return target;
    }

    private static int code(MappingKind kind) {
        return kind == MappingKind.TRUNK ? ApiException.TRUNK_INVALID : ApiException.DOMAIN_INVALID;
    }
}
