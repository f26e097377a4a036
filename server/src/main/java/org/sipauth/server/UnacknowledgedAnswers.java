package org.sipauth.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The 2xx responses to INVITEs that wait for their ACK, keyed by Call-ID and CSeq number (what the
 * ACK for a 2xx shares with its INVITE), each resent at T1, 2·T1, … capped at T2 until its ACK
 * arrives or 64·T1 has passed (RFC 3261 13.3.1.4: without dialogs nobody else retransmits them).
 *
 * <p>Why a sweep and not a timer per answer: on loopback or a LAN the ACK arrives within
 * milliseconds, so nearly every entry leaves the table long before its first retransmission; one
 * sweep every {@value #SWEEP_MILLIS} ms over the few that stay costs less than scheduling and
 * cancelling a timer task per call. Retransmissions are therefore up to one sweep late, never
 * early. The table is bounded: beyond {@code capacity} a 2xx is sent once, unwatched. Thread-safe.
 */
final class UnacknowledgedAnswers implements AutoCloseable {

    static final long T1_MILLIS = 500;
    static final long T2_MILLIS = 4000;
    private static final long GIVE_UP_MILLIS = 64 * T1_MILLIS;
    private static final long SWEEP_MILLIS = 50;

    /** Sends the 2xx once more. */
    interface Resend {
        void send();
    }

    private static final class Entry {
        final Resend resend;
        final BooleanSupplier acknowledgedElsewhere;
        final long deadline;
        long due;
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(T1_MILLIS);

        Entry(Resend resend, BooleanSupplier acknowledgedElsewhere, long now) {
            this.resend = resend;
            this.acknowledgedElsewhere = acknowledgedElsewhere;
            this.deadline = now + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
            this.due = now + intervalNanos;
        }
    }

    private final ConcurrentHashMap<String, Entry> waiting = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService sweeper;

    /** Sweeps on a daemon thread of its own. */
    UnacknowledgedAnswers(int capacity) {
        this(capacity, System::nanoTime, true);
    }

    /** For tests: no thread; the caller runs {@link #sweep} against {@code nanoClock}. */
    UnacknowledgedAnswers(int capacity, LongSupplier nanoClock) {
        this(capacity, nanoClock, false);
    }

    private UnacknowledgedAnswers(int capacity, LongSupplier nanoClock, boolean sweeping) {
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        this.sweeper = sweeping ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sipauth-2xx-retransmitter");
            t.setDaemon(true);
            return t;
        }) : null;
        if (sweeper != null) {
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The key of an INVITE or of the ACK for its 2xx. */
    static String key(String callId, long cseqNumber) {
        return (callId == null ? "" : callId) + ' ' + cseqNumber;
    }

    /**
     * Watches the 2xx for {@code key} until its ACK; call before sending it (on loopback the ACK
     * can arrive before the send returns). False when one is already watched for that key or the
     * table is full: then send it once and do not watch it.
     *
     * @param acknowledgedElsewhere true once something other than {@link #acknowledge} saw the ACK
     */
    boolean watch(String key, Resend resend, BooleanSupplier acknowledgedElsewhere) {
        if (waiting.size() >= capacity) {
            return false;
        }
        return waiting.putIfAbsent(key, new Entry(resend, acknowledgedElsewhere, nanoClock.getAsLong())) == null;
    }

    /** The ACK for {@code key} arrived: stop resending. False when nothing was waiting for it. */
    boolean acknowledge(String key) {
        return waiting.remove(key) != null;
    }

    /** Stops watching {@code key} (its send failed). */
    void forget(String key) {
        waiting.remove(key);
    }

    /** 2xx responses waiting for their ACK now. */
    int size() {
        return waiting.size();
    }

    /** Resends what is due and drops what was acknowledged elsewhere or has waited 64·T1. */
    void sweep() {
        long now = nanoClock.getAsLong();
        long capNanos = TimeUnit.MILLISECONDS.toNanos(T2_MILLIS);
        waiting.forEach((key, entry) -> {
            if (now - entry.deadline >= 0 || entry.acknowledgedElsewhere.getAsBoolean()) {
                waiting.remove(key, entry);
                return;
            }
            if (now - entry.due >= 0) {
                try {
                    entry.resend.send();
                } catch (RuntimeException e) {
                    // a failed send is retried at the next interval, like a lost datagram
                }
                entry.intervalNanos = Math.min(entry.intervalNanos * 2, capNanos);
                entry.due = now + entry.intervalNanos;
            }
        });
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        waiting.clear();
    }
}
