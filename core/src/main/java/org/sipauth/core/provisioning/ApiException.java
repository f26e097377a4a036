package org.sipauth.core.provisioning;

/**
 * A provisioning request the API must refuse, with the HTTP status and Twilio error code to
 * answer. Unchecked: every service method may throw it. The message is safe to show to the
 * client (it never contains a password, token or HA1).
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Generic "bad request", used where Twilio publishes no resource-specific code (trunks, paging). */
    public static final int BAD_REQUEST = 400;
    /** Missing or wrong HTTP Basic credentials (the REST layer's, listed here for completeness). */
    public static final int AUTHENTICATION_FAILED = 20003;
    /** Resource not found, including another account's resource and a malformed SID in the path. */
    public static final int NOT_FOUND = 20404;
    /** SIP domain validation error, including a duplicate domain name and a duplicate domain mapping. */
    public static final int DOMAIN_INVALID = 21231;
    /** Credential list validation error (FriendlyName missing, too long, duplicate). */
    public static final int CREDENTIAL_LIST_INVALID = 21240;
    /** Credential validation error (Username, Password). */
    public static final int CREDENTIAL_INVALID = 21243;
    /** Trunk domain name already used by a trunk or SIP domain. */
    public static final int TRUNK_DOMAIN_TAKEN = 21248;
    /**
     * IP access control list and IP address validation error, and their limits (1,000 lists per account,
     * 100 entries per list): Twilio documents no specific code.
     */
    public static final int IP_ACCESS_CONTROL_LIST_INVALID = BAD_REQUEST;
    /** Trunk validation error and duplicate trunk mapping (Twilio documents no specific code). */
    public static final int TRUNK_INVALID = BAD_REQUEST;

    private final int httpStatus;
    private final int code;

    public ApiException(int httpStatus, int code, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace to fill or leak
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** 404 / 20404 with Twilio's message shape; {@code resource} is what the client asked for. */
    public static ApiException notFound(String resource) {
        return new ApiException(404, NOT_FOUND, "The requested resource " + resource + " was not found");
    }

    /** 400 with the given Twilio code. */
    public static ApiException badRequest(int code, String message) {
        return new ApiException(400, code, message);
    }

    /** The HTTP status to answer (also the {@code status} field of the error JSON). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Twilio error code ({@code code} field of the error JSON). */
    public int code() {
        return code;
    }

    public boolean isNotFound() {
        return code == NOT_FOUND;
    }
}
