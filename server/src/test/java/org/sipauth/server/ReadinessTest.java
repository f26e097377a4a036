package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private final AtomicInteger checks = new AtomicInteger();
    /** Checks submitted and not yet run: the test runs them, as the check thread would. */
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final Readiness readiness = new Readiness(() -> {
        checks.incrementAndGet();
        return storeUp.get();
    }, now::get, pending::add);

    private void runPendingChecks() {
        for (Runnable check; (check = pending.poll()) != null; ) {
            check.run();
        }
    }

    @Test
    void status_isStartingUntilStarted_thenReady() {
        assertEquals(Readiness.Status.STARTING, readiness.status());
        readiness.started();
        assertEquals(Readiness.Status.READY, readiness.status());
        assertEquals(1, checks.get(), "started() checks the store once, on its own thread");
    }

    @Test
    void status_checksTheStoreAtMostOncePerSecond_offTheProbesThread() {
        readiness.started();
        for (int i = 0; i < 100; i++) {
            readiness.status();
        }
        assertEquals(0, pending.size(), "within a second of the last check, probes read the cached result");
        now.addAndGet(Readiness.REFRESH_NANOS);
        storeUp.set(false);
        assertEquals(Readiness.Status.READY, readiness.status(), "the probe does not wait for the check");
        readiness.status();
        assertEquals(1, pending.size(), "one check at a time");
        runPendingChecks();
        assertEquals(Readiness.Status.STORE_UNREACHABLE, readiness.status());
        assertEquals(2, checks.get());
    }

    @Test
    void status_storeBackAfterAnOutage_isReadyAgain() {
        storeUp.set(false);
        readiness.started();
        assertEquals(Readiness.Status.STORE_UNREACHABLE, readiness.status());
        storeUp.set(true);
        now.addAndGet(Readiness.REFRESH_NANOS);
        readiness.status();
        runPendingChecks();
        assertEquals(Readiness.Status.READY, readiness.status());
    }

    @Test
    void status_checkThatHangs_countsAsUnreachable() {
        readiness.started();
        now.addAndGet(Readiness.REFRESH_NANOS);
        assertEquals(Readiness.Status.READY, readiness.status());
        now.addAndGet(Readiness.SLOW_NANOS);
        assertEquals(Readiness.Status.STORE_UNREACHABLE, readiness.status(), "a database that does not answer is down");
    }

    @Test
    void status_whileDraining_isDrainingWhateverTheStore() {
        readiness.started();
        readiness.draining();
        assertEquals(Readiness.Status.DRAINING, readiness.status());
        storeUp.set(false);
        now.addAndGet(Readiness.REFRESH_NANOS);
        assertEquals(Readiness.Status.DRAINING, readiness.status());
        assertEquals(0, pending.size(), "no store check while draining");
    }

    @Test
    void status_aCheckThatThrows_isUnreachable() {
        Readiness failing = new Readiness(() -> {
            throw new IllegalStateException("pool closed");
        }, now::get, Runnable::run);
        failing.started();
        assertEquals(Readiness.Status.STORE_UNREACHABLE, failing.status());
    }
}
