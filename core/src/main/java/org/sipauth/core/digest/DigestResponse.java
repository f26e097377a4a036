package org.sipauth.core.digest;

import java.security.MessageDigest;

/**
 * Computes and checks digest responses (RFC 2617 / RFC 7616; RFC 2069 without qop).
 * <b>Internal</b>: not part of sipauth's API. Thread-safe (per-thread hashing state); allocates
 * nothing when verifying.
 */
public final class DigestResponse {

    private static final byte COLON = ':';

    private DigestResponse() {
    }

    /**
     * True when the response in {@code f} (status OK, known algorithm) is the response for HA1
     * {@code ha1[offset, offset+len)} (raw bytes of the base algorithm's
     * {@code H(username:realm:password)}); compared in constant time.
     *
     * @param body the message body (used only for {@code qop=auth-int})
     */
    public static boolean matches(DigestFields f, String method, byte[] ha1, int offset, byte[] body) {
        byte[] expected = f.response();
        if (expected == null) {
            return false;
        }
        DigestScratch scratch = DigestScratch.get();
        int len = compute(scratch, f, ha1, offset, method, body);
        byte[] actual = len == 16 ? scratch.actual16 : scratch.actual32;
        System.arraycopy(scratch.hash, 0, actual, 0, len);
        return MessageDigest.isEqual(actual, expected);
    }

    /** {@link #matches(DigestFields, String, byte[], int, byte[])} for separated values (tools and tests). */
    public static boolean matches(DigestCredentials c, String method, byte[] ha1, int offset, byte[] body) {
        return matches(DigestFields.of(c), method, ha1, offset, body);
    }

    /** The response as lowercase hex (what a client sends); for tools, tests and benchmarks. */
    public static String compute(DigestAlgorithm algorithm, byte[] ha1, String method, String uri, String nonce,
                                 String nc, String cnonce, String qop, byte[] body) {
        DigestFields f = DigestFields.forComputing(algorithm, uri, nonce, nc, cnonce, qop);
        DigestScratch scratch = DigestScratch.get();
        int len = compute(scratch, f, ha1, 0, method, body);
        byte[] hex = new byte[2 * len];
        DigestScratch.hex(scratch.hash, 0, len, hex);
        return new String(hex, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int compute(DigestScratch scratch, DigestFields f, byte[] ha1, int offset, String method, byte[] body) {
        DigestAlgorithm algorithm = f.algorithm();
        String qop = f.qop();
        int len = algorithm.hashLength();
        byte[] ha1Hex = scratch.hexA;
        DigestScratch.hex(ha1, offset, len, ha1Hex);
        MessageDigest md = scratch.digest(algorithm);
        if (algorithm.session()) {
            scratch.append(ha1Hex, 0, 2 * len);
            scratch.append(COLON);
            f.appendTo(scratch, DigestFields.NONCE);
            scratch.append(COLON);
            f.appendTo(scratch, DigestFields.CNONCE);
            scratch.hashText(md);
            DigestScratch.hex(scratch.hash, 0, len, ha1Hex);
        }
        byte[] ha2Hex = scratch.hexB;
        if (DigestHeaders.QOP_AUTH_INT.equals(qop)) {
            md.update(body);
            scratch.finish(md);
            DigestScratch.hex(scratch.hash, 0, len, ha2Hex);
            scratch.append(method);
            scratch.append(COLON);
            f.appendTo(scratch, DigestFields.URI);
            scratch.append(COLON);
            scratch.append(ha2Hex, 0, 2 * len);
        } else {
            scratch.append(method);
            scratch.append(COLON);
            f.appendTo(scratch, DigestFields.URI);
        }
        scratch.hashText(md);
        DigestScratch.hex(scratch.hash, 0, len, ha2Hex);
        scratch.append(ha1Hex, 0, 2 * len);
        scratch.append(COLON);
        f.appendTo(scratch, DigestFields.NONCE);
        scratch.append(COLON);
        if (qop != null) {
            f.appendTo(scratch, DigestFields.NC);
            scratch.append(COLON);
            f.appendTo(scratch, DigestFields.CNONCE);
            scratch.append(COLON);
            scratch.appendAscii(qop, 0, qop.length());
            scratch.append(COLON);
        }
        scratch.append(ha2Hex, 0, 2 * len);
        return scratch.hashText(md);
    }
}
