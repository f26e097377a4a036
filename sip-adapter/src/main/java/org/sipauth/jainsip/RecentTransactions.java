package org.sipauth.jainsip;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The server transactions {@link AuthorizingSipListener} handled during the last window (RFC 6026
 * Timer L, 32 s), kept as 64-bit keyed hashes of their identity, so that a retransmission arriving
 * after the stack has dropped the transaction is recognised instead of being authorized again.
 *
 * <p>Why: under load the stack may answer an INVITE only after the client has retransmitted it a few
 * times; the RI forgets a transaction when its 2xx is sent (plus its linger, none by default), and a
 * retransmission behind that used to be authorized again, hit the replay guard (same nonce count)
 * and be challenged — a 401 for a call that had just been accepted, and more work exactly when the
 * server was already late.
 *
 * <p>The identity is what a retransmission repeats byte for byte: CSeq number and method, Call-ID,
 * the top Via's branch and sent-by, the From tag. A match can only make the listener drop a
 * request, never pass one on, so a hash collision (with n entries held, about n in 2<sup>64</sup>
 * per lookup) cannot let anything through; the hash is seeded per instance (not a MAC: to aim a
 * collision at another client's request one would need both the seed and that request's random
 * branch and Call-ID in advance). Memory: {@code slices + 1} open-addressed {@code long}
 * tables, each grown to what one slice needs and capped at {@code maxEntriesPerSlice}; beyond the
 * cap entries are not recorded (a late retransmission is then authorized, as without this class).
 * Thread-safe.
 */
final class RecentTransactions {

    private static final int MIN_SLOTS = 1 << 10;
    private static final long FNV_PRIME = Hash64.FNV_PRIME;

    private final long sliceNanos;
    private final int maxSlots;
    private final LongSupplier nanoClock;
    private final long seed;
    private final long[][] tables;
    private final int[] counts;
    private int current;
    private long currentStart;
    private long notRecorded;

    /**
     * @param window how long an entry is kept at least (at most one slice longer)
     * @param slices how many parts the window is cut into; memory is freed a slice at a time
     * @param maxEntriesPerSlice entries one slice may hold; further ones are not recorded
     */
    RecentTransactions(Duration window, int slices, int maxEntriesPerSlice, LongSupplier nanoClock) {
        if (window.isNegative() || window.isZero() || slices < 1 || maxEntriesPerSlice < 1) {
            throw new IllegalArgumentException("window, slices and maxEntriesPerSlice must be positive");
        }
        this.sliceNanos = Math.max(1, window.toNanos() / slices);
        // Tables stay at most three quarters full.
        long slots = Math.min(1 << 29, (maxEntriesPerSlice * 4L + 2) / 3);
        this.maxSlots = Math.max(MIN_SLOTS, Integer.highestOneBit((int) slots - 1) << 1);
        this.nanoClock = nanoClock;
        this.seed = new SecureRandom().nextLong();
        this.tables = new long[slices + 1][];
        this.counts = new int[slices + 1];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = new long[MIN_SLOTS];
        }
        this.currentStart = nanoClock.getAsLong();
    }

    /** The keyed hash of a request's transaction identity; never 0. */
    long identity(Request request) {
        long h = seed;
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        if (cseq != null) {
            h = mix(h, cseq.getSeqNumber());
            h = add(h, cseq.getMethod());
        }
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        h = add(h, callId == null ? null : callId.getCallId());
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via != null) {
            h = add(h, via.getBranch());
            h = add(h, via.getHost());
            h = mix(h, via.getPort());
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        h = add(h, from == null ? null : from.getTag());
        h = Hash64.finish(h);
        return h == 0 ? 1 : h;
    }

    /**
     * The keyed hash of a scanned datagram's transaction identity; never 0. Equal to
     * {@link #identity(Request)} of the same request when its fields are ASCII, as they are in
     * every datagram {@link RawRequest} accepts.
     */
    long identity(RawRequest r) {
        long h = seed;
        h = mix(h, r.cseqNumber);
        h = add(h, r.method);
        h = add(h, r.bytes, r.callIdValueStart, r.callIdValueEnd);
        h = r.branchStart < 0 ? add(h, null) : add(h, r.bytes, r.branchStart, r.branchEnd);
        h = add(h, r.viaHost);
        h = mix(h, r.viaPort);
        h = r.fromTagStart < 0 ? add(h, null) : add(h, r.bytes, r.fromTagStart, r.fromTagEnd);
        h = Hash64.finish(h);
        return h == 0 ? 1 : h;
    }

    /** True when {@code identity} was {@linkplain #add added} within the window. */
    synchronized boolean contains(long identity) {
        rotate();
        for (int i = 0; i < tables.length; i++) {
            if (counts[i] > 0 && slotOf(tables[i], identity) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Records {@code identity} (from {@link #identity}) for at least the window. */
    synchronized void add(long identity) {
        rotate();
        long[] table = tables[current];
        if (slotOf(table, identity) >= 0) {
            return;
        }
        int needed = counts[current] + 1;
        if (needed * 2L > table.length && table.length < maxSlots) {
            table = grow(table);
            tables[current] = table;
        } else if (needed * 4L > table.length * 3L) {
            notRecorded++;
            return;
        }
        insert(table, identity);
        counts[current]++;
    }

    /** Entries not recorded because a slice was full, since this instance was created. */
    synchronized long notRecorded() {
        return notRecorded;
    }

    /** Entries held now (including ones past the window not yet freed with their slice). */
    synchronized int size() {
        int n = 0;
        for (int count : counts) {
            n += count;
        }
        return n;
    }

    private void rotate() {
        long now = nanoClock.getAsLong();
        long elapsed = now - currentStart;
        if (elapsed < sliceNanos) {
            return;
        }
        long steps = elapsed / sliceNanos;
        if (steps >= tables.length) {
            for (int i = 0; i < tables.length; i++) {
                clear(i);
            }
            currentStart = now;
            return;
        }
        for (long s = 0; s < steps; s++) {
            current = (current + 1) % tables.length;
            clear(current);
        }
        currentStart += steps * sliceNanos;
    }

    private void clear(int index) {
        if (counts[index] > 0) {
            Arrays.fill(tables[index], 0L);
            counts[index] = 0;
        }
    }

    private static int slotOf(long[] table, long identity) {
        int mask = table.length - 1;
        for (int i = (int) identity & mask; ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == identity) {
                return i;
            }
            if (v == 0) {
                return -1;
            }
        }
    }

    private static void insert(long[] table, long identity) {
        int mask = table.length - 1;
        int i = (int) identity & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = identity;
    }

    private static long[] grow(long[] table) {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != 0) {
                insert(bigger, v);
            }
        }
        return bigger;
    }

    private static long add(long h, String s) {
        if (s == null) {
            return mix(h, -1);
        }
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return mix(h, s.length());
    }

    private static long add(long h, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xff)) * FNV_PRIME;
        }
        return mix(h, to - from);
    }

    private static long mix(long h, long v) {
        return Hash64.finish(h ^ v) * FNV_PRIME;
    }
}
