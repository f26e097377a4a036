package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.util.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's console appender: what stays in the buffer and what makes it go out. */
class BufferedConsoleAppenderTest {

    /** Counts the writes that reach the console, as {@code write(2)} calls would be counted. */
    private static final class CountingSink extends ByteArrayOutputStream {
        final AtomicInteger writes = new AtomicInteger();
        final CountDownLatch written = new CountDownLatch(1);
        boolean closed;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            super.write(b, off, len);
            written.countDown();
        }

        @Override
        public void close() throws IOException {
            closed = true;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private final LoggerContext context = new LoggerContext();
    private final CountingSink sink = new CountingSink();
    private BufferedConsoleAppender appender;

    private Logger logger(Duration flushInterval, int bufferSize) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        appender = new BufferedConsoleAppender(sink);
        appender.setContext(context);
        appender.setName("test");
        appender.setEncoder(encoder);
        appender.setFlushInterval(flushInterval);
        appender.setBufferSize(bufferSize);
        appender.start();
        assertTrue(appender.isStarted());
        Logger logger = context.getLogger("org.sipauth.decisions");
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void infoLines_stayBuffered_untilAWarningFlushesThemInOrder() {
        Logger log = logger(Duration.buildByHours(1), 64 * 1024);
        for (int i = 0; i < 100; i++) {
            log.info("outcome=ACCEPTED line={}", i);
        }
        assertEquals("", sink.text(), "nothing written per line");
        log.warn("overload");
        String text = sink.text();
        assertTrue(text.startsWith("INFO outcome=ACCEPTED line=0\n"), text);
        assertTrue(text.endsWith("INFO outcome=ACCEPTED line=99\nWARN overload\n"), text);
        assertEquals(1, sink.writes.get(), "one write for 101 lines");
    }

    @Test
    void aFullBuffer_isWrittenWithoutWaitingForTheInterval() {
        Logger log = logger(Duration.buildByHours(1), 1024);
        for (int i = 0; i < 100; i++) {
            log.info("outcome=ACCEPTED line={}", i);
        }
        String text = sink.text();
        assertTrue(text.contains("line=50\n"), text);
        assertTrue(sink.writes.get() < 10, "writes: " + sink.writes.get());
    }

    @Test
    void aLine_isWrittenWithinTheFlushInterval() throws InterruptedException {
        Logger log = logger(Duration.buildByMilliseconds(20), 64 * 1024);
        log.info("listening on 127.0.0.1 port 5060");
        // The flusher's timer writes it; 10 s only bounds a broken flusher, the line comes after ~20 ms.
        assertTrue(sink.written.await(10, TimeUnit.SECONDS), "the buffered line was never written");
        assertEquals("INFO listening on 127.0.0.1 port 5060\n", sink.text());
    }

    @Test
    void stop_writesWhatIsBuffered_andLeavesTheConsoleOpen() {
        Logger log = logger(Duration.buildByHours(1), 64 * 1024);
        log.info("last words");
        appender.stop();
        assertEquals("INFO last words\n", sink.text());
        assertFalse(sink.closed, "System.err must stay usable");
    }

    @Test
    void afterTheShutdownHook_everyLineIsWrittenAtOnce() {
        Logger log = logger(Duration.buildByHours(1), 64 * 1024);
        log.info("before");
        appender.onShutdown();
        assertEquals("INFO before\n", sink.text());
        log.info("during shutdown");
        assertEquals("INFO before\nINFO during shutdown\n", sink.text());
    }

    @Test
    void theServersConfiguration_usesThisAppender() {
        URL config = getClass().getClassLoader().getResource("sipauth-logback.xml");
        assertTrue(config != null, "sipauth-logback.xml on the class path");
        ch.qos.logback.classic.Logger root = ((LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertTrue(root.getAppender("STDERR") instanceof BufferedConsoleAppender,
                "tests run with -Dlogback.configurationFile=sipauth-logback.xml");
    }
}
