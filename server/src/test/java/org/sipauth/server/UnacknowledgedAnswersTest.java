package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnacknowledgedAnswersTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final UnacknowledgedAnswers answers = new UnacknowledgedAnswers(3, now::get);
    private final List<Long> sentAtMillis = new ArrayList<>();
    private final long start = now.get();

    private void resend() {
        sentAtMillis.add(Duration.ofNanos(now.get() - start).toMillis());
    }

    /** Advances the clock in 10 ms steps up to {@code millis} after the start, sweeping at each. */
    private void runUntil(long millis) {
        while (Duration.ofNanos(now.get() - start).toMillis() < millis) {
            now.addAndGet(Duration.ofMillis(10).toNanos());
            answers.sweep();
        }
    }

    @Test
    void unacknowledged2xx_isResentAtT1_doublingUpToT2_untilSixtyFourT1() {
        assertTrue(answers.watch("call-1 1", this::resend, () -> false));
        runUntil(40_000);
        assertEquals(List.of(500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L), sentAtMillis);
        assertEquals(0, answers.size(), "given up after 64*T1");
    }

    @Test
    void theAck_stopsTheRetransmissions() {
        answers.watch("call-1 1", this::resend, () -> false);
        runUntil(600);
        assertTrue(answers.acknowledge("call-1 1"));
        assertFalse(answers.acknowledge("call-1 1"), "acknowledged once");
        runUntil(10_000);
        assertEquals(List.of(500L), sentAtMillis);
    }

    @Test
    void anAckSeenElsewhere_endsTheWatch() {
        AtomicBoolean seen = new AtomicBoolean();
        answers.watch("call-1 1", this::resend, seen::get);
        runUntil(600);
        seen.set(true);
        runUntil(5_000);
        assertEquals(List.of(500L), sentAtMillis);
        assertEquals(0, answers.size());
    }

    @Test
    void aSecondWatchForTheSameKey_andWatchesBeyondCapacity_areRefused() {
        assertTrue(answers.watch("a 1", this::resend, () -> false));
        assertFalse(answers.watch("a 1", this::resend, () -> false));
        assertTrue(answers.watch("a 2", this::resend, () -> false), "another CSeq is another INVITE");
        assertTrue(answers.watch("b 1", this::resend, () -> false));
        assertFalse(answers.watch("c 1", this::resend, () -> false), "capacity 3");
        answers.forget("b 1");
        assertTrue(answers.watch("c 1", this::resend, () -> false));
    }

    @Test
    void key_isCallIdAndCSeqNumber() {
        assertEquals("abc@h 7", UnacknowledgedAnswers.key("abc@h", 7));
        assertEquals(" 7", UnacknowledgedAnswers.key(null, 7));
    }
}
