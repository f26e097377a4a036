package org.sipauth.core.digest;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

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
    private int length;
    final byte[] hash = new byte[32];
    final byte[] hexA = new byte[64];
    final byte[] hexB = new byte[64];
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
        length = 0;
        return md;
    }

    /**
     * Appends {@code s} as UTF-8 to the text being built. The text is hashed with one
     * {@link #hashText} call: one {@code update} per hash instead of one per field, because each
     * JCA call costs more than hashing a few bytes.
     */
    void append(String s) {
        append(s, 0, s.length());
    }

    /** Appends {@code s[from, to)} as UTF-8. */
    void append(String s, int from, int to) {
        ensure((to - from) * 3);
        byte[] out = text;
        int o = length;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xc0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
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
        length = o;
    }

    /** Appends {@code s[from, to)}, known to be ASCII: one byte per char, no encoding. */
    // The deprecated String.getBytes(int, int, byte[], int) keeps the low byte of each char: exactly
    // right for ASCII, and the JDK's only bulk char-to-byte copy into an existing array (an arraycopy).
    @SuppressWarnings("deprecation")
    void appendAscii(String s, int from, int to) {
        int n = to - from;
        ensure(n);
        s.getBytes(from, to, text, length);
        length += n;
    }

    void append(byte b) {
        ensure(1);
        text[length++] = b;
    }

    void append(byte[] bytes, int from, int len) {
        ensure(len);
        System.arraycopy(bytes, from, text, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (text.length < length + more) {
            text = Arrays.copyOf(text, Math.max(length + more, text.length * 2));
        }
    }

    /** Hashes the text built so far with {@code md} into {@link #hash}, clears it, returns the hash length. */
    int hashText(MessageDigest md) {
        md.update(text, 0, length);
        length = 0;
        return finish(md);
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
