package org.sipauth.jainsip;

import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.ProxyAuthenticate;
import gov.nist.javax.sip.header.WWWAuthenticate;
import java.text.ParseException;
import java.util.List;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import org.sipauth.core.authz.DigestChallenge;

/**
 * Builds WWW-Authenticate / Proxy-Authenticate headers from the engine's {@link DigestChallenge}
 * values, without the RI's header parser.
 *
 * <p>Why: {@link HeaderFactory#createHeader(String, String)} runs jain-sip-ri's lexer over every
 * challenge, about 2.5 % of the server's CPU under load (JFR), only to re-encode the same text.
 * The parameters are set in the order {@link DigestChallenge#toHeaderValue()} renders them, quoted
 * ones with their escapes (the RI adds the quotes, not the escapes), so the wire text is the
 * rendered value's. Should the RI refuse a value, its parser gets the rendered text.
 */
final class ChallengeHeaders {

    private ChallengeHeaders() {
    }

    /** The header {@code name: challenge}; {@code name} is WWW-Authenticate or Proxy-Authenticate. */
    static Header create(HeaderFactory factory, String name, DigestChallenge challenge) throws ParseException {
        Header built = build(name, challenge);
        return built != null ? built : factory.createHeader(name, challenge.toHeaderValue());
    }

    /** The header, or null for another header name or a value the RI's setters refuse. */
    static AuthenticationHeader build(String name, DigestChallenge c) {
        AuthenticationHeader header;
        if (WWWAuthenticate.NAME.equalsIgnoreCase(name)) {
            header = new WWWAuthenticate();
        } else if (ProxyAuthenticate.NAME.equalsIgnoreCase(name)) {
            header = new ProxyAuthenticate();
        } else {
            return null;
        }
        try {
            header.setScheme("Digest");
            header.setParameter("realm", escaped(c.realm()));
            header.setParameter("nonce", escaped(c.nonce()));
            if (c.opaque() != null) {
                header.setParameter("opaque", escaped(c.opaque()));
            }
            header.setParameter("algorithm", c.algorithm());
            List<String> qops = c.qops();
            if (!qops.isEmpty()) {
                header.setParameter("qop", qops.size() == 1 ? qops.get(0) : String.join(",", qops));
            }
            if (c.stale()) {
                header.setParameter("stale", "true");
            }
        } catch (ParseException | RuntimeException e) {
            return null;
        }
        return header;
    }

    /** The content of a quoted-string: {@code "} and {@code \} escaped (the RI adds the quotes). */
    private static String escaped(String value) {
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }
}
