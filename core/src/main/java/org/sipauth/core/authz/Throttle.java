package org.sipauth.core.authz;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brute-force throttle per source address: {@code maxFailures} failed responses within
 * {@code windowMillis} block the source for {@code cooldownMillis}. A success forgets the
 * source's failures. Memory is bounded by {@code maxSources}: idle sources are swept (at most once
 * a second); beyond the bound new sources are not tracked, which keeps memory flat under a
 * spoofed-source flood. Thread-safe.
 */
final class Throttle {

    private final int maxFailures;
    private final long windowMillis;
    private final long cooldownMillis;
    private final int maxSources;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    private static final class Bucket {
        /** Ring of the latest failure times. Guarded by this. */
        final long[] failures;
        int next;
        int count;
        long blockedUntil = Long.MIN_VALUE;

        Bucket(int size) {
            failures = new long[size];
        }
    }

    Throttle(int maxFailures, long windowMillis, long cooldownMillis, int maxSources) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.cooldownMillis = cooldownMillis;
        this.maxSources = maxSources;
    }

    boolean enabled() {
        return maxFailures > 0;
    }

    boolean blocked(InetAddress source, long now) {
        if (!enabled()) {
            return false;
        }
        Bucket b = buckets.get(source);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            return b.blockedUntil > now;
        }
    }

    void failure(InetAddress source, long now) {
        if (!enabled()) {
            return;
        }
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= maxSources && !sweep(now)) {
                return;
            }
            b = buckets.computeIfAbsent(source, s -> new Bucket(maxFailures));
        }
        synchronized (b) {
            b.failures[b.next] = now;
            b.next = (b.next + 1) % maxFailures;
            b.count = Math.min(b.count + 1, maxFailures);
            // the oldest of the last maxFailures failures sits at `next` once the ring is full
            if (b.count == maxFailures && now - b.failures[b.next] < windowMillis) {
                b.blockedUntil = now + cooldownMillis;
                b.count = 0;
            }
        }
    }

    void success(InetAddress source) {
        if (enabled() && !buckets.isEmpty()) {
            buckets.remove(source);
        }
    }

    /** Removes idle sources; true when there is room again. */
    private boolean sweep(long now) {
        long last = lastSweep.get();
        if (now - last >= 1000 && lastSweep.compareAndSet(last, now)) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    long latest = b.failures[(b.next + maxFailures - 1) % maxFailures];
                    return b.blockedUntil <= now && now - latest >= windowMillis;
                }
            });
        }
        return buckets.size() < maxSources;
    }

    int trackedSources() {
        return buckets.size();
    }
}
