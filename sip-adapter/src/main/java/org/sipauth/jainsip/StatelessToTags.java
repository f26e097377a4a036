package org.sipauth.jainsip;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * To-tags for responses sent without a transaction (RFC 3261 8.2.7): derived from the request, so
 * that a retransmitted copy gets the same tag, and recognisable in the ACK for such a response,
 * which carries the tag back with the same Call-ID, From tag, CSeq number and top Via branch
 * (17.1.1.3), so it can be dropped without state.
 *
 * <p>The tag is a 64-bit keyed hash (FNV-1a over the four fields, seed from {@link SecureRandom},
 * finished with a 64-bit avalanche mix) written as 16 hex digits. It is not a MAC and need not
 * be: the only thing a matching tag does is get an ACK dropped, and dropping the ACK of a response
 * this node sent statelessly is always right. The seed keeps tags of different nodes and restarts
 * apart, so they are unlikely to collide with the tags of dialogs the application creates.
 * Thread-safe.
 */
final class StatelessToTags {

    private static final long FNV_PRIME = Hash64.FNV_PRIME;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long seed;

    StatelessToTags() {
        this(new SecureRandom().nextLong());
    }

    StatelessToTags(long seed) {
        this.seed = seed;
    }

    /** The tag for a request with these fields, from parsed header values. */
    String tag(String callId, String fromTag, long cseqNumber, String branch) {
        long h = seed;
        h = add(h, callId);
        h = add(h, fromTag);
        h = (h ^ cseqNumber) * FNV_PRIME;
        h = add(h, branch);
        return hex(h);
    }

    /** The tag for a datagram scanned by {@link RawRequest}: equal to {@link #tag} of the same values. */
    String tag(RawRequest r) {
        long h = seed;
        h = add(h, r.bytes, r.callIdValueStart, r.callIdValueEnd);
        h = r.fromTagStart < 0 ? add(h, null) : add(h, r.bytes, r.fromTagStart, r.fromTagEnd);
        h = (h ^ r.cseqNumber) * FNV_PRIME;
        h = r.branchStart < 0 ? add(h, null) : add(h, r.bytes, r.branchStart, r.branchEnd);
        return hex(h);
    }

    /** True when the datagram's To tag is the one {@link #tag(RawRequest)} gives it. */
    boolean matches(RawRequest r) {
        if (r.toTagStart < 0 || r.toTagEnd - r.toTagStart != 16) {
            return false;
        }
        String expected = tag(r);
        for (int i = 0; i < 16; i++) {
            if (r.bytes[r.toTagStart + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long add(long h, String value) {
        if (value == null) {
            return (h ^ 0x100) * FNV_PRIME;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                // the raw path hashes bytes: hash the UTF-8 form so both paths agree
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                return add(h, utf8, 0, utf8.length);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * FNV_PRIME;
        }
        return (h ^ 0x101) * FNV_PRIME; // field separator, distinct from every byte
    }

    private static long add(long h, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xff)) * FNV_PRIME;
        }
        return (h ^ 0x101) * FNV_PRIME;
    }

    private static String hex(long h) {
        h = Hash64.finish(h);
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (h & 0xf)];
            h >>>= 4;
        }
        return new String(out);
    }
}
