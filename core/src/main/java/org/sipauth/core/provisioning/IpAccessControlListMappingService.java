package org.sipauth.core.provisioning;

import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

/**
 * IP access control list mappings: trunk IpAccessControlLists ({@link MappingKind#TRUNK}) and domain
 * Auth/Calls/IpAccessControlListMappings with the legacy domain IpAccessControlListMappings
 * ({@link MappingKind#DOMAIN_CALLS}, one shared set). Registrations take no IP access control list:
 * {@link MappingKind#DOMAIN_REGISTRATIONS} is refused with IllegalArgumentException (no path leads
 * there). Errors as for {@link CredentialListMappingService}, with {@code IpAccessControlListSid}.
 * Thread-safe.
 */
public final class IpAccessControlListMappingService {

    private final Mappings<IpAccessControlListMapping> mappings;

    IpAccessControlListMappingService(Context context) {
        this.mappings = new Mappings<>(context, SidKind.IP_ACCESS_CONTROL_LIST, "IpAccessControlListSid",
                "IP access control list",
                (store, account, list) -> store.findIpAccessControlList(account, list).isPresent(),
                (store, kind, account, target, list, at) ->
                        store.insertIpAccessControlListMapping(kind, account, target, list, at),
                (store, kind, account, target, list) -> store.findIpAccessControlListMapping(kind, account, target, list),
                (store, kind, account, target, query) ->
                        store.listIpAccessControlListMappings(kind, account, target, query),
                (store, kind, account, target, list) -> store.deleteIpAccessControlListMapping(kind, account, target, list),
                IpAccessControlListMapping::ipAccessControlListSid, IpAccessControlListMapping::dateCreated);
    }

    public IpAccessControlListMapping create(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        return mappings.create(accountSid, calls(kind), targetSid, listSid);
    }

    public IpAccessControlListMapping fetch(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        return mappings.fetch(accountSid, calls(kind), targetSid, listSid);
    }

    /** The target's mappings; 404 when the target does not exist in the account. */
    public Page<IpAccessControlListMapping> list(Sid accountSid, MappingKind kind, String targetSid, PageRequest request) {
        return mappings.list(accountSid, calls(kind), targetSid, request);
    }

    public void delete(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        mappings.delete(accountSid, calls(kind), targetSid, listSid);
    }

    private static MappingKind calls(MappingKind kind) {
        if (kind == MappingKind.DOMAIN_REGISTRATIONS) {
            throw new IllegalArgumentException("IP access control lists are mapped for calls only");
        }
        return kind;
    }
}
