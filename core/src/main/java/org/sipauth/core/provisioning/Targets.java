package org.sipauth.core.provisioning;

import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/** Helpers about trunks and domains as authorization targets. */
final class Targets {

    private Targets() {
    }

    /** Only call mappings count toward {@code auth_type}; see {@link AuthTypes}. */
    static AuthTypes authTypes(Store store, MappingKind callKind, Sid accountSid, Sid targetSid) {
        boolean lists = !store.listMappings(callKind, accountSid, targetSid, PageQuery.first(1)).isEmpty();
        boolean acls = !store.listIpAccessControlListMappings(callKind, accountSid, targetSid, PageQuery.first(1)).isEmpty();
        return new AuthTypes(acls, lists);
    }
}
