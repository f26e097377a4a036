package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jStackLoggerTest {

    private final Logger riLogger = (Logger) LoggerFactory.getLogger("gov.nist.javax.sip");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Level levelBefore = riLogger.getLevel();

    Slf4jStackLoggerTest() {
        events.start();
        riLogger.addAppender(events);
        riLogger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void detach() {
        riLogger.detachAppender(events);
        riLogger.setLevel(levelBefore);
    }

    @Test
    void warningsPassAsWarnings_butThePerRequestShedWarningIsDebug() {
        Slf4jStackLogger logger = new Slf4jStackLogger();
        logger.logWarning("could not send response");
        logger.logWarning("Null request interface returned -- dropping request");
        List<Level> levels = events.list.stream().map(ILoggingEvent::getLevel).toList();
        assertEquals(List.of(Level.WARN, Level.DEBUG), levels);
    }
}
