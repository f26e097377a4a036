package org.sipauth.core.digest;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/*
 * Design
 * ------
 * A nonce is 33 bytes, base64url without padding (exactly 44 characters, no '=' to quote):
 *
 *     keyId (1) | issuedAt epoch millis (8, big-endian) | random (8) | mac (16)
 *     mac = HMAC-SHA256(secret[keyId], keyId|issuedAt|random | 0 | realm | 0 | algorithm | 0 | sourceIp)[0..16)
 *
 * Stateless: any node holding the deployment's keys verifies any node's nonce without shared
 * state, so challenges survive load balancing. The MAC makes nonces unforgeable; binding the
 * realm, the algorithm and (optionally) the source address means a nonce minted for SHA-256 is
 * worthless with MD5, and a nonce sniffed from one client is worthless from another address.
 * Several keys verify at once (rotation: add the new key, make it the issuing key, retire the old
 * key after one TTL); exactly one issues. The key id travels in clear: it only selects the key.
 *
 * The random part needs uniqueness, not secrecy: the replay guard keys its per-nonce state by the
 * nonce, and the MAC already protects integrity (knowing the next random value lets nobody compute
 * its MAC). So it comes from a per-thread SplittableRandom seeded from SecureRandom, which keeps
 * minting lock-free and well under a microsecond, instead of a locked SecureRandom per call.
 *
 * Age is checked after the MAC: a genuine but expired nonce is STALE (challenge with stale=true,
 * the client retries without asking the user), anything else that fails is INVALID. A nonce more
 * than MAX_FUTURE_SKEW_MILLIS in the future is INVALID (a node with a wrong clock, not a client).
 *
 * Thread-safety: immutable after construction; Mac instances are per thread.
 */

/**
 * Mints and verifies stateless HMAC nonces. <b>Internal</b>: not part of sipauth's API.
 * Thread-safe.
 */
public final class NonceCodec {

    /** {@link #verify} result: not ours, tampered, or bound to something else. */
    public static final long INVALID = -1;
    /** {@link #verify} result: genuine but older than the TTL. */
    public static final long STALE = -2;
    /** Length of every nonce this codec mints. */
    public static final int LENGTH = 44;

    static final long MAX_FUTURE_SKEW_MILLIS = 30_000;
    private static final int RAW = 33;
    private static final int SIGNED = 17;
    private static final int MAC_LENGTH = 16;
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int[] DECODE = new int[128];
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final byte[] EMPTY = new byte[0];
    private static final ThreadLocal<SplittableRandom> RANDOM =
            ThreadLocal.withInitial(() -> new SplittableRandom(SEEDS.nextLong()));

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = i;
        }
    }

    private final SecretKeySpec[] keys = new SecretKeySpec[256];
    private final int issuingKeyId;
    private final byte[] realm;
    private final byte[][] signedSuffix;
    private final long ttlMillis;
    private final boolean bindSource;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private final class Scratch {
        final Mac[] macs = new Mac[256];
        final byte[] raw = new byte[RAW];
        final byte[] out = new byte[LENGTH];
        final byte[] mac = new byte[32];
        final byte[] macA = new byte[MAC_LENGTH];
        final byte[] macB = new byte[MAC_LENGTH];
        private byte[] input = new byte[128];

        byte[] input(int length) {
            if (input.length < length) {
                input = new byte[length];
            }
            return input;
        }

        Mac mac(int keyId) {
            Mac mac = macs[keyId];
            if (mac == null) {
                try {
                    mac = Mac.getInstance("HmacSHA256");
                    mac.init(keys[keyId]);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 unavailable", e);
                }
                macs[keyId] = mac;
            }
            return mac;
        }
    }

    /**
     * @param keys         key id (0..255) -> secret (at least 16 bytes); all verify
     * @param issuingKeyId the key that signs new nonces
     * @param realm        the realm every nonce is bound to
     * @param ttlMillis    nonce lifetime
     * @param bindSource   whether nonces are bound to the client's source address
     */
    public NonceCodec(Map<Integer, byte[]> keys, int issuingKeyId, String realm, long ttlMillis, boolean bindSource) {
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("nonce key id must be 0..255: " + id);
            }
            if (e.getValue().length < 16) {
                throw new IllegalArgumentException("nonce key " + id + " must have at least 16 bytes");
            }
            this.keys[id] = new SecretKeySpec(e.getValue().clone(), "HmacSHA256");
        }
        if (issuingKeyId < 0 || issuingKeyId > 255 || this.keys[issuingKeyId] == null) {
            throw new IllegalArgumentException("issuing nonce key " + issuingKeyId + " is not among the keys");
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("nonce TTL must be positive");
        }
        this.issuingKeyId = issuingKeyId;
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
        this.signedSuffix = signedSuffixes(this.realm);
        this.ttlMillis = ttlMillis;
        this.bindSource = bindSource;
    }

    /** A fresh nonce for {@code algorithm} and {@code source}, issued at {@code nowMillis}. */
    public String mint(DigestAlgorithm algorithm, InetAddress source, long nowMillis) {
        Scratch s = scratch.get();
        byte[] raw = s.raw;
        raw[0] = (byte) issuingKeyId;
        putLong(raw, 1, nowMillis);
        putLong(raw, 9, RANDOM.get().nextLong());
        sign(s, issuingKeyId, raw, algorithm, source);
        System.arraycopy(s.mac, 0, raw, SIGNED, MAC_LENGTH);
        byte[] out = s.out;
        for (int i = 0, o = 0; i < RAW; i += 3) {
            int v = ((raw[i] & 0xff) << 16) | ((raw[i + 1] & 0xff) << 8) | (raw[i + 2] & 0xff);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
        return new String(out, 0, LENGTH, StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks a nonce received with {@code algorithm} from {@code source} at {@code nowMillis}.
     *
     * @return the nonce's issue time (epoch millis, >= 0) when genuine and fresh, else
     *         {@link #STALE} or {@link #INVALID}
     */
    public long verify(String nonce, DigestAlgorithm algorithm, InetAddress source, long nowMillis) {
        return verify(nonce, 0, nonce.length(), algorithm, source, nowMillis);
    }

    /** {@link #verify(String, DigestAlgorithm, InetAddress, long)} of {@code text[from, to)}, read in place. */
    public long verify(String text, int from, int to, DigestAlgorithm algorithm, InetAddress source, long nowMillis) {
        if (to - from != LENGTH) {
            return INVALID;
        }
        Scratch s = scratch.get();
        byte[] raw = s.raw;
        for (int i = 0, o = 0; i < LENGTH; i += 4) {
            int v = 0;
            for (int k = 0; k < 4; k++) {
                char c = text.charAt(from + i + k);
                int d = c < 128 ? DECODE[c] : -1;
                if (d < 0) {
                    return INVALID;
                }
                v = (v << 6) | d;
            }
            raw[o++] = (byte) (v >>> 16);
            raw[o++] = (byte) (v >>> 8);
            raw[o++] = (byte) v;
        }
        int keyId = raw[0] & 0xff;
        if (keys[keyId] == null) {
            return INVALID;
        }
        sign(s, keyId, raw, algorithm, source);
        System.arraycopy(s.mac, 0, s.macA, 0, MAC_LENGTH);
        System.arraycopy(raw, SIGNED, s.macB, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(s.macA, s.macB)) {
            return INVALID;
        }
        long issuedAt = getLong(raw, 1);
        if (issuedAt < 0 || issuedAt > nowMillis + MAX_FUTURE_SKEW_MILLIS) {
            return INVALID;
        }
        return nowMillis - issuedAt >= ttlMillis ? STALE : issuedAt;
    }

    private void sign(Scratch s, int keyId, byte[] raw, DigestAlgorithm algorithm, InetAddress source) {
        // One update over the whole input: each JCA call costs more than hashing a few bytes.
        byte[] suffix = signedSuffix[algorithm.ordinal()];
        byte[] address = bindSource ? source.getAddress() : EMPTY;
        byte[] input = s.input(SIGNED + suffix.length + address.length);
        System.arraycopy(raw, 0, input, 0, SIGNED);
        System.arraycopy(suffix, 0, input, SIGNED, suffix.length);
        System.arraycopy(address, 0, input, SIGNED + suffix.length, address.length);
        Mac mac = s.mac(keyId);
        mac.update(input, 0, SIGNED + suffix.length + address.length);
        try {
            mac.doFinal(s.mac, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 0 realm 0 token 0} for each algorithm: what every nonce MAC covers after the raw fields. */
    private static byte[][] signedSuffixes(byte[] realm) {
        DigestAlgorithm[] all = DigestAlgorithm.values();
        byte[][] out = new byte[all.length][];
        for (DigestAlgorithm algorithm : all) {
            byte[] token = algorithm.token().getBytes(StandardCharsets.US_ASCII);
            byte[] suffix = new byte[realm.length + token.length + 3];
            System.arraycopy(realm, 0, suffix, 1, realm.length);
            System.arraycopy(token, 0, suffix, realm.length + 2, token.length);
            out[algorithm.ordinal()] = suffix;
        }
        return out;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
