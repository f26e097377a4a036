package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.IP_ACCESS_CONTROL_LIST_INVALID;

import java.time.Instant;
import org.sipauth.core.lookup.IpText;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;

/**
 * The entries of an IP access control list (API 2010 {@code …/IpAccessControlLists/{AL}/IpAddresses}).
 * {@code FriendlyName} is required (1..255 characters); {@code IpAddress} is required, an IPv4 address
 * in dotted decimal (no wildcards) or an IPv6 address; {@code CidrPrefixLength} is 0..32 (IPv4) or
 * 0..128 (IPv6), by default the whole address. Update takes the same three, each optional; an address
 * changed without a prefix keeps the current prefix when it fits, else gets the whole address. A list
 * holds at most {@value #MAX_PER_LIST} entries, as on Twilio (checked before the insert, as for lists).
 * Errors are 400 with code {@value ApiException#IP_ACCESS_CONTROL_LIST_INVALID}. Thread-safe.
 */
public final class IpAddressService {

    /** Twilio's limit of entries (addresses or CIDR blocks) per IP access control list. */
    public static final int MAX_PER_LIST = 100;

    private final Context context;

    IpAddressService(Context context) {
        this.context = context;
    }

    public IpAddress create(Sid accountSid, String listSid, String friendlyName, String ipAddress,
                            String cidrPrefixLength) {
        IpAccessControlList list = list(accountSid, listSid);
        String name = validName(Validation.required(friendlyName, "FriendlyName", IP_ACCESS_CONTROL_LIST_INVALID));
        String address = Validation.required(ipAddress, "IpAddress", IP_ACCESS_CONTROL_LIST_INVALID);
        int bits = addressBits(address);
        Integer prefix = Validation.integer(cidrPrefixLength, "CidrPrefixLength", 0, bits, IP_ACCESS_CONTROL_LIST_INVALID);
        if (!context.store().listIpAddresses(accountSid, list.sid(), PageQuery.offset(MAX_PER_LIST - 1, 1)).isEmpty()) {
            throw ApiException.badRequest(IP_ACCESS_CONTROL_LIST_INVALID,
                    "An IP access control list can have at most " + MAX_PER_LIST + " IP addresses");
        }
        Instant now = context.now();
        IpAddress entry = new IpAddress(Sid.random(SidKind.IP_ADDRESS), list.accountSid(), list.sid(), name, address,
                prefix == null ? bits : prefix, now, now);
        try {
            context.store().insertIpAddress(entry);
        } catch (MissingReferenceException e) {
            throw ApiException.notFound(Validation.describe(SidKind.IP_ACCESS_CONTROL_LIST, listSid));
        }
        return entry;
    }

    public IpAddress fetch(Sid accountSid, String listSid, String ipAddressSid) {
        Sid list = Validation.pathSid(SidKind.IP_ACCESS_CONTROL_LIST, listSid);
        Sid sid = Validation.pathSid(SidKind.IP_ADDRESS, ipAddressSid);
        return context.store().findIpAddress(accountSid, list, sid)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.IP_ADDRESS, ipAddressSid)));
    }

    /** The list's entries; 404 when the list does not exist in the account. */
    public Page<IpAddress> list(Sid accountSid, String listSid, PageRequest request) {
        Sid list = list(accountSid, listSid).sid();
        return PageTokens.page(request, a -> PageQuery.Key.of(a.dateCreated(), a.sid()),
                query -> context.store().listIpAddresses(accountSid, list, query));
    }

    /** Changes the parameters sent; see the class comment for a changed address without a prefix. */
    public IpAddress update(Sid accountSid, String listSid, String ipAddressSid, String friendlyName, String ipAddress,
                            String cidrPrefixLength) {
        IpAddress current = fetch(accountSid, listSid, ipAddressSid);
        String name = friendlyName == null ? current.friendlyName() : validName(friendlyName);
        String address = ipAddress == null ? current.ipAddress() : Validation.required(ipAddress, "IpAddress",
                IP_ACCESS_CONTROL_LIST_INVALID);
        int bits = addressBits(address);
        Integer prefix = Validation.integer(cidrPrefixLength, "CidrPrefixLength", 0, bits, IP_ACCESS_CONTROL_LIST_INVALID);
        int length = prefix != null ? prefix : current.cidrPrefixLength() <= bits ? current.cidrPrefixLength() : bits;
        IpAddress updated = new IpAddress(current.sid(), current.accountSid(), current.ipAccessControlListSid(), name,
                address, length, current.dateCreated(), context.now());
        if (!context.store().updateIpAddress(updated)) {
            throw ApiException.notFound(Validation.describe(SidKind.IP_ADDRESS, ipAddressSid));
        }
        return updated;
    }

    public void delete(Sid accountSid, String listSid, String ipAddressSid) {
        Sid list = Validation.pathSid(SidKind.IP_ACCESS_CONTROL_LIST, listSid);
        Sid sid = Validation.pathSid(SidKind.IP_ADDRESS, ipAddressSid);
        if (!context.store().deleteIpAddress(accountSid, list, sid)) {
            throw ApiException.notFound(Validation.describe(SidKind.IP_ADDRESS, ipAddressSid));
        }
    }

    private IpAccessControlList list(Sid accountSid, String listSid) {
        Sid sid = Validation.pathSid(SidKind.IP_ACCESS_CONTROL_LIST, listSid);
        return context.store().findIpAccessControlList(accountSid, sid)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.IP_ACCESS_CONTROL_LIST, listSid)));
    }

    private static String validName(String friendlyName) {
        return Validation.friendlyName(friendlyName, IpAccessControlListService.FRIENDLY_NAME_MAX,
                IP_ACCESS_CONTROL_LIST_INVALID);
    }

    /** 32 for an IPv4 address, 128 for IPv6; 400 for anything else. */
    private static int addressBits(String address) {
        byte[] bytes = IpText.parse(address);
        if (bytes == null) {
            throw ApiException.badRequest(IP_ACCESS_CONTROL_LIST_INVALID,
                    "IpAddress must be an IPv4 address in dotted decimal notation or an IPv6 address");
        }
        return bytes.length * 8;
    }
}
