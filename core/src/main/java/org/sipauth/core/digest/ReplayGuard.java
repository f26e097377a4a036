package org.sipauth.core.digest;

import java.security.SecureRandom;

/**
 * Per-node replay state for nonces. <b>Internal</b>: not part of sipauth's API. Thread-safe.
 *
 * <p>With qop the nonce-count must strictly increase per nonce; without qop a nonce is single-use.
 * State is recorded only for responses that verified (so a forged request cannot burn a
 * client's nonce), kept in arrival order and dropped when the nonce expires. Memory is bounded:
 * when more than {@code maxEntries} nonces are live, the oldest is evicted and the guard
 * remembers its issue time as a watermark; an unknown nonce issued at or before the watermark is
 * refused (the client gets a fresh challenge), so eviction can never re-open a replay.
 *
 * <p>Layout, and why: every accepted call adds an entry that lives for minutes. Kept as objects
 * (map node, entry, nonce string, queue node) they survived young collections by the hundred
 * thousand and the collector copied them again and again: young pauses grew to tens of
 * milliseconds under load, long enough for a burst of SIP retransmissions. Here the state is a
 * few primitive arrays allocated once: a ring in arrival order (key, issue time, last nc) and an
 * open-addressing index (linear probing, load at most one half) from key to ring slot. A nonce is
 * known by a 64-bit hash keyed with a per-process secret; two nonces sharing a key only merge
 * their histories, which can refuse a fresh request (the client is challenged again) but never
 * accept a replay. One lock guards all of it: the critical sections are a few array reads.
 */
public final class ReplayGuard {

    /** Largest supported {@code maxEntries} (the index needs twice as many slots). */
    public static final int MAX_ENTRIES = 1 << 26;

    private final long ttlMillis;
    private final int capacity;
    private final long seed;

    // ring in arrival order; guarded by this
    private final long[] keys;
    private final long[] issuedAt;
    /** Highest accepted nc; Long.MAX_VALUE once a qop-less nonce was used. */
    private final long[] lastNc;
    private int head;
    private int count;
    private long watermark = Long.MIN_VALUE;

    /** key -> ring slot + 1 (0 = empty); guarded by this. */
    private final int[] index;
    private final int mask;

    public ReplayGuard(long ttlMillis, long maxEntries) {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("replay guard size must be between 1 and " + MAX_ENTRIES + ", got " + maxEntries);
        }
        this.ttlMillis = ttlMillis;
        this.capacity = (int) maxEntries;
        this.keys = new long[capacity];
        this.issuedAt = new long[capacity];
        this.lastNc = new long[capacity];
        int slots = Integer.highestOneBit(capacity) << 2; // > 2 x capacity: load below one half
        this.index = new int[slots];
        this.mask = slots - 1;
        this.seed = new SecureRandom().nextLong();
    }

    /** True when ({@code nonce}, {@code nc}) has not been used; does not record anything. */
    public boolean isFresh(String nonce, long issuedAt, long nc, boolean qop) {
        if (qop && nc < 1) {
            return false;
        }
        long key = keyOf(nonce);
        synchronized (this) {
            int slot = find(key);
            if (slot < 0) {
                return issuedAt > watermark;
            }
            return qop ? nc > lastNc[slot] : lastNc[slot] == 0;
        }
    }

    /** Records a verified use; false when it is (no longer) fresh, e.g. a concurrent duplicate. */
    public boolean commit(String nonce, long issuedAt, long nc, boolean qop, long nowMillis) {
        if (qop && nc < 1) {
            return false;
        }
        long key = keyOf(nonce);
        synchronized (this) {
            expire(nowMillis);
            int slot = find(key);
            if (slot < 0) {
                if (issuedAt <= watermark) {
                    return false;
                }
                slot = append(key, issuedAt);
            }
            if (qop ? nc <= lastNc[slot] : lastNc[slot] != 0) {
                return false;
            }
            lastNc[slot] = qop ? nc : Long.MAX_VALUE;
            return true;
        }
    }

    /** Live entries (for tests and metrics). */
    public synchronized long size() {
        return count;
    }

    private void expire(long nowMillis) {
        while (count > 0 && issuedAt[head] + ttlMillis <= nowMillis) {
            removeHead();
        }
    }

    private int append(long key, long issued) {
        if (count == capacity) {
            watermark = Math.max(watermark, issuedAt[head]);
            removeHead();
        }
        int slot = head + count;
        if (slot >= capacity) {
            slot -= capacity;
        }
        keys[slot] = key;
        issuedAt[slot] = issued;
        lastNc[slot] = 0;
        count++;
        int i = home(key);
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
        return slot;
    }

    private int find(long key) {
        for (int i = home(key); index[i] != 0; i = (i + 1) & mask) {
            int slot = index[i] - 1;
            if (keys[slot] == key) {
                return slot;
            }
        }
        return -1;
    }

    private void removeHead() {
        int slot = head;
        int i = home(keys[slot]);
        while (index[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move later members of the probe run into the hole so that
        // every remaining key stays reachable from its home position without tombstones.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (index[j] == 0) {
                break;
            }
            int k = home(keys[index[j] - 1]);
            boolean movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
            if (movable) {
                index[i] = index[j];
                i = j;
            }
        }
        index[i] = 0;
        head = head + 1 == capacity ? 0 : head + 1;
        count--;
    }

    private int home(long key) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    private long keyOf(String nonce) {
        long h = seed;
        int length = nonce.length();
        for (int i = 0; i < length; i++) {
            h = (h ^ nonce.charAt(i)) * 0x100000001b3L; // FNV-1a step, from a secret start
        }
        return fmix64(h ^ length);
    }

    /** MurmurHash3's 64-bit finalizer: spreads every input bit over the key. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
