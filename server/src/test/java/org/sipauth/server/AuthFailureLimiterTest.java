package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipauth.testsip.MutableClock;

/** Failed admin authentications per source: the budget, the window, the bound on memory. */
class AuthFailureLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(clock, 3, Duration.ofSeconds(60), 4);

    private void fail(String source, int times) {
        for (int i = 0; i < times; i++) {
            limiter.failed(source);
        }
    }

    @Test
    void belowTheBudget_isAllowed_atTheBudget_isRefusedUntilTheWindowEnds() {
        fail("192.0.2.1", 2);
        assertEquals(0, limiter.retryAfterSeconds("192.0.2.1"));
        clock.advance(Duration.ofSeconds(10));
        fail("192.0.2.1", 1);
        assertEquals(50, limiter.retryAfterSeconds("192.0.2.1"), "counted from the first failure");
        assertEquals(0, limiter.retryAfterSeconds("192.0.2.2"), "another source is not affected");
        clock.advance(Duration.ofMillis(49_500));
        assertEquals(1, limiter.retryAfterSeconds("192.0.2.1"), "rounded up, never 0 while refused");
        clock.advance(Duration.ofMillis(500));
        assertEquals(0, limiter.retryAfterSeconds("192.0.2.1"));
        fail("192.0.2.1", 2);
        assertEquals(0, limiter.retryAfterSeconds("192.0.2.1"), "a new window starts with a new budget");
    }

    @Test
    void ipv6Sources_shareTheBudgetOfTheir64Prefix() {
        fail("2001:db8:1:2::1", 1);
        fail("2001:db8:1:2:ffff::9", 1);
        fail("[2001:db8:1:2:abcd::1]", 1);
        assertTrue(limiter.retryAfterSeconds("2001:db8:1:2::77") > 0);
        assertEquals(0, limiter.retryAfterSeconds("2001:db8:1:3::1"));
        assertEquals("2001:db8:1:2::/64", AuthFailureLimiter.key("2001:0db8:0001:0002:0:0:0:1%eth0"));
        assertEquals("192.0.2.7", AuthFailureLimiter.key("::ffff:192.0.2.7"));
        assertEquals("not-an-address:x", AuthFailureLimiter.key("not-an-address:x"));
    }

    @Test
    void memoryIsBounded_andANewFailingSourceIsAlwaysCounted() {
        for (int i = 1; i <= 4; i++) {
            fail("192.0.2." + i, 3);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(4, limiter.size());
        fail("198.51.100.1", 3);
        assertEquals(4, limiter.size(), "the oldest window made room");
        assertTrue(limiter.retryAfterSeconds("198.51.100.1") > 0, "the newcomer is refused: never fail open");
        assertEquals(0, limiter.retryAfterSeconds("192.0.2.1"), "the oldest was dropped");
        assertTrue(limiter.retryAfterSeconds("192.0.2.2") > 0);

        clock.advance(Duration.ofMillis(58_500)); // the windows of 192.0.2.2 and .3 have ended, .4's not
        fail("198.51.100.2", 1);
        assertEquals(3, limiter.size(), "expired windows are dropped first");
        assertTrue(limiter.retryAfterSeconds("192.0.2.4") > 0);
        for (int i = 0; i < 1000; i++) {
            limiter.failed("203.0.113." + (i % 250) + "/" + i);
        }
        assertEquals(4, limiter.size());
    }

    @Test
    void settings_areChecked() {
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureLimiter(clock, 0, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureLimiter(clock, 1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureLimiter(clock, 1, Duration.ofSeconds(1), 0));
    }
}
