package org.sipauth.core.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that has no event to wait on (a table size, a thread count, a connection
 * count), with a deadline: a bounded poll, never a fixed pause followed by an assertion.
 */
public final class Await {

    /** Between two looks at the condition; short, so a met condition is seen at once. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds; throws an {@link AssertionError} naming
     * {@code what} (evaluated then, so it can show the current state) when {@code timeout} passes first.
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not met within " + timeout.toMillis() + " ms: " + what.get());
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** As {@link #until(Duration, BooleanSupplier, Supplier)} with a fixed description. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        until(timeout, condition, () -> what);
    }
}
