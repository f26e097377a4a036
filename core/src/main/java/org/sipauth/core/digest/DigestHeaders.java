package org.sipauth.core.digest;

import java.util.List;

/**
 * Parses {@code Digest} credentials and renders challenge values. <b>Internal</b>: not part of
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

    private static void quoted(StringBuilder b, String value) {
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

    /**
     * Renders one challenge value: {@code Digest realm="…", nonce="…", [opaque="…",] algorithm=…,
     * [qop="…",] [stale=true]}.
     *
     * @param qops the qop options offered (empty: RFC 2069 challenge without qop)
     */
    public static String challenge(String realm, String nonce, String opaque, DigestAlgorithm algorithm,
                                   List<String> qops, boolean stale) {
        StringBuilder b = new StringBuilder(96 + realm.length() + nonce.length() + (opaque == null ? 0 : opaque.length()));
        b.append("Digest realm=");
        quoted(b, realm);
        b.append(", nonce=\"").append(nonce).append('"');
        if (opaque != null) {
            b.append(", opaque=");
            quoted(b, opaque);
        }
        b.append(", algorithm=").append(algorithm.token());
        if (!qops.isEmpty()) {
            b.append(", qop=\"");
            for (int i = 0; i < qops.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(qops.get(i));
            }
            b.append('"');
        }
        if (stale) {
            b.append(", stale=true");
        }
        return b.toString();
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
