package org.sipauth.server;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /ready} answers: whether this node should get traffic. Starting until the server
 * has started (store open, caches subscribed to its change feed, SIP listener bound), then ready
 * while the store is reachable, and draining from the start of a graceful stop on.
 *
 * <p>Why the store check runs on its own thread: a store that is down makes the check wait (a JDBC
 * pool waits up to its connection timeout), and a probe must answer at once. A probe reads the
 * last result and, when it is older than {@link #REFRESH_NANOS}, starts the next check; a check
 * still running after {@link #SLOW_NANOS} counts as unreachable. So probes never query the store,
 * and a store is queried at most about once a second however often probes come. Thread-safe.
 */
final class Readiness {

    /** What a probe is told; {@link #text} is the JSON {@code status}. */
    enum Status {
        STARTING("starting"), READY("ready"), STORE_UNREACHABLE("store unreachable"), DRAINING("draining");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final BooleanSupplier storeCheck;
    private final LongSupplier nanoTime;
    private final Executor checks;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean draining;
    private volatile boolean reachable;
    private volatile long checkedAt;
    private volatile long checkStartedAt;

    /**
     * @param storeCheck the store's cheap reachability check (may block)
     * @param nanoTime   a monotonic clock ({@code System::nanoTime}; tests move their own)
     * @param checks     where the check runs, off the probe's thread
     */
    Readiness(BooleanSupplier storeCheck, LongSupplier nanoTime, Executor checks) {
        this.storeCheck = Objects.requireNonNull(storeCheck, "storeCheck");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.checks = Objects.requireNonNull(checks, "checks");
    }

    /** The server has started: checks the store once, on the calling thread, so the first probe knows. */
    void started() {
        checking.set(true);
        check();
        started = true;
    }

    /** A graceful stop began: not ready again. */
    void draining() {
        draining = true;
    }

    Status status() {
        if (draining) {
            return Status.DRAINING;
        }
        if (!started) {
            return Status.STARTING;
        }
        long now = nanoTime.getAsLong();
        if (now - checkedAt >= REFRESH_NANOS && checking.compareAndSet(false, true)) {
            checkStartedAt = now;
            try {
                checks.execute(this::check);
            } catch (RuntimeException e) {
                checking.set(false); // the executor is shut down: the server is stopping
            }
        }
        boolean slow = checking.get() && now - checkStartedAt >= SLOW_NANOS;
        return reachable && !slow ? Status.READY : Status.STORE_UNREACHABLE;
    }

    private void check() {
        boolean ok;
        try {
            ok = storeCheck.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        if (ok != reachable && started) {
            LOG.warn("store {}", ok ? "reachable again" : "unreachable: /ready answers 503");
        }
        reachable = ok;
        checkedAt = nanoTime.getAsLong();
        checking.set(false);
    }
}
