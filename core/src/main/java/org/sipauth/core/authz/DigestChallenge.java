package org.sipauth.core.authz;

import static org.sipauth.core.digest.DigestHeaders.quoted;

import java.util.List;
import java.util.Objects;

/**
 * One digest challenge (RFC 7616 section 3.3): the parameters of one WWW-Authenticate or
 * Proxy-Authenticate header, rendered by {@link #toHeaderValue()}.
 *
 * <p>A SIP stack renders it either as text ({@link #toHeaderValue()}) or from the fields (the JAIN-SIP
 * adapter builds the stack's header object from them); both give the same wire text. Values are
 * kept unescaped; rendering quotes and escapes {@code realm}, {@code nonce}, {@code opaque} and
 * {@code qop}. Immutable.
 *
 * @param realm     the protection space; no control characters
 * @param nonce     the server nonce; no control characters
 * @param opaque    sent back unchanged by the client; null when none; no control characters
 * @param algorithm the algorithm token, e.g. {@code SHA-256} or {@code MD5}
 * @param qops      the qop options offered ({@code auth}, {@code auth-int}); empty for an RFC 2069
 *                  challenge without qop
 * @param stale     true when the client's nonce was genuine but expired (retry without asking the user)
 */
public record DigestChallenge(String realm, String nonce, String opaque, String algorithm, List<String> qops,
                              boolean stale) {

    public DigestChallenge {
        requireText(realm, "realm");
        requireText(nonce, "nonce");
        if (opaque != null) {
            requireText(opaque, "opaque");
        }
        requireToken(algorithm, "algorithm");
        qops = List.copyOf(qops);
        for (String qop : qops) {
            requireToken(qop, "qop");
        }
    }

    /**
     * The header value: {@code Digest realm="…", nonce="…", [opaque="…",] algorithm=…, [qop="…",]
     * [stale=true]}, quoted strings escaped (RFC 7616 section 3.3, RFC 7230 quoted-string).
     */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder(64 + realm.length() + nonce.length() + (opaque == null ? 0 : opaque.length()));
        b.append("Digest realm=");
        quoted(b, realm);
        b.append(", nonce=");
        quoted(b, nonce);
        if (opaque != null) {
            b.append(", opaque=");
            quoted(b, opaque);
        }
        b.append(", algorithm=").append(algorithm);
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

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(name + " must not contain control characters");
            }
        }
    }

    /** An RFC 7230 token: visible ASCII except separators. */
    private static void requireToken(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException(name + " must be a token, got " + value);
            }
        }
    }
}
