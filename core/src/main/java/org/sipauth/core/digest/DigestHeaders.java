package org.sipauth.core.digest;

import java.util.List;

/**
 * Parses {@code Digest} credentials and renders challenge values. <b>Internal</b>: not part of
 * sipauth's API.
 *
 * <p>The parser is a single left-to-right scan: no regex, no split, no lowercased copies; the only
 * strings it creates are the parameter values it returns. A bad value is a {@link ParseResult}
 * with status {@code MALFORMED}, never an exception.
 */
public final class DigestHeaders {

    public static final String QOP_AUTH = "auth";
    public static final String QOP_AUTH_INT = "auth-int";
    /** Longer values are rejected outright (a SIP header of this size is an attack, not a client). */
    public static final int MAX_LENGTH = 8192;

    private static final String SCHEME = "Digest";

    private static final int P_USERNAME = 0;
    private static final int P_REALM = 1;
    private static final int P_NONCE = 2;
    private static final int P_URI = 3;
    private static final int P_RESPONSE = 4;
    private static final int P_ALGORITHM = 5;
    private static final int P_CNONCE = 6;
    private static final int P_NC = 7;
    private static final int P_QOP = 8;
    private static final int P_OPAQUE = 9;
    private static final String[] NAMES = {"username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "nc", "qop", "opaque"};

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

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

    private static boolean tchar(char c) {
        return c < 128 && TCHAR[c];
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The known parameter in {@code s[from, to)}, or -1; dispatches on the first letter to avoid ten comparisons. */
    private static int paramId(String s, int from, int to) {
        int candidate = switch (Ascii.lower(s.charAt(from))) {
            case 'u' -> to - from == 3 ? P_URI : P_USERNAME;
            case 'r' -> to - from == 5 ? P_REALM : P_RESPONSE;
            case 'n' -> to - from == 2 ? P_NC : P_NONCE;
            case 'a' -> P_ALGORITHM;
            case 'c' -> P_CNONCE;
            case 'q' -> P_QOP;
            case 'o' -> P_OPAQUE;
            default -> -1;
        };
        return candidate >= 0 && Ascii.equalsIgnoreCase(s, from, to, NAMES[candidate]) ? candidate : -1;
    }

    /** Parses one Authorization / Proxy-Authorization value. Never throws on bad input. */
    public static ParseResult parse(String s) {
        if (s == null) {
            return ParseResult.malformed("null value");
        }
        int n = s.length();
        if (n > MAX_LENGTH) {
            return ParseResult.malformed("value too long");
        }
        int i = skipWs(s, 0);
        int j = i;
        while (j < n && tchar(s.charAt(j))) {
            j++;
        }
        if (j == i) {
            return ParseResult.malformed("no auth scheme");
        }
        if (!Ascii.equalsIgnoreCase(s, i, j, SCHEME)) {
            return ParseResult.NOT_DIGEST;
        }
        i = skipWs(s, j);
        if (i == j || i == n) {
            return ParseResult.malformed("no digest parameters");
        }
        String username = null;
        String realm = null;
        String nonce = null;
        String uri = null;
        String response = null;
        String algorithm = null;
        String cnonce = null;
        String nc = null;
        String qop = null;
        String opaque = null;
        while (true) {
            j = i;
            while (j < n && tchar(s.charAt(j))) {
                j++;
            }
            if (j == i) {
                return ParseResult.malformed("expected a parameter name");
            }
            int id = paramId(s, i, j);
            i = skipWs(s, j);
            if (i == n || s.charAt(i) != '=') {
                return ParseResult.malformed("expected '=' after a parameter name");
            }
            i = skipWs(s, i + 1);
            if (i == n) {
                return ParseResult.malformed("missing parameter value");
            }
            String value;
            if (s.charAt(i) == '"') {
                int start = i + 1;
                int k = start;
                boolean escaped = false;
                while (true) {
                    if (k >= n) {
                        return ParseResult.malformed("unterminated quoted string");
                    }
                    char c = s.charAt(k);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        escaped = true;
                        k++;
                        if (k >= n) {
                            return ParseResult.malformed("unterminated quoted string");
                        }
                        c = s.charAt(k);
                    }
                    if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        return ParseResult.malformed("control character in a quoted string");
                    }
                    k++;
                }
                value = id < 0 ? null : escaped ? unescape(s, start, k) : s.substring(start, k);
                i = k + 1;
            } else {
                j = i;
                while (j < n && tchar(s.charAt(j))) {
                    j++;
                }
                if (j == i) {
                    return ParseResult.malformed("expected a token or a quoted string");
                }
                value = id < 0 ? null : s.substring(i, j);
                i = j;
            }
            switch (id) {
                case P_USERNAME -> {
                    if (username != null) {
                        return duplicate();
                    }
                    username = value;
                }
                case P_REALM -> {
                    if (realm != null) {
                        return duplicate();
                    }
                    realm = value;
                }
                case P_NONCE -> {
                    if (nonce != null) {
                        return duplicate();
                    }
                    nonce = value;
                }
                case P_URI -> {
                    if (uri != null) {
                        return duplicate();
                    }
                    uri = value;
                }
                case P_RESPONSE -> {
                    if (response != null) {
                        return duplicate();
                    }
                    response = value;
                }
                case P_ALGORITHM -> {
                    if (algorithm != null) {
                        return duplicate();
                    }
                    algorithm = value;
                }
                case P_CNONCE -> {
                    if (cnonce != null) {
                        return duplicate();
                    }
                    cnonce = value;
                }
                case P_NC -> {
                    if (nc != null) {
                        return duplicate();
                    }
                    nc = value;
                }
                case P_QOP -> {
                    if (qop != null) {
                        return duplicate();
                    }
                    qop = value;
                }
                case P_OPAQUE -> {
                    if (opaque != null) {
                        return duplicate();
                    }
                    opaque = value;
                }
                default -> {
                    // unknown auth-param (e.g. userhash=false): ignored as RFC 7616 allows
                }
            }
            i = skipWs(s, i);
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ',') {
                return ParseResult.malformed("expected ',' between parameters");
            }
            i = skipWs(s, i + 1);
            if (i == n) {
                return ParseResult.malformed("trailing ','");
            }
        }
        if (username == null || realm == null || nonce == null || uri == null || response == null) {
            return ParseResult.malformed("missing username, realm, nonce, uri or response");
        }
        DigestAlgorithm alg = algorithm == null ? DigestAlgorithm.MD5 : DigestAlgorithm.forToken(algorithm);
        if (!isHex(response) || (alg != null && response.length() != 2 * alg.hashLength())) {
            return ParseResult.malformed("response is not hex of the algorithm's length");
        }
        String qopConstant = null;
        if (qop != null) {
            if (Ascii.equalsIgnoreCase(qop, 0, qop.length(), QOP_AUTH)) {
                qopConstant = QOP_AUTH;
            } else if (Ascii.equalsIgnoreCase(qop, 0, qop.length(), QOP_AUTH_INT)) {
                qopConstant = QOP_AUTH_INT;
            } else {
                return ParseResult.malformed("qop is neither auth nor auth-int");
            }
            if (cnonce == null || nc == null) {
                return ParseResult.malformed("qop requires cnonce and nc");
            }
            if (nc.length() != 8 || !isHex(nc)) {
                return ParseResult.malformed("nc is not 8 hex digits");
            }
        } else if (cnonce != null || nc != null) {
            return ParseResult.malformed("cnonce or nc without qop");
        } else if (alg != null && alg.session()) {
            return ParseResult.malformed("a -sess algorithm requires qop and cnonce");
        }
        return new ParseResult(Status.OK, new DigestCredentials(username, realm, nonce, uri, response, alg, algorithm,
                cnonce, nc, qopConstant, opaque), null);
    }

    private static ParseResult duplicate() {
        return ParseResult.malformed("duplicated parameter");
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Ascii.hexValue(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String unescape(String s, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                c = s.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
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
