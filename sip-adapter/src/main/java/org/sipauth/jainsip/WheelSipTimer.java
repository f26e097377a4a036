package org.sipauth.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri timer ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}) on a hashed timing wheel: schedule
 * and cancel cost O(1) and take no lock, tasks fire up to one tick ({@value #TICK_MILLIS} ms) late,
 * never early, on one timer thread (as with the RI's own timers).
 *
 * <p>Why: every RI server transaction schedules a 500 ms periodic timer plus one-shot timers (100
 * Trying, linger), so at 5,000 calls/s the RI's {@code ScheduledThreadPoolExecutor}-based timer
 * keeps tens of thousands of tasks in one lock-guarded binary heap; its sift operations and
 * wake-ups were about a tenth of the server's CPU under load (JFR).
 *
 * <p>Callers only append to a lock-free queue; the timer thread moves new entries into buckets,
 * unlinks cancelled ones when it meets them (a cancelled entry drops its task at once, so it keeps
 * no transaction alive) and runs what is due.
 */
public final class WheelSipTimer implements SipTimer {

    /** Wheel resolution in milliseconds. */
    public static final int TICK_MILLIS = 10;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    /** Buckets; a power of two. 512 x 10 ms = one turn in 5.12 s; later deadlines wait in their bucket. */
    private static final int WHEEL_SIZE = 512;
    private static final Logger LOG = LoggerFactory.getLogger(WheelSipTimer.class);

    /** One scheduled task. {@code task} is null once cancelled. */
    static final class Entry {
        volatile SIPStackTimerTask task;
        final long periodTicks;
        long deadlineTick;
        Entry next;

        Entry(SIPStackTimerTask task, long deadlineTick, long periodTicks) {
            this.task = task;
            this.deadlineTick = deadlineTick;
            this.periodTicks = periodTicks;
        }
    }

    private final Queue<Entry> incoming = new ConcurrentLinkedQueue<>();
    private final Entry[] buckets = new Entry[WHEEL_SIZE];
    private final long startNanos = System.nanoTime();
    private volatile boolean running;
    private volatile boolean stopped;
    private Thread thread;
    /** The next tick to process. Timer thread only. */
    private long tick;

    /** Called by the RI (by class name). */
    public WheelSipTimer() {
    }

    @Override
    public synchronized void start(SipStackImpl sipStack, Properties configurationProperties) {
        if (running || stopped) {
            return;
        }
        running = true;
        String name = sipStack == null ? "sip" : sipStack.getStackName();
        thread = new Thread(this::run, name + "-timer-wheel");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        incoming.clear();
    }

    @Override
    public boolean isStarted() {
        return running;
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return add(task, delay, 0);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return add(task, delay, Math.max(1, ceilDiv(TimeUnit.MILLISECONDS.toNanos(period), TICK_NANOS)));
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Entry entry)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        boolean pending = entry.task != null;
        entry.task = null;
        return pending;
    }

    private boolean add(SIPStackTimerTask task, long delayMillis, long periodTicks) {
        if (stopped) {
            throw new IllegalStateException("The SIP stack timer has been stopped; no new tasks can be scheduled");
        }
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        // Rounded up, plus the tick under way: a task never fires before its delay has passed.
        long deadline = ceilDiv(System.nanoTime() - startNanos + delayNanos, TICK_NANOS) + 1;
        Entry entry = new Entry(task, deadline, periodTicks);
        task.setSipTimerTask(entry);
        incoming.add(entry);
        return true;
    }

    private void run() {
        while (running) {
            long due = (System.nanoTime() - startNanos) / TICK_NANOS;
            if (tick > due) {
                LockSupport.parkNanos(startNanos + tick * TICK_NANOS - System.nanoTime());
                continue;
            }
            drainIncoming();
            fireBucket();
            tick++;
        }
        java.util.Arrays.fill(buckets, null);
    }

    private void drainIncoming() {
        Entry e;
        while ((e = incoming.poll()) != null) {
            if (e.task != null) {
                insert(e);
            }
        }
    }

    private void insert(Entry e) {
        // A deadline already passed goes into the bucket processed now.
        int index = (int) (Math.max(e.deadlineTick, tick) & (WHEEL_SIZE - 1));
        e.next = buckets[index];
        buckets[index] = e;
    }

    private void fireBucket() {
        int index = (int) (tick & (WHEEL_SIZE - 1));
        Entry e = buckets[index];
        buckets[index] = null;
        Entry keep = null;
        while (e != null) {
            Entry next = e.next;
            SIPStackTimerTask task = e.task;
            if (task == null) {
                e.next = null; // cancelled: dropped
            } else if (e.deadlineTick > tick) {
                e.next = keep; // a later turn of the wheel
                keep = e;
            } else {
                runTask(task);
                if (e.periodTicks > 0 && e.task != null) {
                    // Fixed delay: the next run is one period after this one; goes to another bucket
                    // or, after a whole turn, back to this one (re-added below, not run twice now).
                    e.deadlineTick = tick + e.periodTicks;
                    e.next = keep;
                    keep = e;
                } else {
                    e.task = null;
                    e.next = null;
                }
            }
            e = next;
        }
        while (keep != null) {
            Entry next = keep.next;
            insert(keep); // its deadline is after this tick: it goes to the deadline's bucket
            keep = next;
        }
    }

    private static void runTask(SIPStackTimerTask task) {
        try {
            task.runTask();
        } catch (Throwable t) {
            LOG.warn("SIP stack timer task {} failed", task.getClass().getName(), t);
        }
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
