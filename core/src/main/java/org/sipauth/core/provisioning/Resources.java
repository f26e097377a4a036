package org.sipauth.core.provisioning;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.PageQuery;

/**
 * The store round trips that trunks, SIP domains and credential lists share. A SID on the path
 * that is malformed, of another kind, another account's or gone is a 404 naming it as given; a
 * {@link DuplicateKeyException} from an insert or update becomes the resource's own error. Lists
 * are keyset pages in {@code (dateCreated, sid)} order. Thread-safe when the store is.
 *
 * @param <T>       the resource record
 * @param duplicate the error for a duplicate key of the resource being written; it rethrows the
 *                  exception itself for a key no client can cause (a SID collision)
 */
record Resources<T>(SidKind kind, Function<T, PageQuery.Key> keyOf, Consumer<T> insert, Predicate<T> update,
                    Find<T> find, Slice<T> slice, Delete delete,
                    BiFunction<DuplicateKeyException, T, ApiException> duplicate) {

    /** Reads one resource of an account. */
    @FunctionalInterface
    interface Find<T> {
        Optional<T> find(Sid accountSid, Sid sid);
    }

    /** Reads one page of an account's resources. */
    @FunctionalInterface
    interface Slice<T> {
        List<T> list(Sid accountSid, PageQuery query);
    }

    /** Deletes one resource of an account; false when it does not exist there. */
    @FunctionalInterface
    interface Delete {
        boolean delete(Sid accountSid, Sid sid);
    }

    /** Inserts {@code created} and returns it. */
    T create(T created) {
        try {
            insert.accept(created);
        } catch (DuplicateKeyException e) {
            throw duplicate.apply(e, created);
        }
        return created;
    }

    T fetch(Sid accountSid, String sid) {
        return find.find(accountSid, Validation.pathSid(kind, sid)).orElseThrow(() -> notFound(sid));
    }

    Page<T> list(Sid accountSid, PageRequest request) {
        return PageTokens.page(request, keyOf, query -> slice.list(accountSid, query));
    }

    /** Replaces the resource at path {@code sid} with {@code updated} and returns it. */
    T update(String sid, T updated) {
        try {
            if (!update.test(updated)) {
                throw notFound(sid);
            }
        } catch (DuplicateKeyException e) {
            throw duplicate.apply(e, updated);
        }
        return updated;
    }

    void delete(Sid accountSid, String sid) {
        if (!delete.delete(accountSid, Validation.pathSid(kind, sid))) {
            throw notFound(sid);
        }
    }

    private ApiException notFound(String sid) {
        return ApiException.notFound(Validation.describe(kind, sid));
    }
}
