package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.CREDENTIAL_LIST_INVALID;

import java.time.Instant;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * Credential lists (API 2010 {@code …/SIP/CredentialLists}). {@code FriendlyName} is required,
 * 1..64 characters and unique per account (code {@value ApiException#CREDENTIAL_LIST_INVALID}).
 * Deleting a list also deletes its credentials and every mapping of it. Thread-safe.
 */
public final class CredentialListService {

    private final Context context;
    private final Resources<CredentialList> lists;

    CredentialListService(Context context) {
        this.context = context;
        Store store = context.store();
        this.lists = new Resources<>(SidKind.CREDENTIAL_LIST, l -> PageQuery.Key.of(l.dateCreated(), l.sid()),
                store::insertCredentialList, store::updateCredentialList, store::findCredentialList,
                store::listCredentialLists, store::deleteCredentialList,
                (e, list) -> duplicate(e, list.friendlyName()));
    }

    public CredentialList create(Sid accountSid, String friendlyName) {
        String name = validName(friendlyName);
        Instant now = context.now();
        return lists.create(new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), accountSid, name, now, now));
    }

    public CredentialList fetch(Sid accountSid, String listSid) {
        return lists.fetch(accountSid, listSid);
    }

    public Page<CredentialList> list(Sid accountSid, PageRequest request) {
        return lists.list(accountSid, request);
    }

    /** Renames the list; {@code FriendlyName} is required on update too. */
    public CredentialList update(Sid accountSid, String listSid, String friendlyName) {
        CredentialList current = fetch(accountSid, listSid);
        String name = validName(friendlyName);
        return lists.update(listSid, new CredentialList(current.sid(), accountSid, name, current.dateCreated(), context.now()));
    }

    /** Deletes the list with its credentials and mappings (one store transaction). */
    public void delete(Sid accountSid, String listSid) {
        lists.delete(accountSid, listSid);
    }

    private static String validName(String friendlyName) {
        Validation.required(friendlyName, "FriendlyName", CREDENTIAL_LIST_INVALID);
        return Validation.friendlyName(friendlyName, CREDENTIAL_LIST_INVALID);
    }

    private static ApiException duplicate(DuplicateKeyException e, String name) {
        if (e.key() == DuplicateKeyException.Key.FRIENDLY_NAME) {
            return ApiException.badRequest(CREDENTIAL_LIST_INVALID,
                    "A credential list with FriendlyName '" + name + "' already exists");
        }
        throw e;
    }
}
