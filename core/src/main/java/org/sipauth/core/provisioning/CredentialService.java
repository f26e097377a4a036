package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.CREDENTIAL_INVALID;

import java.time.Instant;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;

/**
 * Credentials of a credential list (API 2010 {@code …/CredentialLists/{CL}/Credentials}).
 * The password is validated, turned into HA1s for the configured realm and discarded; it is never
 * stored, returned or logged, and it may not equal the username (ignoring case). Usernames are
 * unique (case-sensitive) within a list. Validation errors are 400 with code
 * {@value ApiException#CREDENTIAL_INVALID}. Thread-safe.
 */
public final class CredentialService {

    private final Context context;

    CredentialService(Context context) {
        this.context = context;
    }

    public Credential create(Sid accountSid, String listSid, String username, String password) {
        CredentialList list = list(accountSid, listSid);
        String user = Validation.username(username, CREDENTIAL_INVALID);
        String secret = Validation.password(password, CREDENTIAL_INVALID);
        Validation.passwordNotUsername(secret, user, CREDENTIAL_INVALID);
        Instant now = context.now();
        Credential credential = new Credential(Sid.random(SidKind.CREDENTIAL), list.accountSid(), list.sid(), user,
                Ha1Calculator.compute(user, context.realm(), secret), now, now);
        try {
            context.store().insertCredential(credential);
        } catch (DuplicateKeyException e) {
            if (e.key() == DuplicateKeyException.Key.USERNAME) {
                throw ApiException.badRequest(CREDENTIAL_INVALID,
                        "A credential with Username '" + user + "' already exists in this list");
            }
            throw e;
        } catch (MissingReferenceException e) {
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, listSid));
        }
        return credential;
    }

    public Credential fetch(Sid accountSid, String listSid, String credentialSid) {
        Sid list = Validation.pathSid(SidKind.CREDENTIAL_LIST, listSid);
        Sid sid = Validation.pathSid(SidKind.CREDENTIAL, credentialSid);
        return context.store().findCredential(accountSid, list, sid)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.CREDENTIAL, credentialSid)));
    }

    /** The list's credentials; 404 when the list does not exist in the account. */
    public Page<Credential> list(Sid accountSid, String listSid, PageRequest request) {
        Sid list = list(accountSid, listSid).sid();
        return PageTokens.page(request, c -> PageQuery.Key.of(c.dateCreated(), c.sid()),
                query -> context.store().listCredentials(accountSid, list, query));
    }

    /**
     * Changes the password (the only updatable field): recomputes every HA1. A null password (not
     * sent) changes nothing and returns the credential as it is.
     */
    public Credential update(Sid accountSid, String listSid, String credentialSid, String password) {
        Credential current = fetch(accountSid, listSid, credentialSid);
        if (password == null) {
            return current;
        }
        String secret = Validation.password(password, CREDENTIAL_INVALID);
        Validation.passwordNotUsername(secret, current.username(), CREDENTIAL_INVALID);
        Credential updated = new Credential(current.sid(), current.accountSid(), current.credentialListSid(), current.username(),
                Ha1Calculator.compute(current.username(), context.realm(), secret), current.dateCreated(), context.now());
        if (!context.store().updateCredential(updated)) {
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL, credentialSid));
        }
        return updated;
    }

    public void delete(Sid accountSid, String listSid, String credentialSid) {
        Sid list = Validation.pathSid(SidKind.CREDENTIAL_LIST, listSid);
        Sid sid = Validation.pathSid(SidKind.CREDENTIAL, credentialSid);
        if (!context.store().deleteCredential(accountSid, list, sid)) {
            throw ApiException.notFound(Validation.describe(SidKind.CREDENTIAL, credentialSid));
        }
    }

    private CredentialList list(Sid accountSid, String listSid) {
        Sid sid = Validation.pathSid(SidKind.CREDENTIAL_LIST, listSid);
        return context.store().findCredentialList(accountSid, sid)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.CREDENTIAL_LIST, listSid)));
    }
}
