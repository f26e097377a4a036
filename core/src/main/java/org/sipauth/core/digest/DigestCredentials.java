package org.sipauth.core.digest;

import java.util.Objects;

/**
 * The parameters of one {@code Digest} Authorization / Proxy-Authorization value, validated for
 * shape by {@link DigestHeaders#parse}. <b>Internal</b>: not part of sipauth's API.
 *
 * @param username       the username (unescaped)
 * @param realm          the realm (unescaped)
 * @param nonce          the nonce as sent
 * @param uri            the digest-uri as sent
 * @param response       the response, hex as sent (length checked against the algorithm)
 * @param algorithm      the algorithm, MD5 when absent; null when the token is not one we know
 * @param algorithmToken the algorithm token as sent, null when absent
 * @param cnonce         the client nonce, null without qop
 * @param nc             the nonce-count, 8 hex digits as sent, null without qop
 * @param qop            {@link DigestHeaders#QOP_AUTH}, {@link DigestHeaders#QOP_AUTH_INT} or null (RFC 2069)
 * @param opaque         the opaque value, null when absent
 */
public record DigestCredentials(String username, String realm, String nonce, String uri, String response,
                                DigestAlgorithm algorithm, String algorithmToken, String cnonce, String nc,
                                String qop, String opaque) {

    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
    }

    /** The nonce-count as a number (0 when absent). */
    public long ncValue() {
        if (nc == null) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < nc.length(); i++) {
            value = (value << 4) | Ascii.hexValue(nc.charAt(i));
        }
        return value;
    }

    /** Never prints the response: it is a password-equivalent proof for this nonce. */
    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", realm=" + realm + ", uri=" + uri
                + ", algorithm=" + (algorithm == null ? algorithmToken : algorithm.token()) + ", qop=" + qop + ", nc=" + nc + "]";
    }
}
