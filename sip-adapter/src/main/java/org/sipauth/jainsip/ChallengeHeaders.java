package org.sipauth.jainsip;

import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.ProxyAuthenticate;
import gov.nist.javax.sip.header.WWWAuthenticate;
import java.text.ParseException;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;

/**
 * Builds WWW-Authenticate / Proxy-Authenticate headers from challenge values without the RI's
 * header parser.
 *
 * <p>Why: {@link HeaderFactory#createHeader(String, String)} runs jain-sip-ri's lexer over every
 * challenge, about 2.5 % of the server's CPU under load (JFR), only to re-encode the same text.
 * The engine's challenges are {@code scheme name=token|"quoted", ...}; each parameter is set as
 * received, quoted text kept verbatim (escapes included), so the wire text is what the RI's
 * parser would have produced. Anything else falls back to the RI's parser.
 */
final class ChallengeHeaders {

    private ChallengeHeaders() {
    }

    /** The header {@code name: value}; {@code name} is WWW-Authenticate or Proxy-Authenticate. */
    static Header create(HeaderFactory factory, String name, String value) throws ParseException {
        Header built = build(name, value);
        return built != null ? built : factory.createHeader(name, value);
    }

    /** The header, or null when {@code value} is not in the simple form (then the RI parses it). */
    static AuthenticationHeader build(String name, String value) {
        AuthenticationHeader header;
        if (WWWAuthenticate.NAME.equalsIgnoreCase(name)) {
            header = new WWWAuthenticate();
        } else if (ProxyAuthenticate.NAME.equalsIgnoreCase(name)) {
            header = new ProxyAuthenticate();
        } else {
            return null;
        }
        int n = value.length();
        int i = 0;
        int j = token(value, i);
        if (j == i || j == n || value.charAt(j) != ' ') {
            return null;
        }
        header.setScheme(value.substring(i, j));
        i = skipSpaces(value, j);
        try {
            while (i < n) {
                j = token(value, i);
                if (j == i || j == n || value.charAt(j) != '=') {
                    return null;
                }
                String param = value.substring(i, j);
                i = j + 1;
                String paramValue;
                if (i < n && value.charAt(i) == '"') {
                    int k = i + 1;
                    while (k < n && value.charAt(k) != '"') {
                        k += value.charAt(k) == '\\' ? 2 : 1;
                    }
                    if (k >= n || !quotedByTheRi(param)) {
                        return null; // unterminated, or a quoted parameter the RI would not quote
                    }
                    paramValue = value.substring(i + 1, k);
                    i = k + 1;
                } else {
                    j = token(value, i);
                    if (j == i || quotedByTheRi(param)) {
                        return null;
                    }
                    paramValue = value.substring(i, j);
                    i = j;
                }
                if (header.getParameter(param) != null) {
                    return null; // duplicated: let the RI decide
                }
                header.setParameter(param, paramValue);
                i = skipSpaces(value, i);
                if (i < n) {
                    if (value.charAt(i) != ',') {
                        return null;
                    }
                    i = skipSpaces(value, i + 1);
                    if (i == n) {
                        return null;
                    }
                }
            }
        } catch (ParseException | RuntimeException e) {
            return null;
        }
        return header;
    }

    /** The parameters jain-sip-ri quotes when it encodes a challenge (see AuthenticationHeader#setParameter). */
    private static boolean quotedByTheRi(String param) {
        return switch (param.toLowerCase(java.util.Locale.ROOT)) {
            case "qop", "realm", "cnonce", "nonce", "username", "domain", "opaque", "nextnonce", "uri", "response",
                 "ik", "ck", "integrity-protected" -> true;
            default -> false;
        };
    }

    private static int token(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '=' || c == ',' || c == '"') {
                break;
            }
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
