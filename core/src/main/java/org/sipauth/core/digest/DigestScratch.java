package org.sipauth.core.digest;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-thread hashing state: one {@code MessageDigest} per hash function (they are not
 * thread-safe) and byte buffers, so that verifying a response allocates nothing.
 */
final class DigestScratch {

    private static final ThreadLocal<DigestScratch> LOCAL = ThreadLocal.withInitial(DigestScratch::new);
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final String[] JDK_NAMES = {"MD5", "SHA-256", "SHA-512/256"};

    private final MessageDigest[] digests = new MessageDigest[3];
    private byte[] text = new byte[256];
    final byte[] hash = new byte[32];
    final byte[] hexA = new byte[64];
    final byte[] hexB = new byte[64];
    final byte[] expected16 = new byte[16];
    final byte[] expected32 = new byte[32];
    final byte[] actual16 = new byte[16];
    final byte[] actual32 = new byte[32];

    private DigestScratch() {
        for (int i = 0; i < digests.length; i++) {
            try {
                digests[i] = MessageDigest.getInstance(JDK_NAMES[i]);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + JDK_NAMES[i], e);
            }
        }
    }

    static DigestScratch get() {
        return LOCAL.get();
    }

    MessageDigest digest(DigestAlgorithm algorithm) {
        MessageDigest md = digests[algorithm.hashIndex()];
        md.reset();
        return md;
    }

    /** Feeds {@code s} as UTF-8 without allocating (ASCII fast path). */
    void update(MessageDigest md, String s) {
        int n = s.length();
        if (text.length < n * 3) {
            text = new byte[Math.max(n * 3, text.length * 2)];
        }
        byte[] out = text;
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xc0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[o++] = (byte) (0xf0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                out[o++] = '?'; // unpaired surrogate: what String.getBytes(UTF_8) writes too
            } else {
                out[o++] = (byte) (0xe0 | (c >> 12));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        md.update(out, 0, o);
    }

    /** Finishes {@code md} into {@link #hash} and returns the length. */
    int finish(MessageDigest md) {
        try {
            return md.digest(hash, 0, md.getDigestLength());
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes lowercase hex of {@code bytes[from, from+len)} into {@code out}. */
    static void hex(byte[] bytes, int from, int len, byte[] out) {
        for (int i = 0; i < len; i++) {
            int b = bytes[from + i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
    }
}
