package org.sipauth.jainsip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.SipauthStreamReplies;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless half of {@link AuthorizingSipListener}: decides requests before jain-sip-ri creates
 * a server transaction for them, and answers everything that is not accepted without one (RFC 3261
 * 8.2.7), so that only accepted requests create SIP state.
 *
 * <h2>Where it runs</h2>
 * <ul>
 * <li><b>Datagrams</b> ({@link #onDatagram}), from {@link WireTextParserFactory} before the RI
 *     parses them: an INVITE outside a dialog in the plain shape ({@link RawRequest}), with or
 *     without credentials, is decided from the bytes as received and, unless accepted, answered
 *     with a response written from those bytes; the ACK for such a response is recognised by its
 *     derived To-tag and dropped. An accepted one goes to the application's
 *     {@link DatagramResponder} when there is one, else to the RI with its decision. A
 *     credentialed copy of a request whose transaction exists, that was accepted within the
 *     retransmission window, or that is being decided, is settled first, as for parsed requests.
 *     No RI message object is built for any of these.</li>
 * <li><b>Parsed requests</b> ({@link #admit}), from {@link StatelessValve} (the RI's
 *     {@code SIP_MESSAGE_VALVE} hook, called before the stack looks up or creates a transaction):
 *     everything else of the authorized methods, over every transport. A copy of a request whose
 *     transaction exists goes on to it (the RI answers it from there); a late copy of an accepted
 *     request is dropped ({@link RecentTransactions}); a copy arriving while its original is being
 *     decided is dropped (the original's answer is on its way); anything else is decided, and
 *     unless accepted answered statelessly.</li>
 * </ul>
 * An accepted request carries its decision in its {@link WireText} to the listener, which creates
 * the server transaction and hands the request to the application, without authorizing it again.
 *
 * <h2>RFC 3261 8.2.7</h2>
 * No 100 Trying, no retransmission of the response: a retransmitted request is simply decided
 * again and gets a fresh challenge (nonces are stateless) with the same To-tag
 * ({@link StatelessToTags}). The response goes to the packet's source address: to its source port
 * when the top Via asks for {@code rport} (RFC 3581), else to the Via's port; never to a
 * {@code maddr}. A CANCEL for an INVITE without a transaction is answered 481 (9.2).
 *
 * <p>Thread-safe.
 */
final class StatelessFront {

    private static final Logger LOG = LoggerFactory.getLogger(StatelessFront.class);
    /** How long a request may be in decision before a copy of it is decided again. */
    private static final long CLAIM_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int PURGE_ABOVE = 10_000;

    private final AuthorizingSipListener listener;
    private final Role role;
    private final String challengeHeader;
    private final StatelessToTags tags = new StatelessToTags();
    /** Transaction ids of credentialed requests being decided, with when their decision started. */
    private final Map<String, Long> inDecision = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong acksAbsorbed = new AtomicLong();

    StatelessFront(AuthorizingSipListener listener, Role role) {
        this.listener = listener;
        this.role = role;
        this.challengeHeader = role == Role.PROXY ? "Proxy-Authenticate" : "WWW-Authenticate";
    }

    /** The front of the listener registered for the provider of {@code channel}, or null. */
    static StatelessFront of(Object channel) {
        if (!(channel instanceof MessageChannel mc)) {
            return null;
        }
        MessageProcessor processor = mc.getMessageProcessor();
        ListeningPointImpl point = processor == null ? null : processor.getListeningPoint();
        SipProviderImpl provider = point == null ? null : point.getProvider();
        return provider != null && provider.getSipListener() instanceof AuthorizingSipListener l ? l.front() : null;
    }

    /** Responses this front wrote without a transaction, since start (counted before the send). */
    long statelessResponses() {
        return answered.get();
    }

    /** ACKs for those responses dropped, since start. */
    long absorbedAcks() {
        return acksAbsorbed.get();
    }

    /**
     * What {@link #onDatagram} did with a datagram: {@code handled} when it was answered or
     * dropped; otherwise the RI parses it, carrying {@code allowed} when this front accepted it,
     * with the transaction id it holds in decision and its {@link RecentTransactions} identity.
     */
    record Verdict(boolean handled, AuthDecision.Allowed allowed, String transactionId, long identity) {
        static final Verdict PASS = new Verdict(false, null, null, 0);
        static final Verdict HANDLED = new Verdict(true, null, null, 0);
    }

    /**
     * Decides a datagram received on {@code udpChannel} from its bytes, where it has the plain
     * shape ({@link RawRequest}); see {@link Verdict}.
     */
    Verdict onDatagram(byte[] datagram, Object udpChannel) {
        RawRequest r = RawRequest.scan(datagram);
        if (r == null) {
            return Verdict.PASS;
        }
        DatagramPacket packet = SipauthStreamReplies.incomingPacket(udpChannel);
        if (packet == null || packet.getAddress() == null) {
            return Verdict.PASS;
        }
        if (r.method.equals(Request.ACK)) {
            if (tags.matches(r)) {
                acksAbsorbed.incrementAndGet();
                return Verdict.HANDLED;
            }
            DatagramResponder responder = listener.datagramResponder();
            if (responder != null && r.toTagStart >= 0
                    && absorbs(responder, new DatagramRequest(r, udpChannel, packet.getAddress(), packet.getPort(), null))) {
                return Verdict.HANDLED;
            }
            return Verdict.PASS;
        }
        if (r.toTagStart >= 0 || !listener.authorizes(Request.INVITE) || (r.viaCount > 1 && listener.maySkip())) {
            // In a dialog, or (with a skip predicate) possibly a request the application handles
            // itself, such as a proxy's own request looping back: the parsed path decides.
            return Verdict.PASS;
        }
        String transactionId = null;
        long identity = 0;
        if (r.hasCredentials(role == Role.PROXY)) {
            // A credentialed INVITE may be a copy of one accepted earlier: settle that first, as
            // admit() does for parsed requests.
            if (!r.hasRfc3261Branch()) {
                return Verdict.PASS; // an RFC 2543 transaction id: left to the RI's matching
            }
            transactionId = r.branch().toLowerCase(Locale.ROOT);
            if (SipauthStreamReplies.hasServerTransaction(udpChannel, transactionId)) {
                return Verdict.PASS; // the RI hands it to its transaction (admit() sees that)
            }
            identity = listener.recentIdentity(r);
            if (listener.isLateRetransmission(identity)) {
                DatagramResponder responder = listener.datagramResponder();
                if (responder != null) {
                    answersAgain(responder, new DatagramRequest(r, udpChannel, packet.getAddress(), packet.getPort(), null));
                }
                return Verdict.HANDLED;
            }
            if (!claim(transactionId)) {
                return Verdict.HANDLED; // a copy of a request being decided: the original's answer is on its way
            }
        }
        boolean passedOn = false;
        try {
            if (listener.isDraining()) {
                // Left to the parsed path (admit), which looks for the request's transaction first: a
                // copy of a call accepted without credentials (by its source) is not checked above.
                return Verdict.PASS;
            }
            InetAddress source = packet.getAddress();
            // the body only matters to a digest with qop=auth-int
            byte[] body = transactionId != null && r.bodyStart < datagram.length ? r.body() : null;
            AuthRequest facts = new AuthRequest(Request.INVITE, r.requestUri, r.host, source, "UDP",
                    r.credentials(role == Role.PROXY), role, body == null ? null : new AuthRequest.Body(body));
            AuthDecision decision = listener.decide(facts);
            DatagramRequest request = new DatagramRequest(r, udpChannel, source, packet.getPort(),
                    decision instanceof AuthDecision.Allowed allowed ? allowed : null);
            if (decision instanceof AuthDecision.Allowed allowed) {
                DatagramResponder responder = listener.datagramResponder();
                if (responder != null && answers(responder, request)) {
                    listener.remember(identity != 0 ? identity : listener.recentIdentity(r));
                    return Verdict.HANDLED;
                }
                passedOn = true; // the claim is released once the transaction exists (decided())
                return new Verdict(false, allowed, transactionId, identity);
            }
            if (transactionId != null) {
                // Released before the answer leaves: a copy sent on receipt of it must be decided again.
                inDecision.remove(transactionId);
            }
            StatelessReply reply = request.reply(AuthorizingSipListener.statusOf(decision), tags.tag(r));
            if (decision instanceof AuthDecision.Challenge challenge) {
                reply.challenges(challengeHeader, challenge.challenges());
            }
            answered.incrementAndGet();
            request.send(reply.finish());
            return Verdict.HANDLED;
        } finally {
            if (transactionId != null && !passedOn) {
                inDecision.remove(transactionId);
            }
        }
    }

    private static boolean answers(DatagramResponder responder, DatagramRequest invite) {
        try {
            return responder.answer(invite);
        } catch (RuntimeException e) {
            LOG.warn("datagram responder failed; handing the INVITE to the stack", e);
            return false;
        }
    }

    private static void answersAgain(DatagramResponder responder, DatagramRequest copy) {
        try {
            responder.answerAgain(copy);
        } catch (RuntimeException e) {
            LOG.warn("datagram responder failed on a retransmitted INVITE; dropping it", e);
        }
    }

    private static boolean absorbs(DatagramResponder responder, DatagramRequest ack) {
        try {
            return responder.absorbAck(ack);
        } catch (RuntimeException e) {
            LOG.warn("datagram responder failed on an ACK; handing it to the stack", e);
            return false;
        }
    }

    /**
     * Decides a parsed request before the RI looks for its transaction; false when it was answered
     * or dropped here.
     */
    boolean admit(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return !isAckOfStatelessResponse(request);
        }
        SIPTransactionStack stack = channel.getSIPStack();
        if (Request.CANCEL.equals(method)) {
            if (listener.authorizes(Request.INVITE) && request.getToTag() == null
                    && stack.findCancelTransaction(request, true) == null) {
                // RFC 3261 9.2: no transaction matches the CANCEL (its INVITE was answered statelessly)
                replyStateless(request, channel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                return false;
            }
            return true;
        }
        if (!listener.authorizes(method) || listener.skips(request)
                || !(request.getApplicationData() instanceof WireText wire)) {
            return true; // not ours, or the stack lacks WireTextParserFactory: the listener decides statefully
        }
        if (wire.answered) {
            return false; // answered 400 by the parser
        }
        if (wire.decision != null) {
            return true; // accepted from the datagram
        }
        String transactionId = request.getTransactionId();
        if (stack.findTransaction(transactionId, true) != null) {
            wire.passedToTransaction = true;
            return true; // a retransmission: its transaction answers it
        }
        long identity = listener.recentIdentity(request);
        if (listener.isLateRetransmission(identity)) {
            return false;
        }
        try {
            request.checkHeaders();
        } catch (ParseException e) {
            // a required header is missing (RFC 3261 8.1.1, e.g. an INVITE without Contact)
            replyStateless(request, channel, Response.BAD_REQUEST, null);
            return false;
        }
        if (listener.refusesWhileDraining(request)) {
            replyStateless(request, channel, Response.SERVICE_UNAVAILABLE, null);
            return false;
        }
        if (!claim(transactionId)) {
            return false; // a copy of a request being decided: the original's answer is on its way
        }
        boolean accepted = false;
        try {
            AuthDecision decision;
            try {
                decision = listener.decide(AuthRequests.from(request, source(request, channel), role));
            } catch (RuntimeException e) {
                // The RI hands over requests it parsed; anything we cannot read is the client's fault.
                LOG.debug("unreadable request: {}", e.toString());
                decision = new AuthDecision.Denied(Response.BAD_REQUEST, AuthDecision.Reason.MALFORMED);
            }
            if (decision instanceof AuthDecision.Allowed allowed) {
                wire.decision = allowed;
                wire.transactionId = transactionId;
                wire.identity = identity;
                accepted = true;
                return true;
            }
            // Released before the answer leaves: a copy sent on receipt of it must be decided again.
            inDecision.remove(transactionId);
            replyStateless(request, channel, AuthorizingSipListener.statusOf(decision), decision);
            return false;
        } finally {
            if (!accepted) {
                inDecision.remove(transactionId);
            }
        }
    }

    /** Marks {@code transactionId} as being decided; false when another copy of it is. */
    private boolean claim(String transactionId) {
        long now = System.nanoTime();
        Long started = inDecision.putIfAbsent(transactionId, now);
        if (started != null) {
            if (now - started < CLAIM_NANOS) {
                return false;
            }
            inDecision.put(transactionId, now);
        }
        if (inDecision.size() > PURGE_ABOVE) {
            purge(now);
        }
        return true;
    }

    /** Called by the listener once the accepted request's transaction exists (or could not be made). */
    void decided(WireText wire) {
        release(wire.transactionId);
    }

    /** Ends the claim on {@code transactionId} (null: none). */
    void release(String transactionId) {
        if (transactionId != null) {
            inDecision.remove(transactionId);
        }
    }

    private boolean isAckOfStatelessResponse(SIPRequest ack) {
        String toTag = ack.getToTag();
        if (toTag == null || toTag.length() != 16 || ack.getCSeq() == null || ack.getCallId() == null) {
            return false;
        }
        Via top = ack.getTopmostVia();
        String expected = tags.tag(ack.getCallId().getCallId(), ack.getFromTag(), ack.getCSeq().getSeqNumber(),
                top == null ? null : top.getBranch());
        if (expected.equals(toTag)) {
            acksAbsorbed.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Answers {@code request} without a transaction; {@code decision} null for a plain status. */
    private void replyStateless(SIPRequest request, MessageChannel channel, int status, AuthDecision decision) {
        try {
            SIPResponse response = (SIPResponse) listener.response(request, status, decision);
            if (request.getToTag() == null) {
                response.getTo().setTag(tags.tag(request.getCallId().getCallId(), request.getFromTag(),
                        request.getCSeq().getSeqNumber(), request.getTopmostVia().getBranch()));
            }
            byte[] bytes = response.encodeAsBytes(channel.getTransport());
            answered.incrementAndGet();
            if (SipauthStreamReplies.isDatagramChannel(channel)) {
                Via top = request.getTopmostVia();
                // the RI has set rport to the source port when the client asked for it (RFC 3581)
                int port = top.getRPort() > 0 ? top.getRPort() : top.getPort() > 0 ? top.getPort() : 5060;
                SipauthStreamReplies.sendDatagram(channel, bytes, source(request, channel), port);
            } else {
                SipauthStreamReplies.write(channel, bytes);
            }
        } catch (Exception e) {
            LOG.debug("could not answer {} with {}: {}", request.getMethod(), status, e.toString());
        }
    }

    private void purge(long now) {
        inDecision.values().removeIf(started -> now - started >= CLAIM_NANOS);
    }

    private static InetAddress source(SIPRequest request, MessageChannel channel) {
        InetAddress remote = request.getRemoteAddress();
        if (remote == null) {
            remote = SipauthStreamReplies.peerAddress(channel);
        }
        return remote != null ? remote : AuthRequests.UNKNOWN_SOURCE;
    }
}
