package org.sipauth.core.store;

/**
 * A write refers to a resource that does not exist (any more) in the given account, e.g. a
 * credential inserted into a list deleted concurrently (a foreign-key violation in SQL).
 */
public final class MissingReferenceException extends StoreException {

    private static final long serialVersionUID = 1L;

    public MissingReferenceException(String what) {
        super("missing " + what);
    }
}
