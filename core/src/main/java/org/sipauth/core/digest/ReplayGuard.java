package org.sipauth.core.digest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-node replay state for nonces. <b>Internal</b>: not part of sipauth's API. Thread-safe.
 *
 * <p>With qop the nonce-count must strictly increase per nonce; without qop a nonce is single-use.
 * State is recorded only for responses that verified (so a forged request cannot burn a
 * client's nonce), kept in arrival order and dropped when the nonce expires. Memory is bounded:
 * when more than {@code maxEntries} nonces are live, the oldest is evicted and the guard
 * remembers its issue time as a watermark; an unknown nonce issued at or before the watermark is
 * refused (the client gets a fresh challenge), so eviction can never re-open a replay.
 */
public final class ReplayGuard {

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong watermark = new AtomicLong(Long.MIN_VALUE);
    private final long ttlMillis;
    private final long maxEntries;

    private static final class Entry {
        final String nonce;
        final long issuedAt;
        final long expiresAt;
        /** Highest accepted nc; Long.MAX_VALUE once a qop-less nonce was used. Guarded by this. */
        long lastNc;

        Entry(String nonce, long issuedAt, long expiresAt) {
            this.nonce = nonce;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }
    }

    public ReplayGuard(long ttlMillis, long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("replay guard size must be positive");
        }
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
    }

    /** True when ({@code nonce}, {@code nc}) has not been used; does not record anything. */
    public boolean isFresh(String nonce, long issuedAt, long nc, boolean qop) {
        if (qop && nc < 1) {
            return false;
        }
        Entry e = entries.get(nonce);
        if (e == null) {
            return issuedAt > watermark.get();
        }
        synchronized (e) {
            return qop ? nc > e.lastNc : e.lastNc == 0;
        }
    }

    /** Records a verified use; false when it is (no longer) fresh, e.g. a concurrent duplicate. */
    public boolean commit(String nonce, long issuedAt, long nc, boolean qop, long nowMillis) {
        expire(nowMillis);
        if (qop && nc < 1) {
            return false;
        }
        Entry e = entries.get(nonce);
        if (e == null) {
            if (issuedAt <= watermark.get()) {
                return false;
            }
            Entry fresh = new Entry(nonce, issuedAt, issuedAt + ttlMillis);
            e = entries.putIfAbsent(nonce, fresh);
            if (e == null) {
                e = fresh;
                order.add(fresh);
                if (size.incrementAndGet() > maxEntries) {
                    evictOldest();
                }
            }
        }
        synchronized (e) {
            if (qop ? nc <= e.lastNc : e.lastNc != 0) {
                return false;
            }
            e.lastNc = qop ? nc : Long.MAX_VALUE;
            return true;
        }
    }

    /** Live entries (for tests and metrics). */
    public long size() {
        return size.get();
    }

    private void expire(long nowMillis) {
        Entry head;
        while ((head = order.peek()) != null && head.expiresAt <= nowMillis) {
            if (order.remove(head) && entries.remove(head.nonce, head)) {
                size.decrementAndGet();
            }
        }
    }

    private void evictOldest() {
        Entry oldest = order.poll();
        if (oldest != null && entries.remove(oldest.nonce, oldest)) {
            size.decrementAndGet();
            watermark.accumulateAndGet(oldest.issuedAt, Math::max);
        }
    }
}
