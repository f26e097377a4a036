package org.sipauth.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sipauth.core.provisioning.ApiException;

/** Twilio's error body: {@code code}, {@code message}, {@code more_info}, {@code status}. */
final class ApiError {

    static final int METHOD_NOT_ALLOWED = 20004;
    static final int INTERNAL_ERROR = 20500;
    static final int TOO_MANY_REQUESTS = 20429;

    private ApiError() {
    }

    /** {@code status} always equals the HTTP status: twilio-java's getStatusCode() reads this field. */
    static Map<String, Object> body(int httpStatus, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        body.put("status", httpStatus);
        return body;
    }

    static Map<String, Object> body(ApiException e) {
        return body(e.httpStatus(), e.code(), e.getMessage());
    }

    static ApiException notFound(String path) {
        return ApiException.notFound(path);
    }

    /** Twilio's rate-limit error; the caller sets {@code Retry-After}. */
    static ApiException tooManyRequests() {
        return new ApiException(429, TOO_MANY_REQUESTS, "Too Many Requests");
    }

    static ApiException unauthorized() {
        return new ApiException(401, ApiException.AUTHENTICATION_FAILED, "Authentication Error - invalid username or password");
    }
}
