package org.sipauth.core.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock at millisecond precision that moves only as the test says: {@link #manual()} stands
 * still until advanced or set; {@link #ticking()} also moves one millisecond forward on every
 * reading, so creation dates are distinct and increasing. Thread-safe.
 */
public final class TestClock extends Clock {

    private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");

    private final AtomicLong millis = new AtomicLong(START.toEpochMilli());
    private final long step;

    private TestClock(long step) {
        this.step = step;
    }

    public static TestClock manual() {
        return new TestClock(0);
    }

    public static TestClock ticking() {
        return new TestClock(1);
    }

    @Override
    public long millis() {
        return millis.addAndGet(step);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    public void advanceMillis(long delta) {
        millis.addAndGet(delta);
    }

    /** Moves the clock (backwards too), e.g. to test ordering of late-arriving rows. */
    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
