package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.IP_ACCESS_CONTROL_LIST_INVALID;

import java.time.Instant;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * IP access control lists (API 2010 {@code …/SIP/IpAccessControlLists}). {@code FriendlyName} is
 * required, 1..255 characters (not unique). An account holds at most {@value #MAX_PER_ACCOUNT} lists,
 * as on Twilio; the count is checked before the insert, so nodes creating lists at the same moment may
 * pass it together by a few. Deleting a list also deletes its entries and every mapping of it. Errors
 * are 400 with code {@value ApiException#IP_ACCESS_CONTROL_LIST_INVALID}. Thread-safe.
 */
public final class IpAccessControlListService {

    /** Twilio's limit of IP access control lists per account. */
    public static final int MAX_PER_ACCOUNT = 1_000;
    static final int FRIENDLY_NAME_MAX = 255;

    private final Context context;
    private final Resources<IpAccessControlList> lists;

    IpAccessControlListService(Context context) {
        this.context = context;
        Store store = context.store();
        this.lists = new Resources<>(SidKind.IP_ACCESS_CONTROL_LIST, l -> PageQuery.Key.of(l.dateCreated(), l.sid()),
                store::insertIpAccessControlList, store::updateIpAccessControlList, store::findIpAccessControlList,
                store::listIpAccessControlLists, store::deleteIpAccessControlList, (e, list) -> {
                    throw e; // only a SID collision: friendly names need not be unique
                });
    }

    public IpAccessControlList create(Sid accountSid, String friendlyName) {
        String name = validName(friendlyName);
        if (!context.store().listIpAccessControlLists(accountSid, PageQuery.offset(MAX_PER_ACCOUNT - 1, 1)).isEmpty()) {
            throw ApiException.badRequest(IP_ACCESS_CONTROL_LIST_INVALID,
                    "An account can have at most " + MAX_PER_ACCOUNT + " IP access control lists");
        }
        Instant now = context.now();
        return lists.create(new IpAccessControlList(Sid.random(SidKind.IP_ACCESS_CONTROL_LIST), accountSid, name, now,
                now));
    }

    public IpAccessControlList fetch(Sid accountSid, String listSid) {
        return lists.fetch(accountSid, listSid);
    }

    public Page<IpAccessControlList> list(Sid accountSid, PageRequest request) {
        return lists.list(accountSid, request);
    }

    /** Renames the list; {@code FriendlyName} is required on update too. */
    public IpAccessControlList update(Sid accountSid, String listSid, String friendlyName) {
        IpAccessControlList current = fetch(accountSid, listSid);
        String name = validName(friendlyName);
        return lists.update(listSid, new IpAccessControlList(current.sid(), accountSid, name, current.dateCreated(),
                context.now()));
    }

    /** Deletes the list with its entries and mappings (one store transaction). */
    public void delete(Sid accountSid, String listSid) {
        lists.delete(accountSid, listSid);
    }

    private static String validName(String friendlyName) {
        Validation.required(friendlyName, "FriendlyName", IP_ACCESS_CONTROL_LIST_INVALID);
        return Validation.friendlyName(friendlyName, FRIENDLY_NAME_MAX, IP_ACCESS_CONTROL_LIST_INVALID);
    }
}
