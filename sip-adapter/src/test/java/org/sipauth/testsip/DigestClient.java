package org.sipauth.testsip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of HTTP/SIP digest (RFC 7616 §3.4.1, qop=auth), written for the tests
 * independently of the engine: parses a challenge and computes an Authorization value.
 */
public final class DigestClient {

    private static final Pattern PARAM = Pattern.compile("([A-Za-z0-9-]+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]+))");

    private DigestClient() {
    }

    /** The parameters of one WWW-Authenticate / Proxy-Authenticate value (names lowercased). */
    public static Map<String, String> parseChallenge(String value) {
        String v = value.trim();
        if (!v.regionMatches(true, 0, "Digest ", 0, 7)) {
            throw new AssertionError("not a Digest challenge: " + value);
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(v.substring(7));
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return params;
    }

    /** An Authorization value answering {@code challenge} with qop=auth and the given nonce-count. */
    public static String authorization(String challenge, String method, String uri, String username,
                                       String password, String cnonce, int nc) {
        Map<String, String> c = parseChallenge(challenge);
        String algorithm = c.getOrDefault("algorithm", "MD5");
        String realm = c.get("realm");
        String nonce = c.get("nonce");
        String ncHex = String.format(Locale.ROOT, "%08x", nc);
        String ha1 = hash(algorithm, username + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        String response = hash(algorithm, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
        StringBuilder b = new StringBuilder("Digest username=\"").append(username)
                .append("\",realm=\"").append(realm)
                .append("\",nonce=\"").append(nonce)
                .append("\",uri=\"").append(uri)
                .append("\",response=\"").append(response)
                .append("\",algorithm=").append(algorithm)
                .append(",cnonce=\"").append(cnonce)
                .append("\",qop=auth,nc=").append(ncHex);
        if (c.containsKey("opaque")) {
            b.append(",opaque=\"").append(c.get("opaque")).append('"');
        }
        return b.toString();
    }

    static String hash(String algorithm, String text) {
        String jdk = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            case "SHA-512-256" -> "SHA-512/256";
            default -> throw new AssertionError("unexpected algorithm " + algorithm);
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdk).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
