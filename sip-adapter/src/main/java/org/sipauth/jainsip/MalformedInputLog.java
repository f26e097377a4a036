package org.sipauth.jainsip;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place malformed SIP input is logged: at most one line per source address per interval
 * (10 s), a fixed description of what was wrong and the message size, never the message's text
 * (which may carry Authorization values: nonce, cnonce, response are material for an offline
 * dictionary attack), never a stack trace. What is suppressed is counted and reported with the
 * source's next line.
 *
 * <p>Memory is bounded: beyond {@value #MAX_SOURCES} sources the table is cleared (a source then
 * gets one line early), and a global budget of {@value #MAX_LINES_PER_INTERVAL} lines per interval
 * holds against many spoofed sources. Thread-safe.
 */
final class MalformedInputLog {

    static final int MAX_SOURCES = 10_000;
    static final int MAX_LINES_PER_INTERVAL = 20;
    private static final Logger LOG = LoggerFactory.getLogger("org.sipauth.malformed");
    static final MalformedInputLog SHARED = new MalformedInputLog(TimeUnit.SECONDS.toNanos(10), System::nanoTime);

    private final long intervalNanos;
    private final LongSupplier clock;
    /** Per source: when its last line was written, and how many were suppressed since. */
    private final Map<InetAddress, long[]> sources = new ConcurrentHashMap<>();
    private final AtomicLong intervalStart;
    private final AtomicLong linesInInterval = new AtomicLong();
    private final AtomicLong suppressedGlobally = new AtomicLong();

    MalformedInputLog(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.intervalStart = new AtomicLong(clock.getAsLong());
    }

    /**
     * Reports malformed input from {@code source} ({@code null} when unknown); {@code what} is a
     * fixed description chosen by the caller, never text from the message; {@code bytes} the
     * message size, or -1 when unknown.
     *
     * @return true when a line was written
     */
    boolean report(InetAddress source, String what, int bytes) {
        long now = clock.getAsLong();
        long suppressedHere;
        if (source != null) {
            if (sources.size() >= MAX_SOURCES) {
                sources.clear();
            }
            long[] state = sources.computeIfAbsent(source, s -> new long[] {now - intervalNanos, 0});
            synchronized (state) {
                if (now - state[0] < intervalNanos) {
                    state[1]++;
                    return false;
                }
                state[0] = now;
                suppressedHere = state[1];
                state[1] = 0;
            }
        } else {
            suppressedHere = 0;
        }
        long start = intervalStart.get();
        if (now - start >= intervalNanos && intervalStart.compareAndSet(start, now)) {
            linesInInterval.set(0);
        }
        if (linesInInterval.incrementAndGet() > MAX_LINES_PER_INTERVAL) {
            suppressedGlobally.incrementAndGet();
            return false;
        }
        long global = suppressedGlobally.getAndSet(0);
        LOG.warn("malformed SIP from {}: {}{}; not logged again for this source for {} s"
                        + "{}{}", source == null ? "unknown source" : source.getHostAddress(), what,
                bytes >= 0 ? " (" + bytes + " bytes)" : "",
                TimeUnit.NANOSECONDS.toSeconds(intervalNanos),
                suppressedHere > 0 ? "; " + suppressedHere + " more from it since its last line" : "",
                global > 0 ? "; " + global + " lines from other sources suppressed" : "");
        return true;
    }
}
