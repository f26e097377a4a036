package org.sipauth.jainsip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;

/**
 * Discards JAIN-SIP's per-message trace. The RI's default server logger formats every message it
 * sends or receives when tracing is on and needs log4j; a decision log is kept by sipauth instead.
 * Set as {@code gov.nist.javax.sip.SERVER_LOGGER}; {@link SipStackDefaults} does.
 */
public final class NoopServerLogger implements ServerLogger {

    /** Called reflectively by the stack. */
    public NoopServerLogger() {
    }

    @Override
    public void closeLogFile() {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
    }

    @Override
    public void logException(Exception ex) {
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }
}
