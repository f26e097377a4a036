package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final long TTL = 1000;

    @Test
    void qopNonceCount_mustStrictlyIncrease() {
        ReplayGuard g = new ReplayGuard(TTL, 10);
        assertFalse(g.isFresh("n", 0, 0, true));
        assertTrue(g.commit("n", 0, 1, true, 0));
        assertFalse(g.isFresh("n", 0, 1, true));
        assertFalse(g.commit("n", 0, 1, true, 0));
        assertTrue(g.commit("n", 0, 3, true, 0));
        assertFalse(g.commit("n", 0, 2, true, 0));
        assertTrue(g.isFresh("n", 0, 4, true));
    }

    @Test
    void withoutQop_aNonceIsSingleUse() {
        ReplayGuard g = new ReplayGuard(TTL, 10);
        assertTrue(g.isFresh("n", 0, 0, false));
        assertTrue(g.commit("n", 0, 0, false, 0));
        assertFalse(g.isFresh("n", 0, 0, false));
        assertFalse(g.commit("n", 0, 0, false, 0));
    }

    @Test
    void entriesExpireWithTheNonce() {
        ReplayGuard g = new ReplayGuard(TTL, 10);
        g.commit("a", 0, 1, true, 0);
        g.commit("b", 500, 1, true, 500);
        assertEquals(2, g.size());
        g.commit("c", 1000, 1, true, 1000);
        assertEquals(2, g.size(), "a expired at 1000");
    }

    @Test
    void evictionIsBounded_andEvictedNoncesAreNotReopened() {
        ReplayGuard g = new ReplayGuard(TTL, 3);
        for (int i = 0; i < 5; i++) {
            assertTrue(g.commit("n" + i, i, 1, true, 10));
        }
        assertEquals(3, g.size());
        assertFalse(g.isFresh("n0", 0, 1, true), "replay of an evicted nonce");
        assertFalse(g.isFresh("n1", 1, 2, true), "even with a higher nc: its history is gone");
        assertFalse(g.isFresh("older", 1, 1, true));
        assertTrue(g.isFresh("newer", 6, 1, true));
    }

    @Test
    void concurrentDuplicates_exactlyOneWins() throws Exception {
        ReplayGuard g = new ReplayGuard(TTL, 1000);
        for (int round = 0; round < 200; round++) {
            String nonce = "n" + round;
            java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (g.commit(nonce, 0, 1, true, 0)) {
                        wins.incrementAndGet();
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, wins.get(), nonce);
        }
    }

    /**
     * Random commits, expiries and evictions against a plain model (map + arrival list): the
     * index must find every live nonce after any sequence of deletions from its probe runs.
     */
    @Test
    void randomOperations_matchAModel() {
        java.util.Random random = new java.util.Random(7);
        int capacity = 64;
        ReplayGuard g = new ReplayGuard(TTL, capacity);
        java.util.LinkedHashMap<String, long[]> model = new java.util.LinkedHashMap<>(); // nonce -> {issuedAt, lastNc}
        long watermark = Long.MIN_VALUE;
        long now = 0;
        int issued = 0;
        for (int step = 0; step < 200_000; step++) {
            now += random.nextInt(3);
            String nonce;
            long issuedAt;
            if (model.isEmpty() || random.nextInt(3) == 0) {
                nonce = "n" + issued++;
                issuedAt = now;
            } else {
                int pick = random.nextInt(model.size());
                java.util.Map.Entry<String, long[]> e = model.entrySet().stream().skip(pick).findFirst().orElseThrow();
                nonce = e.getKey();
                issuedAt = e.getValue()[0];
            }
            long nc = 1 + random.nextInt(4);
            // the model: expire by arrival order, then evict the oldest when full
            while (!model.isEmpty()) {
                java.util.Map.Entry<String, long[]> oldest = model.entrySet().iterator().next();
                if (oldest.getValue()[0] + TTL > now) {
                    break;
                }
                model.remove(oldest.getKey());
            }
            long[] state = model.get(nonce);
            boolean expected;
            if (state == null && issuedAt <= watermark) {
                expected = false;
            } else {
                if (state == null) {
                    if (model.size() == capacity) {
                        java.util.Map.Entry<String, long[]> oldest = model.entrySet().iterator().next();
                        watermark = Math.max(watermark, oldest.getValue()[0]);
                        model.remove(oldest.getKey());
                    }
                    state = new long[] {issuedAt, 0};
                    model.put(nonce, state);
                }
                expected = nc > state[1];
                if (expected) {
                    state[1] = nc;
                }
            }
            assertEquals(expected, g.commit(nonce, issuedAt, nc, true, now), "step " + step + " " + nonce);
            assertEquals(model.size(), g.size(), "step " + step);
        }
    }

    @Test
    void sizeOutsideTheSupportedRange_isRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(TTL, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ReplayGuard(TTL, ReplayGuard.MAX_ENTRIES + 1L));
    }
}
