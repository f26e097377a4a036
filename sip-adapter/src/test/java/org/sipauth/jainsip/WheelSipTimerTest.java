package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WheelSipTimerTest {

    private final WheelSipTimer timer = new WheelSipTimer();

    WheelSipTimerTest() {
        timer.start(null, null);
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    /** Counts its runs and the nanoTime of its first run. */
    private static final class Probe extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicLong firstRunNanos = new AtomicLong();
        final CountDownLatch ran;

        Probe(int expectedRuns) {
            ran = new CountDownLatch(expectedRuns);
        }

        @Override
        public void runTask() {
            if (runs.incrementAndGet() == 1) {
                firstRunNanos.set(System.nanoTime());
            }
            ran.countDown();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    /**
     * Returns once the wheel has processed every tick up to {@code millis} from now: a task scheduled
     * then has run, and the wheel runs its ticks in order on one thread, so every task due earlier had
     * its chance. A wait on the timer's own progress, where a sleep would not notice a stalled timer.
     */
    private void awaitTicksPast(long millis) throws InterruptedException {
        Probe sentinel = new Probe(1);
        assertTrue(timer.schedule(sentinel, millis));
        assertTrue(sentinel.ran.await(10, TimeUnit.SECONDS), "the wheel did not reach " + millis + " ms");
    }

    @Test
    void oneShot_runsOnce_neverBeforeItsDelay() throws Exception {
        List<Probe> probes = new ArrayList<>();
        List<Long> scheduledAt = new ArrayList<>();
        long[] delays = {0, 1, 15, 120, 700};
        for (long delay : delays) {
            Probe p = new Probe(1);
            scheduledAt.add(System.nanoTime());
            assertTrue(timer.schedule(p, delay));
            probes.add(p);
        }
        for (int i = 0; i < delays.length; i++) {
            Probe p = probes.get(i);
            assertTrue(p.ran.await(5, TimeUnit.SECONDS), "delay " + delays[i] + " never ran");
            long waited = p.firstRunNanos.get() - scheduledAt.get(i);
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(delays[i]), "delay " + delays[i] + " ran after " + waited + " ns");
        }
        awaitTicksPast(100);
        for (Probe p : probes) {
            assertEquals(1, p.runs.get());
        }
    }

    @Test
    void delayBeyondOneTurnOfTheWheel_waitsForIt() throws Exception {
        Probe p = new Probe(1);
        long start = System.nanoTime();
        timer.schedule(p, 5_300); // the wheel turns in 5.12 s
        assertTrue(p.ran.await(10, TimeUnit.SECONDS));
        assertTrue(p.firstRunNanos.get() - start >= TimeUnit.MILLISECONDS.toNanos(5_300));
    }

    @Test
    void fixedDelay_repeatsUntilCancelled() throws Exception {
        Probe p = new Probe(5);
        timer.scheduleWithFixedDelay(p, 0, 20);
        assertTrue(p.ran.await(5, TimeUnit.SECONDS));
        assertTrue(timer.cancel(p));
        assertNull(p.getSipTimerTask());
        int after = p.runs.get();
        awaitTicksPast(150); // seven periods: a task the cancel missed would have run again by then
        assertTrue(p.runs.get() <= after + 1, "runs after cancel: " + (p.runs.get() - after));
        assertFalse(timer.cancel(p), "second cancel finds nothing");
    }

    @Test
    void periodicTask_mayCancelItselfWhileRunning() throws Exception {
        CountDownLatch third = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        SIPStackTimerTask selfCancelling = new SIPStackTimerTask() {
            @Override
            public void runTask() {
                if (runs.incrementAndGet() == 3) {
                    timer.cancel(this);
                    third.countDown();
                }
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        };
        timer.scheduleWithFixedDelay(selfCancelling, 0, 10);
        assertTrue(third.await(5, TimeUnit.SECONDS));
        awaitTicksPast(100); // ten periods
        assertEquals(3, runs.get());
    }

    @Test
    void cancelledBeforeItsTime_neverRuns_andAFailingTaskDoesNotStopTheTimer() throws Exception {
        Probe cancelled = new Probe(1);
        timer.schedule(cancelled, 50);
        assertTrue(timer.cancel(cancelled));
        timer.schedule(new SIPStackTimerTask() {
            @Override
            public void runTask() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        }, 0);
        Probe later = new Probe(1);
        timer.schedule(later, 100);
        assertTrue(later.ran.await(5, TimeUnit.SECONDS));
        assertEquals(0, cancelled.runs.get());
    }

    @Test
    void manyThreadsScheduling_everyTaskRunsExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch all = new CountDownLatch(threads * perThread);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        timer.schedule(new SIPStackTimerTask() {
                            @Override
                            public void runTask() {
                                runs.incrementAndGet();
                                all.countDown();
                            }

                            @Override
                            public Object getThreadHash() {
                                return null;
                            }
                        }, i % 200);
                    }
                });
            }
            assertTrue(all.await(10, TimeUnit.SECONDS));
            awaitTicksPast(100); // a task run twice would show by then
            assertEquals(threads * perThread, runs.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stoppedTimer_refusesNewTasks() {
        timer.stop();
        assertFalse(timer.isStarted());
        assertThrows(IllegalStateException.class, () -> timer.schedule(new Probe(1), 10));
    }
}
