package org.sipauth.jainsip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's stack log to SLF4J (logger {@code gov.nist.javax.sip}), so no log4j jar is
 * needed. Set as {@code gov.nist.javax.sip.STACK_LOGGER}; {@link SipStackDefaults} does.
 *
 * <p>The RI keeps one such logger for the whole JVM. Debug and trace are off unless the SLF4J
 * backend enables them, so the stack's string building on hot paths stays switched off.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");
    /** jain-sip-ri 1.3.0-91's warning for a request dropped by a message valve (UDPMessageChannel). */
    static final String SHED_REQUEST_WARNING = "Null request interface returned";
    /** jain-sip-ri 1.3.0-91's error for a UDP datagram it failed on, followed by every byte of it. */
    static final String UDP_PACKET_FAILURE = "Error while processing incoming UDP packet";
    private static final int MAX_LINE = 200;

    /** Called reflectively by the stack. */
    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        if (LOG.isDebugEnabled()) {
            LOG.debug("stack trace", new Throwable());
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP: {}", String.valueOf(ex), ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(firstLine(message));
    }

    @Override
    public void logError(String message) {
        LOG.error(firstLine(message));
    }

    /**
     * The first line of a message of the RI, at most {@value #MAX_LINE} characters, control
     * characters replaced: the RI appends whole SIP messages to some errors (Authorization values
     * included, and a peer controls their text); their first line is the start line.
     */
    static String firstLine(String message) {
        if (message == null) {
            return "null";
        }
        int end = Math.min(message.length(), MAX_LINE);
        StringBuilder b = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                break;
            }
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.length() < message.length() ? b.append(" [...]").toString() : b.toString();
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        // LogLevels: 0 none, 2 fatal, 4 error, 8 warn, 16 info, 32 debug, 64 trace.
        if (logLevel >= TRACE_TRACE) {
            return LOG.isTraceEnabled();
        }
        if (logLevel >= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        }
        if (logLevel >= TRACE_INFO) {
            return LOG.isDebugEnabled();
        }
        if (logLevel >= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return LOG.isErrorEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        if (message != null && message.startsWith(UDP_PACKET_FAILURE)) {
            // A datagram the RI choked on: the peer's fault, not the stack's; no byte dump, no trace.
            MalformedInputLog.SHARED.report(null, "the stack failed on a datagram ("
                    + (ex == null ? "unknown" : ex.getClass().getSimpleName()) + ")", -1);
            return;
        }
        LOG.error(firstLine(message), ex);
    }

    @Override
    public void logWarning(String message) {
        if (message != null && message.startsWith(SHED_REQUEST_WARNING)) {
            // The RI warns once per request a message valve refused: under overload that is a line
            // per shed request (571,651 in one 60 s overload run). OverloadValve logs the count.
            LOG.debug(message);
            return;
        }
        LOG.warn(message);
    }

    @Override
    public void logInfo(String message) {
        // The RI logs at INFO per message on hot paths; that is debug detail for an operator.
        LOG.debug(message);
    }

    @Override
    public void disableLogging() {
        // Levels belong to the SLF4J backend's configuration.
    }

    @Override
    public void enableLogging() {
        // Levels belong to the SLF4J backend's configuration.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        // Not interesting.
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to configure: levels come from the SLF4J backend.
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
