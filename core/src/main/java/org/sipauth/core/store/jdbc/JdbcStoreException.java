package org.sipauth.core.store.jdbc;

/** The database could not be reached or answered with an unexpected error (a store outage). */
public final class JdbcStoreException extends RuntimeException {
    public JdbcStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
