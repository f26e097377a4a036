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
     * True when {@code c.response()} is the response for HA1 {@code ha1[offset, offset+len)}
     * (raw bytes of the base algorithm's {@code H(username:realm:password)}); compared in constant time.
     *
     * @param body the message body (used only for {@code qop=auth-int})
     */
    public static boolean matches(DigestCredentials c, String method, byte[] ha1, int offset, byte[] body) {
        DigestAlgorithm algorithm = c.algorithm();
        DigestScratch scratch = DigestScratch.get();
        int len = compute(scratch, algorithm, ha1, offset, method, c.uri(), c.nonce(), c.nc(), c.cnonce(), c.qop(), body);
        byte[] actual = len == 16 ? scratch.actual16 : scratch.actual32;
        byte[] expected = len == 16 ? scratch.expected16 : scratch.expected32;
        System.arraycopy(scratch.hash, 0, actual, 0, len);
        String response = c.response();
        if (response.length() != 2 * len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int hi = Ascii.hexValue(response.charAt(2 * i));
            int lo = Ascii.hexValue(response.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return false;
            }
            expected[i] = (byte) ((hi << 4) | lo);
        }
        return MessageDigest.isEqual(actual, expected);
    }

    /** The response as lowercase hex (what a client sends); for tools, tests and benchmarks. */
    public static String compute(DigestAlgorithm algorithm, byte[] ha1, String method, String uri, String nonce,
                                 String nc, String cnonce, String qop, byte[] body) {
        DigestScratch scratch = DigestScratch.get();
        int len = compute(scratch, algorithm, ha1, 0, method, uri, nonce, nc, cnonce, qop, body);
        byte[] hex = new byte[2 * len];
        DigestScratch.hex(scratch.hash, 0, len, hex);
        return new String(hex, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int compute(DigestScratch scratch, DigestAlgorithm algorithm, byte[] ha1, int offset, String method,
                               String uri, String nonce, String nc, String cnonce, String qop, byte[] body) {
        int len = algorithm.hashLength();
        byte[] ha1Hex = scratch.hexA;
        DigestScratch.hex(ha1, offset, len, ha1Hex);
        MessageDigest md = scratch.digest(algorithm);
        if (algorithm.session()) {
            scratch.append(ha1Hex, 0, 2 * len);
            scratch.append(COLON);
            scratch.append(nonce);
            scratch.append(COLON);
            scratch.append(cnonce);
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
            scratch.append(uri);
            scratch.append(COLON);
            scratch.append(ha2Hex, 0, 2 * len);
        } else {
            scratch.append(method);
            scratch.append(COLON);
            scratch.append(uri);
        }
        scratch.hashText(md);
        DigestScratch.hex(scratch.hash, 0, len, ha2Hex);
        scratch.append(ha1Hex, 0, 2 * len);
        scratch.append(COLON);
        scratch.append(nonce);
        scratch.append(COLON);
        if (qop != null) {
            scratch.append(nc);
            scratch.append(COLON);
            scratch.append(cnonce);
            scratch.append(COLON);
            scratch.append(qop);
            scratch.append(COLON);
        }
        scratch.append(ha2Hex, 0, 2 * len);
        return scratch.hashText(md);
    }
}
