package org.sipauth.core.digest;


/**
 * Parses and renders {@code Digest} credentials. <b>Internal</b>: not part of
 * sipauth's API.
 *
 * <p>{@link #parse} materializes a {@link DigestFields} scan (a single left-to-right pass: no
 * regex, no split, no lowercased copies) as strings. A bad value is a {@link ParseResult} with
 * status {@code MALFORMED}, never an exception.
 */
public final class DigestHeaders {

    public static final String QOP_AUTH = "auth";
    public static final String QOP_AUTH_INT = "auth-int";
    /** Longer values are rejected outright (a SIP header of this size is an attack, not a client). */
    public static final int MAX_LENGTH = 8192;

    private DigestHeaders() {
    }

    /** Outcome of parsing one header value. */
    public enum Status { OK, NOT_DIGEST, MALFORMED }

    /**
     * The result of {@link #parse}: {@code credentials} is set only when {@code status} is OK;
     * {@code problem} says what was wrong (a constant, safe to log).
     */
    public record ParseResult(Status status, DigestCredentials credentials, String problem) {
        static final ParseResult NOT_DIGEST = new ParseResult(Status.NOT_DIGEST, null, "not a Digest value");

        static ParseResult malformed(String problem) {
            return new ParseResult(Status.MALFORMED, null, problem);
        }
    }

    /** Parses one Authorization / Proxy-Authorization value. Never throws on bad input. */
    public static ParseResult parse(String s) {
        DigestFields fields = DigestFields.scan(s);
        return switch (fields.status()) {
            case OK -> new ParseResult(Status.OK, fields.toCredentials(), null);
            case NOT_DIGEST -> ParseResult.NOT_DIGEST;
            case MALFORMED -> ParseResult.malformed(fields.problem());
        };
    }

    /** Appends {@code value} as a quoted-string: {@code "} and {@code \} escaped with a backslash. */
    public static void quoted(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    /** Renders credentials as a client would send them (tests, tools and benchmarks). */
    public static String credentials(DigestCredentials c) {
        StringBuilder b = new StringBuilder(256);
        b.append("Digest username=");
        quoted(b, c.username());
        b.append(", realm=");
        quoted(b, c.realm());
        b.append(", nonce=");
        quoted(b, c.nonce());
        b.append(", uri=");
        quoted(b, c.uri());
        b.append(", response=\"").append(c.response()).append('"');
        if (c.algorithmToken() != null) {
            b.append(", algorithm=").append(c.algorithmToken());
        }
        if (c.qop() != null) {
            b.append(", qop=").append(c.qop()).append(", nc=").append(c.nc()).append(", cnonce=");
            quoted(b, c.cnonce());
        }
        if (c.opaque() != null) {
            b.append(", opaque=");
            quoted(b, c.opaque());
        }
        return b.toString();
    }
}
