package org.sipauth.core.digest;

import java.net.InetAddress;

/*
 * Why a mutable view
 * ------------------
 * authorize() is budgeted at about a microsecond, and the JDK's hashing of a valid request already
 * takes about 600 ns of it. Parsing an Authorization value into a record of ten strings cost more
 * than the rest of the engine together (a substring per parameter, then each string re-read to
 * compare and re-encoded to hash). This view records where each parameter's value lies in the
 * header string instead: comparisons and hashing read the header in place, and the only strings
 * made are the username (the HA1 table key) and, with replay protection, the nonce. A quoted value
 * with backslash escapes (rare) is unescaped into its own string at scan time, so every reader
 * sees one uniform (text, from, to) triple.
 *
 * One instance per thread (scan() returns it), reused by every call on that thread: a view is
 * valid until the next scan on the same thread. The record DigestCredentials remains the
 * materialized form for tools and tests (DigestHeaders.parse builds it from this view).
 */

/**
 * The parameters of one {@code Digest} Authorization / Proxy-Authorization value, as positions in
 * the header string. <b>Internal</b>: not part of sipauth's API. Not thread-safe: see
 * {@link #scan(String)}.
 */
public final class DigestFields {

    static final int USERNAME = 0;
    static final int REALM = 1;
    static final int NONCE = 2;
    static final int URI = 3;
    static final int RESPONSE = 4;
    static final int ALGORITHM = 5;
    static final int CNONCE = 6;
    static final int NC = 7;
    static final int QOP = 8;
    static final int OPAQUE = 9;
    private static final int COUNT = 10;
    private static final int REQUIRED = 1 << USERNAME | 1 << REALM | 1 << NONCE | 1 << URI | 1 << RESPONSE;
    private static final String[] NAMES = {"username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "nc", "qop", "opaque"};

    private static final boolean[] TCHAR = new boolean[128];
    private static final ThreadLocal<DigestFields> LOCAL = ThreadLocal.withInitial(DigestFields::new);

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

    private final String[] text = new String[COUNT];
    private final int[] from = new int[COUNT];
    private final int[] to = new int[COUNT];
    /** Bit p set: parameter p is present. */
    private int present;
    /** Bit p set: parameter p's value is pure ASCII (hashed by a plain copy, no UTF-8 encoding). */
    private int ascii;
    private DigestHeaders.Status status;
    private String problem;
    private DigestAlgorithm algorithm;
    private String qop;
    private long nc;
    /** The response's bytes, in the array of the algorithm's hash length; null when not decoded. */
    private byte[] response;
    private final byte[] response16 = new byte[16];
    private final byte[] response32 = new byte[32];

    DigestFields() {
    }

    /**
     * Scans one Authorization / Proxy-Authorization value into this thread's view and returns it.
     * Never throws on bad input: see {@link #status()}. The view stays valid until the next
     * {@code scan} on the same thread.
     */
    public static DigestFields scan(String value) {
        return LOCAL.get().scanValue(value);
    }

    /** A standalone view of already separated values (tools and tests); {@code c} must be well-formed. */
    static DigestFields of(DigestCredentials c) {
        DigestFields f = forComputing(c.algorithm(), c.uri(), c.nonce(), c.nc(), c.cnonce(), c.qop());
        f.set(USERNAME, c.username());
        f.set(REALM, c.realm());
        f.set(RESPONSE, c.response());
        f.set(ALGORITHM, c.algorithmToken());
        f.set(QOP, c.qop());
        f.set(OPAQUE, c.opaque());
        f.nc = c.ncValue();
        f.decodeResponse();
        f.status = DigestHeaders.Status.OK;
        return f;
    }

    /** A standalone view of what computing a response needs (tools and tests). */
    static DigestFields forComputing(DigestAlgorithm algorithm, String uri, String nonce, String nc, String cnonce,
                                     String qop) {
        DigestFields f = new DigestFields();
        f.set(URI, uri);
        f.set(NONCE, nonce);
        f.set(NC, nc);
        f.set(CNONCE, cnonce);
        f.algorithm = algorithm;
        f.qop = qop;
        return f;
    }

    private void set(int p, String value) {
        if (value == null) {
            return;
        }
        text[p] = value;
        from[p] = 0;
        to[p] = value.length();
        present |= 1 << p;
        int or = 0;
        for (int i = 0; i < value.length(); i++) {
            or |= value.charAt(i);
        }
        if (or < 0x80) {
            ascii |= 1 << p;
        }
    }

    private void reset() {
        present = 0;
        ascii = 0;
        status = null;
        problem = null;
        algorithm = null;
        qop = null;
        nc = 0;
        response = null;
        for (int p = 0; p < COUNT; p++) {
            text[p] = null;
        }
    }

    // ---------------------------------------------------------------- scanning

    private DigestFields scanValue(String s) {
        reset();
        if (s == null) {
            return malformed("null value");
        }
        int n = s.length();
        if (n > DigestHeaders.MAX_LENGTH) {
            return malformed("value too long");
        }
        int i = skipWs(s, 0);
        int j = token(s, i);
        if (j == i) {
            return malformed("no auth scheme");
        }
        if (!Ascii.equalsIgnoreCase(s, i, j, "Digest")) {
            status = DigestHeaders.Status.NOT_DIGEST;
            problem = "not a Digest value";
            return this;
        }
        i = skipWs(s, j);
        if (i == j || i == n) {
            return malformed("no digest parameters");
        }
        while (true) {
            j = token(s, i);
            if (j == i) {
                return malformed("expected a parameter name");
            }
            int id = paramId(s, i, j);
            i = skipWs(s, j);
            if (i == n || s.charAt(i) != '=') {
                return malformed("expected '=' after a parameter name");
            }
            i = skipWs(s, i + 1);
            if (i == n) {
                return malformed("missing parameter value");
            }
            int start;
            int end;
            boolean escaped = false;
            int or = 0;
            if (s.charAt(i) == '"') {
                start = i + 1;
                int k = start;
                while (true) {
                    if (k >= n) {
                        return malformed("unterminated quoted string");
                    }
                    char c = s.charAt(k);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        escaped = true;
                        if (++k >= n) {
                            return malformed("unterminated quoted string");
                        }
                        c = s.charAt(k);
                    }
                    if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        return malformed("control character in a quoted string");
                    }
                    or |= c;
                    k++;
                }
                end = k;
                i = k + 1;
            } else {
                start = i;
                end = token(s, i);
                if (end == start) {
                    return malformed("expected a token or a quoted string");
                }
                i = end; // a token is ASCII by definition
            }
            if (id >= 0) {
                int bit = 1 << id;
                if ((present & bit) != 0) {
                    return malformed("duplicated parameter");
                }
                present |= bit;
                if (escaped) {
                    String unescaped = unescape(s, start, end);
                    text[id] = unescaped;
                    from[id] = 0;
                    to[id] = unescaped.length();
                } else {
                    text[id] = s;
                    from[id] = start;
                    to[id] = end;
                }
                if (or < 0x80) {
                    ascii |= bit;
                }
            }
            // unknown auth-params (e.g. userhash=false) are checked for shape and ignored, as RFC 7616 allows
            i = skipWs(s, i);
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ',') {
                return malformed("expected ',' between parameters");
            }
            i = skipWs(s, i + 1);
            if (i == n) {
                return malformed("trailing ','");
            }
        }
        return validate();
    }

    /** The checks across parameters, in the order {@link DigestHeaders#parse} documents its problems. */
    private DigestFields validate() {
        if ((present & REQUIRED) != REQUIRED) {
            return malformed("missing username, realm, nonce, uri or response");
        }
        algorithm = has(ALGORITHM) ? DigestAlgorithm.forToken(text[ALGORITHM], from[ALGORITHM], to[ALGORITHM])
                : DigestAlgorithm.MD5;
        if (!decodeResponse()) {
            return malformed("response is not hex of the algorithm's length");
        }
        if (has(QOP)) {
            if (Ascii.equalsIgnoreCase(text[QOP], from[QOP], to[QOP], DigestHeaders.QOP_AUTH)) {
                qop = DigestHeaders.QOP_AUTH;
            } else if (Ascii.equalsIgnoreCase(text[QOP], from[QOP], to[QOP], DigestHeaders.QOP_AUTH_INT)) {
                qop = DigestHeaders.QOP_AUTH_INT;
            } else {
                return malformed("qop is neither auth nor auth-int");
            }
            if (!has(CNONCE) || !has(NC)) {
                return malformed("qop requires cnonce and nc");
            }
            if (to[NC] - from[NC] != 8) {
                return malformed("nc is not 8 hex digits");
            }
            long value = 0;
            for (int i = from[NC]; i < to[NC]; i++) {
                int d = Ascii.hexValue(text[NC].charAt(i));
                if (d < 0) {
                    return malformed("nc is not 8 hex digits");
                }
                value = (value << 4) | d;
            }
            nc = value;
        } else if (has(CNONCE) || has(NC)) {
            return malformed("cnonce or nc without qop");
        } else if (algorithm != null && algorithm.session()) {
            return malformed("a -sess algorithm requires qop and cnonce");
        }
        status = DigestHeaders.Status.OK;
        return this;
    }

    /**
     * Checks the response is non-empty hex (of the algorithm's length when the algorithm is known)
     * and, for a known algorithm, decodes it.
     */
    private boolean decodeResponse() {
        String s = text[RESPONSE];
        int start = from[RESPONSE];
        int length = to[RESPONSE] - start;
        if (length == 0) {
            return false;
        }
        if (algorithm == null) {
            for (int i = start; i < start + length; i++) {
                if (Ascii.hexValue(s.charAt(i)) < 0) {
                    return false;
                }
            }
            return true;
        }
        if (length != 2 * algorithm.hashLength()) {
            return false;
        }
        byte[] out = length == 32 ? response16 : response32;
        for (int i = 0; i < out.length; i++) {
            int hi = Ascii.hexValue(s.charAt(start + 2 * i));
            int lo = Ascii.hexValue(s.charAt(start + 2 * i + 1));
            if ((hi | lo) < 0) {
                return false;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        response = out;
        return true;
    }

    private DigestFields malformed(String why) {
        status = DigestHeaders.Status.MALFORMED;
        problem = why;
        return this;
    }

    private static int skipWs(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The end of the token starting at {@code i} ({@code i} itself when there is none). */
    private static int token(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                break;
            }
            i++;
        }
        return i;
    }

    /** The known parameter in {@code s[from, to)}, or -1; dispatches on the first letter to avoid ten comparisons. */
    private static int paramId(String s, int from, int to) {
        int candidate = switch (s.charAt(from) | 0x20) {
            case 'u' -> to - from == 3 ? URI : USERNAME;
            case 'r' -> to - from == 5 ? REALM : RESPONSE;
            case 'n' -> to - from == 2 ? NC : NONCE;
            case 'a' -> ALGORITHM;
            case 'c' -> CNONCE;
            case 'q' -> QOP;
            case 'o' -> OPAQUE;
            default -> -1;
        };
        return candidate >= 0 && Ascii.equalsIgnoreCase(s, from, to, NAMES[candidate]) ? candidate : -1;
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

    // ---------------------------------------------------------------- reading

    /** OK, NOT_DIGEST or MALFORMED; the other readers are meaningful only for OK. */
    public DigestHeaders.Status status() {
        return status;
    }

    /** What was wrong when not OK (a constant, safe to log), else null. */
    public String problem() {
        return problem;
    }

    /** The algorithm, MD5 when absent; null when the token is not one we know. */
    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    /** {@link DigestHeaders#QOP_AUTH}, {@link DigestHeaders#QOP_AUTH_INT} or null (RFC 2069). */
    public String qop() {
        return qop;
    }

    /** The nonce-count (0 without qop). */
    public long nc() {
        return nc;
    }

    /** The username (a new string). */
    public String username() {
        return string(USERNAME);
    }

    /** The nonce as sent (a new string). */
    public String nonce() {
        return string(NONCE);
    }

    /** True when the realm is exactly {@code realm}. */
    public boolean realmIs(String realm) {
        return is(REALM, realm);
    }

    /** True when the digest-uri is exactly {@code uri}. */
    public boolean uriIs(String uri) {
        return is(URI, uri);
    }

    /** True when an opaque was sent and is exactly {@code opaque}. */
    public boolean opaqueIs(String opaque) {
        return has(OPAQUE) && is(OPAQUE, opaque);
    }

    /** {@link NonceCodec#verify} of the nonce, read in place. */
    public long verifyNonce(NonceCodec codec, InetAddress source, long nowMillis) {
        return codec.verify(text[NONCE], from[NONCE], to[NONCE], algorithm, source, nowMillis);
    }

    /** The record form (new strings). */
    DigestCredentials toCredentials() {
        return new DigestCredentials(string(USERNAME), string(REALM), string(NONCE), string(URI), string(RESPONSE),
                algorithm, string(ALGORITHM), string(CNONCE), string(NC), qop, string(OPAQUE));
    }

    boolean has(int p) {
        return (present & (1 << p)) != 0;
    }

    private boolean is(int p, String expected) {
        int length = to[p] - from[p];
        return length == expected.length() && text[p].regionMatches(from[p], expected, 0, length);
    }

    private String string(int p) {
        return has(p) ? text[p].substring(from[p], to[p]) : null;
    }

    /** The decoded response (length of the algorithm's hash), or null when the algorithm is unknown. */
    byte[] response() {
        return response;
    }

    /** Appends parameter {@code p} (which must be present) to the text {@code scratch} is building. */
    void appendTo(DigestScratch scratch, int p) {
        if ((ascii & (1 << p)) != 0) {
            scratch.appendAscii(text[p], from[p], to[p]);
        } else {
            scratch.append(text[p], from[p], to[p]);
        }
    }
}
