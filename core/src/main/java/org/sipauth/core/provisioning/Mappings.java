package org.sipauth.core.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * The rules both kinds of mapping share (credential lists, IP access control lists): the target on
 * the path must exist in the account (404), the list parameter is required and well-formed (400), the
 * list must exist in the account (404), a list is mapped to a target at most once per kind (400).
 * The 400 code is {@value ApiException#TRUNK_INVALID} for trunks and {@value ApiException#DOMAIN_INVALID}
 * for domains. Thread-safe.
 *
 * @param <M>       the mapping record
 * @param listKind  CL or AL
 * @param listParam the form parameter naming the list ({@code CredentialListSid}, …)
 * @param noun      how messages name the list ("Credential list", "IP access control list")
 */
record Mappings<M>(Context context, SidKind listKind, String listParam, String noun, ListExists listExists,
                   Insert<M> insert, Find<M> find, Slice<M> slice, Delete delete, Function<M, Sid> listSidOf,
                   Function<M, Instant> dateCreatedOf) {

    /** Whether a list of the mapped kind exists in the account. */
    @FunctionalInterface
    interface ListExists {
        boolean exists(Store store, Sid accountSid, Sid listSid);
    }

    @FunctionalInterface
    interface Insert<M> {
        M insert(Store store, MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid, Instant dateCreated);
    }

    @FunctionalInterface
    interface Find<M> {
        Optional<M> find(Store store, MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid);
    }

    @FunctionalInterface
    interface Slice<M> {
        List<M> list(Store store, MappingKind kind, Sid accountSid, Sid targetSid, PageQuery query);
    }

    @FunctionalInterface
    interface Delete {
        boolean delete(Store store, MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid);
    }

    M create(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        Sid target = requireTarget(accountSid, kind, targetSid);
        Sid list = Validation.paramSid(listKind, listSid, listParam, code(kind));
        if (!listExists.exists(context.store(), accountSid, list)) {
            throw ApiException.notFound(Validation.describe(listKind, listSid));
        }
        try {
            return insert.insert(context.store(), kind, accountSid, target, list, context.now());
        } catch (DuplicateKeyException e) {
            if (e.key() == DuplicateKeyException.Key.MAPPING) {
                throw ApiException.badRequest(code(kind), noun + " " + list + " is already mapped to " + target);
            }
            throw e;
        } catch (MissingReferenceException e) {
            // the target or the list was deleted between the checks above and the insert
            throw ApiException.notFound(Validation.describe(listKind, listSid));
        }
    }

    M fetch(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        Sid target = Validation.pathSid(kind.targetKind(), targetSid);
        Sid list = Validation.pathSid(listKind, listSid);
        return find.find(context.store(), kind, accountSid, target, list)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(listKind, listSid)));
    }

    Page<M> list(Sid accountSid, MappingKind kind, String targetSid, PageRequest request) {
        Sid target = requireTarget(accountSid, kind, targetSid);
        return PageTokens.page(request, m -> PageQuery.Key.of(dateCreatedOf.apply(m), listSidOf.apply(m)),
                query -> slice.list(context.store(), kind, accountSid, target, query));
    }

    void delete(Sid accountSid, MappingKind kind, String targetSid, String listSid) {
        Sid target = Validation.pathSid(kind.targetKind(), targetSid);
        Sid list = Validation.pathSid(listKind, listSid);
        if (!delete.delete(context.store(), kind, accountSid, target, list)) {
            throw ApiException.notFound(Validation.describe(listKind, listSid));
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
