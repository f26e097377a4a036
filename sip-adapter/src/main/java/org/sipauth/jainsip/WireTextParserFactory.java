package org.sipauth.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * A JAIN-SIP message parser factory that keeps, next to the parsed request, the Request-URI and
 * the Authorization / Proxy-Authorization values exactly as they were on the wire.
 *
 * <p>Why: the client hashes the Request-URI text it sent, and the digest {@code uri} must equal
 * it; the RI re-encodes what it parses (it lowercases host names, for one) and moves header values
 * it cannot parse out of reach. Set as {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY};
 * {@link SipStackDefaults} does. Without it the adapter falls back to the RI's re-encoded text.
 * The captured text is stored as the request's application data (see {@code SIPMessage#getApplicationData}).
 */
public final class WireTextParserFactory implements MessageParserFactory {

    /** Called reflectively by the stack. */
    public WireTextParserFactory() {
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new WireTextParser();
    }

    /** One parser per channel/thread, as the RI uses them. */
    static final class WireTextParser extends StringMsgParser {

        @Override
        protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] msgBuffer)
                throws ParseException {
            SIPMessage message = super.processFirstLine(firstLine, listener, msgBuffer);
            if (message instanceof SIPRequest) {
                int start = firstLine.indexOf(' ');
                int end = firstLine.lastIndexOf(' ');
                if (start > 0 && end > start + 1) {
                    message.setApplicationData(new WireText(firstLine.substring(start + 1, end).trim()));
                }
            }
            return message;
        }

        @Override
        protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener,
                                     byte[] msgBuffer) throws ParseException {
            if (message != null && message.getApplicationData() instanceof WireText wire) {
                wire.offer(header);
            }
            super.processHeader(header, message, listener, msgBuffer);
        }
    }
}
