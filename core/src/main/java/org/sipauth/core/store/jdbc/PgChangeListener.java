package org.sipauth.core.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.ChangeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated PostgreSQL connection that {@code LISTEN}s on {@value #CHANNEL} and turns other
 * nodes' notifications into local {@link ChangeEvent}s.
 *
 * <p>Why RESET twice: when the connection drops, notifications sent until the next {@code LISTEN}
 * are lost, so subscribers get a {@code RESET} at once (stop trusting caches) and another once the
 * new {@code LISTEN} is in place (anything cached in between may predate a lost change). A silent
 * network loss is detected by a heartbeat query after {@code heartbeat} of quiet.
 *
 * <p>Thread-safety: one daemon thread owns the connection; {@link #close} may be called from any thread.
 */
final class PgChangeListener implements AutoCloseable {

    static final String CHANNEL = "sipauth_changes";

    /** Opens a new physical connection (not a pooled one: it is held for the life of the store). */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PgChangeListener.class);

    private final ConnectionFactory factory;
    private final String nodeId;
    private final ChangeFeed subscribers;
    private final int pollMillis;
    private final long heartbeatNanos;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();

    private volatile boolean closed;
    private volatile Connection connection;
    private volatile int backendPid;

    PgChangeListener(ConnectionFactory factory, String nodeId, ChangeFeed subscribers, Duration poll,
                     Duration heartbeat, Duration minBackoff, Duration maxBackoff) {
        this.factory = factory;
        this.nodeId = nodeId;
        this.subscribers = subscribers;
        this.pollMillis = (int) Math.max(1, poll.toMillis());
        this.heartbeatNanos = heartbeat.toNanos();
        this.minBackoffNanos = minBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.thread = new Thread(this::run, "sipauth-listen-" + nodeId);
        this.thread.setDaemon(true);
    }

    /** Establishes the first LISTEN synchronously (so no change is missed) and starts the thread. */
    void start() throws SQLException {
        connection = listen();
        thread.start();
    }

    /** True while the LISTEN connection is up (between a drop and the next LISTEN it is not). */
    boolean isListening() {
        return connection != null;
    }

    /** The server process id of the current LISTEN connection (tests terminate it to simulate a drop). */
    int backendPid() {
        return backendPid;
    }

    private Connection listen() throws SQLException {
        Connection c = factory.open();
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("LISTEN " + CHANNEL);
            backendPid = c.unwrap(PGConnection.class).getBackendPID();
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void run() {
        long backoff = minBackoffNanos;
        long lastActivity = System.nanoTime();
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = listen();
                    connection = c;
                    backoff = minBackoffNanos;
                    lastActivity = System.nanoTime();
                    LOG.info("LISTEN {} re-established; dropping caches", CHANNEL);
                    subscribers.publish(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null));
                }
                PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(pollMillis);
                if (notifications != null && notifications.length > 0) {
                    lastActivity = System.nanoTime();
                    for (PGNotification n : notifications) {
                        deliver(n.getParameter());
                    }
                } else if (System.nanoTime() - lastActivity > heartbeatNanos) {
                    try (Statement st = c.createStatement()) {
                        st.setQueryTimeout(Math.max(1, (int) TimeUnit.NANOSECONDS.toSeconds(heartbeatNanos)));
                        st.execute("SELECT 1");
                    }
                    lastActivity = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                Connection lost = connection;
                connection = null;
                if (lost != null) {
                    LOG.warn("LISTEN connection lost ({}); dropping caches and reconnecting", e.toString());
                    closeQuietly(lost);
                    subscribers.publish(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null));
                } else {
                    LOG.warn("LISTEN reconnect failed ({}); retrying in {} ms", e.toString(),
                            TimeUnit.NANOSECONDS.toMillis(backoff));
                }
                pause(backoff);
                backoff = Math.min(maxBackoffNanos, backoff * 2);
            }
        }
        Connection c = connection;
        connection = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private void deliver(String payload) {
        var decoded = ChangePayload.decode(payload);
        if (decoded.isEmpty()) {
            // A payload we cannot read (e.g. a newer node's format): we may have missed a change.
            LOG.warn("unreadable change notification; dropping caches");
            subscribers.publish(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null));
        } else if (!nodeId.equals(decoded.get().nodeId())) {
            subscribers.publish(decoded.get().event());
        }
    }

    private void pause(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!closed && left > 0) {
                left = wakeUp.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(pollMillis + 2_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already broken; nothing left to release
        }
    }
}
