package org.sipauth.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import ch.qos.logback.core.util.Duration;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A logback console appender for high line rates, the server's default: lines go to a buffer that is
 * written to standard error (or {@code <target>System.out</target>}) when it is full, at the latest
 * {@code flushInterval} after a line (default 100 ms), at once for WARN and ERROR lines, when the
 * appender stops and when the JVM shuts down (every line after that is written at once).
 *
 * <p>Why: the decision log writes a line for every INVITE, 10,000 and more a second under load.
 * logback's {@code ConsoleAppender} makes one {@code write(2)} per line while holding the appender's
 * lock, so the stack's threads queue behind each other's system calls; here they copy into memory and
 * one write per buffer goes out. The price: a {@code kill -9} or a JVM crash loses at most the INFO
 * lines of the last {@code flushInterval}. Thread-safe, as every logback appender.
 */
public class BufferedConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

    private ConsoleTarget target = ConsoleTarget.SystemErr;
    private OutputStream sink;
    private Duration flushInterval = Duration.buildByMilliseconds(100);
    private int bufferSize = 64 * 1024;
    private ScheduledExecutorService flusher;
    private Thread shutdownHook;
    /** Set once the JVM shuts down: from then on every line is written at once. */
    private volatile boolean writeThrough;

    /** An appender on {@code System.err} unless {@link #setTarget} says otherwise. */
    public BufferedConsoleAppender() {
    }

    /** Tests: an appender writing to {@code sink} instead of the console. */
    BufferedConsoleAppender(OutputStream sink) {
        this.sink = sink;
    }

    /** {@code System.err} (the default) or {@code System.out}. */
    public void setTarget(String value) {
        ConsoleTarget t = ConsoleTarget.findByName(value == null ? "" : value.trim());
        if (t == null) {
            addWarn("[" + value + "] is not one of System.err, System.out; using " + target.getName());
        } else {
            target = t;
        }
    }

    /** The longest a line waits in the buffer, e.g. {@code 100 milliseconds}. */
    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    /** Buffer size in bytes; a full buffer is written at once. */
    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    @Override
    public void start() {
        if (flushInterval == null || flushInterval.getMilliseconds() <= 0) {
            addError("flushInterval must be positive for the appender named [" + name + "]");
            return;
        }
        if (bufferSize <= 0) {
            addError("bufferSize must be positive for the appender named [" + name + "]");
            return;
        }
        OutputStream console = sink != null ? sink : target.getStream();
        setOutputStream(new ConsoleBuffer(console, bufferSize));
        setImmediateFlush(false);
        super.start();
        if (!isStarted()) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sipauth-log-flush");
            t.setDaemon(true);
            return t;
        });
        long millis = flushInterval.getMilliseconds();
        flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
        shutdownHook = new Thread(this::onShutdown, "sipauth-log-shutdown-flush");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
            shutdownHook = null;
        }
        super.stop(); // flushes and closes the buffer, not the console
    }

    @Override
    protected void writeOut(ILoggingEvent event) throws IOException {
        super.writeOut(event);
        if (writeThrough || event.getLevel().isGreaterOrEqual(Level.WARN)) {
            flush();
        }
    }

    /** Writes what is buffered. */
    void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null && isStarted()) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not flush the appender named [" + name + "]", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** A buffer whose close() writes what it holds but leaves the console open for others. */
    private static final class ConsoleBuffer extends BufferedOutputStream {
        ConsoleBuffer(OutputStream console, int size) {
            super(console, size);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** The JVM shutdown hook's work, package-private so that tests can run it. */
    void onShutdown() {
        writeThrough = true;
        flush();
    }
}
