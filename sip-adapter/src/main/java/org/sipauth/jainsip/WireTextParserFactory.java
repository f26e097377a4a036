package org.sipauth.jainsip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.SipauthStreamReplies;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;
import javax.sip.message.Response;

/**
 * A JAIN-SIP message parser factory that keeps, next to the parsed request, the Request-URI and
 * the Authorization / Proxy-Authorization values exactly as they were on the wire.
 *
 * <p>Why: the client hashes the Request-URI text it sent, and the digest {@code uri} must equal
 * it; the RI re-encodes what it parses (it lowercases host names, for one) and moves header values
 * it cannot parse out of reach. Set as {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY};
 * {@link SipStackDefaults} does. Without it the adapter falls back to the RI's re-encoded text.
 * The captured text is stored as the request's application data (see {@code SIPMessage#getApplicationData}).
 *
 * <p>It also parses the plain shapes of the headers every call carries itself ({@link FastHeaders}),
 * into the same objects the RI's parser would build, at a fraction of the RI's cost; every other
 * header line goes to the RI's parser as before.
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
        public SIPMessage parseSIPMessage(byte[] msgBuffer, boolean readBody, boolean strict,
                                          ParseExceptionListener listener) throws ParseException {
            boolean datagram = SipauthStreamReplies.isDatagramChannel(listener);
            StatelessFront front = null;
            StatelessFront.Verdict accepted = null;
            if (readBody && datagram) {
                front = StatelessFront.of(listener);
                if (front != null) {
                    StatelessFront.Verdict verdict = front.onDatagram(msgBuffer, listener);
                    if (verdict.handled()) {
                        return null; // answered or dropped: the RI drops a datagram that parses to nothing
                    }
                    accepted = verdict.allowed() != null ? verdict : null;
                }
            }
            boolean handedOver = false;
            try {
                ParseExceptionListener effective = SipauthStreamReplies.isStreamChannel(listener)
                        || datagram ? new BadRequestReplier(listener) : listener;
                SIPMessage message;
                if (!datagram) {
                    message = super.parseSIPMessage(msgBuffer, readBody, strict, effective);
                } else {
                    try {
                        message = super.parseSIPMessage(msgBuffer, readBody, strict, effective);
                    } catch (ParseException | RuntimeException e) {
                        // The RI would answer with its own 400 (malformed: the parser's message in the
                        // reason phrase, the request as a body) and log the datagram.
                        return rejected(msgBuffer, listener, "unparseable message", Response.BAD_REQUEST);
                    }
                    if (message != null && !wellFormed(message, msgBuffer, listener)) {
                        return null;
                    }
                }
                if (accepted != null && message != null && message.getApplicationData() instanceof WireText wire) {
                    wire.transactionId = accepted.transactionId();
                    wire.identity = accepted.identity();
                    wire.decision = accepted.allowed();
                    handedOver = true; // the listener releases the claim once the transaction exists
                }
                return message;
            } finally {
                if (accepted != null && !handedOver) {
                    front.release(accepted.transactionId()); // never dispatched: a copy may be decided again
                }
            }
        }

        /**
         * The checks jain-sip-ri 1.3.0-91's UDP channel makes after parsing, done here so that what
         * fails them gets sipauth's well-formed answer and a bounded log line instead of the RI's
         * (a 400 without To-tag, an ERROR line holding the whole message): false when the datagram
         * was answered (or, for a response, dropped) here.
         */
        private boolean wellFormed(SIPMessage message, byte[] datagram, ParseExceptionListener channel) {
            if (message.getApplicationData() instanceof WireText wire && wire.answered) {
                MalformedInputLog.SHARED.report(sourceOf(channel), "malformed mandatory header", datagram.length);
                return false; // answered 400 by BadRequestReplier
            }
            if (message.getFrom() == null || message.getTo() == null || message.getCallId() == null
                    || message.getCSeq() == null || message.getTopmostVia() == null) {
                rejected(datagram, channel, "missing mandatory header", Response.BAD_REQUEST);
                return false;
            }
            if (message instanceof SIPRequest request) {
                if (!"SIP/2.0".equals(request.getRequestLine().getSipVersion())
                        || (request.getApplicationData() instanceof WireText wire && wire.unsupportedVersion)) {
                    rejected(datagram, channel, "unsupported SIP version", Response.VERSION_NOT_SUPPORTED);
                    return false;
                }
                if (!request.getMethod().equals(request.getCSeq().getMethod())) {
                    rejected(datagram, channel, "CSeq method differs from the request's", Response.BAD_REQUEST);
                    return false;
                }
            }
            return true;
        }

        /** Answers a malformed request datagram (never a response or an ACK), logs it boundedly, returns null. */
        private static SIPMessage rejected(byte[] datagram, ParseExceptionListener channel, String what, int status) {
            MalformedInputLog.SHARED.report(sourceOf(channel), what, datagram.length);
            byte[] reply = BadRequestReply.of(new String(datagram, StandardCharsets.UTF_8), status);
            if (reply != null) {
                SipauthStreamReplies.sendDatagram(channel, reply);
            }
            return null;
        }

        private static InetAddress sourceOf(ParseExceptionListener channel) {
            DatagramPacket packet = SipauthStreamReplies.incomingPacket(channel);
            return packet == null ? null : packet.getAddress();
        }

        @Override
        protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] msgBuffer)
                throws ParseException {
            RequestLine plain = FastHeaders.requestLine(firstLine);
            SIPMessage message;
            if (plain != null) {
                // what the RI's processFirstLine builds from a request line it parsed
                SIPRequest request = new SIPRequest();
                request.setRequestLine(plain);
                message = request;
            } else {
                message = super.processFirstLine(firstLine, listener, msgBuffer);
            }
            if (message instanceof SIPRequest) {
                int start = firstLine.indexOf(' ');
                int end = firstLine.lastIndexOf(' ');
                if (start > 0 && end > start + 1) {
                    WireText wire = new WireText(firstLine.substring(start + 1, end).trim());
                    // the RI's parser takes any SIP/x.y for SIP/2.0 (it builds the error, never throws it)
                    wire.unsupportedVersion = !firstLine.substring(end + 1).trim().equalsIgnoreCase("SIP/2.0");
                    message.setApplicationData(wire);
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
            SIPHeader plain = message == null || header == null ? null : FastHeaders.parse(header);
            if (plain != null) {
                // what the RI's processHeader does with a header it parsed (duplicates are ignored there)
                message.attachHeader(plain, false);
                return;
            }
            super.processHeader(header, message, listener, msgBuffer);
        }
    }

    /**
     * Answers a request with a malformed mandatory header with a well-formed 400 on the channel it
     * came in on: over TCP before the RI closes the connection (it would close it without a word),
     * over UDP instead of the RI's own 400 (which is malformed). A UDP request answered here is
     * marked in its {@link WireText} so that the listener drops it if the RI still dispatches it.
     */
    private record BadRequestReplier(ParseExceptionListener channel) implements ParseExceptionListener {

        private static final Set<Class<?>> MANDATORY = Set.of(From.class, To.class, CSeq.class, Via.class,
                CallID.class, ContentLength.class);

        @Override
        public void handleException(ParseException error, SIPMessage message, Class headerClass, String header,
                                    String messageText) throws ParseException {
            if (headerClass != null && MANDATORY.contains(headerClass) && message instanceof SIPRequest) {
                // the raw text still holds the malformed header; what the RI parsed so far does not
                byte[] reply = BadRequestReply.of(messageText != null ? messageText : message.toString());
                if (reply != null) {
                    if (SipauthStreamReplies.isStreamChannel(channel)) {
                        SipauthStreamReplies.write(channel, reply);
                    } else if (SipauthStreamReplies.sendDatagram(channel, reply)) {
                        if (message.getApplicationData() instanceof WireText wire) {
                            wire.answered = true;
                        }
                        return; // the header is left out; the RI drops or dispatches a marked request
                    }
                }
            }
            channel.handleException(error, message, headerClass, header, messageText);
        }
    }
}
