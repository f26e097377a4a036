package org.sipauth.core.store;

/**
 * A store failure. Subclasses are rule violations the caller can map to an API error; a plain
 * {@code StoreException} is an outage (database unreachable, I/O error).
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
