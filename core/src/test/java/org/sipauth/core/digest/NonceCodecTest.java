package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NonceCodecTest {

    private static final byte[] K0 = "0123456789abcdef-key-zero".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K1 = "fedcba9876543210-key-one!".getBytes(StandardCharsets.US_ASCII);
    private static final long NOW = 1_700_000_000_000L;
    private static final long TTL = 300_000;

    private final InetAddress a = InetAddress.getLoopbackAddress();
    private final InetAddress b = address("192.0.2.7");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private NonceCodec codec(Map<Integer, byte[]> keys, int issuing, String realm, boolean bind) {
        return new NonceCodec(keys, issuing, realm, TTL, bind);
    }

    @Test
    void mintedNonce_verifiesUntilTtl_thenIsStale() {
        NonceCodec c = codec(Map.of(0, K0), 0, "r", true);
        String n = c.mint(DigestAlgorithm.SHA_256, a, NOW);
        assertEquals(NonceCodec.LENGTH, n.length());
        assertEquals(NOW, c.verify(n, DigestAlgorithm.SHA_256, a, NOW));
        assertEquals(NOW, c.verify(n, DigestAlgorithm.SHA_256, a, NOW + TTL - 1));
        assertEquals(NonceCodec.STALE, c.verify(n, DigestAlgorithm.SHA_256, a, NOW + TTL));
        assertNotEquals(n, c.mint(DigestAlgorithm.SHA_256, a, NOW));
    }

    @Test
    void nonce_isBoundToAlgorithmRealmSourceAndKey() {
        NonceCodec c = codec(Map.of(0, K0), 0, "r", true);
        String n = c.mint(DigestAlgorithm.SHA_256, a, NOW);
        assertEquals(NonceCodec.INVALID, c.verify(n, DigestAlgorithm.MD5, a, NOW));
        assertEquals(NonceCodec.INVALID, c.verify(n, DigestAlgorithm.SHA_256, b, NOW));
        assertEquals(NonceCodec.INVALID, codec(Map.of(0, K0), 0, "other", true).verify(n, DigestAlgorithm.SHA_256, a, NOW));
        assertEquals(NonceCodec.INVALID, codec(Map.of(0, K1), 0, "r", true).verify(n, DigestAlgorithm.SHA_256, a, NOW));
        NonceCodec unbound = codec(Map.of(0, K0), 0, "r", false);
        String free = unbound.mint(DigestAlgorithm.MD5, a, NOW);
        assertEquals(NOW, unbound.verify(free, DigestAlgorithm.MD5, b, NOW));
    }

    @Test
    void everySingleCharacterChange_isInvalid() {
        NonceCodec c = codec(Map.of(0, K0), 0, "r", true);
        String n = c.mint(DigestAlgorithm.MD5, a, NOW);
        for (int i = 0; i < n.length(); i++) {
            char replacement = n.charAt(i) == 'A' ? 'B' : 'A';
            String forged = n.substring(0, i) + replacement + n.substring(i + 1);
            assertEquals(NonceCodec.INVALID, c.verify(forged, DigestAlgorithm.MD5, a, NOW), forged);
        }
        assertEquals(NonceCodec.INVALID, c.verify(n + "A", DigestAlgorithm.MD5, a, NOW));
        assertEquals(NonceCodec.INVALID, c.verify(n.substring(1), DigestAlgorithm.MD5, a, NOW));
        assertEquals(NonceCodec.INVALID, c.verify(n.replace(n.charAt(5), '\u00e9'), DigestAlgorithm.MD5, a, NOW));
    }

    @Test
    void rotation_oldKeyVerifiesWhileListed_newKeyIssues() {
        NonceCodec before = codec(Map.of(0, K0), 0, "r", true);
        String old = before.mint(DigestAlgorithm.MD5, a, NOW);
        NonceCodec during = codec(Map.of(0, K0, 1, K1), 1, "r", true);
        assertEquals(NOW, during.verify(old, DigestAlgorithm.MD5, a, NOW));
        String fresh = during.mint(DigestAlgorithm.MD5, a, NOW);
        assertEquals(NonceCodec.INVALID, before.verify(fresh, DigestAlgorithm.MD5, a, NOW));
        NonceCodec after = codec(Map.of(1, K1), 1, "r", true);
        assertEquals(NOW, after.verify(fresh, DigestAlgorithm.MD5, a, NOW));
        assertEquals(NonceCodec.INVALID, after.verify(old, DigestAlgorithm.MD5, a, NOW));
    }

    @Test
    void farFutureIssueTime_isInvalid() {
        NonceCodec c = codec(Map.of(0, K0), 0, "r", true);
        String n = c.mint(DigestAlgorithm.MD5, a, NOW + NonceCodec.MAX_FUTURE_SKEW_MILLIS + 1);
        assertEquals(NonceCodec.INVALID, c.verify(n, DigestAlgorithm.MD5, a, NOW));
    }
}
