package org.sipauth.server;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sipauth.jainsip.ToTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code respond} mode: every INVITE that reaches it (i.e. was authorized) gets the configured
 * final response; ACKs are absorbed; CANCEL and OPTIONS get 200, a BYE 200 or 481 (below); other
 * methods 405.
 *
 * <p>Why 481: there are no dialogs here, but a BYE, or any other request with a To-tag, belongs to
 * a dialog (RFC 3261 12.2.2, 15.1.2). One that matches no call this listener answered with a 2xx
 * gets 481 Call/Transaction Does Not Exist, as a UAS without that dialog answers; a BYE for a call
 * it answered gets 200. The 2xx To-tags come from {@link DialogTags}, which recognises them
 * without a table of calls. CANCEL is not an in-dialog request and is answered as before.
 *
 * <p>Why the 2xx timer: an INVITE server transaction ends when it sends a 2xx, and retransmitting
 * that 2xx until the ACK arrives is the UAS core's job (RFC 3261 13.3.1.4) — without dialogs nobody
 * else does it, and a lost 200 would leave the caller retrying into a transaction that absorbs its
 * retransmissions. So a 2xx is resent at T1, 2T1, … capped at T2, until its ACK or 64*T1. The set of
 * unacknowledged 2xx is bounded; beyond it new 2xx are sent once. Thread-safe.
 */
final class RespondingSipListener implements SipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RespondingSipListener.class);
    private static final long T1_MILLIS = 500;
    private static final long T2_MILLIS = 4000;
    private static final long GIVE_UP_MILLIS = 64 * T1_MILLIS;
    private static final int MAX_PENDING_2XX = 100_000;

    private final ConcurrentHashMap<String, Pending> unacknowledged = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retransmitter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sipauth-2xx-retransmitter");
        t.setDaemon(true);
        return t;
    });

    /** One 2xx awaiting its ACK. */
    private final class Pending implements Runnable {
        final String key;
        final SipProvider provider;
        final ServerTransaction transaction;
        final Response response;
        final long deadline;
        long interval = T1_MILLIS;
        volatile ScheduledFuture<?> next;

        Pending(String key, SipProvider provider, ServerTransaction transaction, Response response) {
            this.key = key;
            this.provider = provider;
            this.transaction = transaction;
            this.response = response;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
        }

        void schedule() {
            next = retransmitter.schedule(this, interval, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (unacknowledged.get(key) != this) {
                return;
            }
            // The RI absorbs an ACK that matches a transaction it keeps pending (it never reaches
            // processRequest then) and marks that transaction instead.
            if (System.nanoTime() - deadline >= 0
                    || (transaction instanceof SIPServerTransaction st && st.ackSeen())) {
                unacknowledged.remove(key, this);
                return;
            }
            try {
                provider.sendResponse(response);
            } catch (Exception e) {
                LOG.debug("2xx retransmission failed: {}", e.toString());
            }
            interval = Math.min(interval * 2, T2_MILLIS);
            schedule();
        }
    }

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final int inviteStatus;
    private final AdvertisedAddress advertised;
    private final boolean inactiveMedia;
    private final DialogTags dialogTags = new DialogTags();

    RespondingSipListener(MessageFactory messages, HeaderFactory headers, AddressFactory addresses, int inviteStatus,
                          AdvertisedAddress advertised, boolean inactiveMedia) {
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.inviteStatus = inviteStatus;
        this.advertised = advertised;
        this.inactiveMedia = inactiveMedia;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            Pending acked = unacknowledged.remove(key(request));
            if (acked != null && acked.next != null) {
                acked.next.cancel(false);
            }
            return;
        }
        try {
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null) {
                tx = ((SipProvider) event.getSource()).getNewServerTransaction(request);
            }
            Response response;
            if (outsideOurDialogs(request, method)) {
                response = messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request);
            } else switch (method) {
                case Request.INVITE -> response = inviteResponse(request);
                case Request.CANCEL, Request.BYE, Request.OPTIONS -> response = messages.createResponse(Response.OK, request);
                default -> {
                    response = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                    response.addHeader(headers.createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS"));
                }
            }
            boolean success = response.getStatusCode() < 300;
            if (Request.INVITE.equals(method) && success && toTag(request) == null
                    && response.getHeader(ToHeader.NAME) instanceof ToHeader to) {
                to.setTag(dialogTags.issue(callId(request), fromTag(request)));
            }
            ToTags.ensure(response);
            Pending pending = null;
            if (Request.INVITE.equals(method) && success && unacknowledged.size() < MAX_PENDING_2XX) {
                // Registered before the send: on loopback the ACK can be handled by another thread
                // before sendResponse returns.
                pending = new Pending(key(request), (SipProvider) event.getSource(), tx, response);
                if (unacknowledged.putIfAbsent(pending.key, pending) != null) {
                    pending = null;
                }
            }
            try {
                tx.sendResponse(response);
            } catch (Exception e) {
                if (pending != null) {
                    unacknowledged.remove(pending.key, pending);
                }
                throw e;
            }
            if (pending != null) {
                pending.schedule();
            }
        } catch (TransactionAlreadyExistsException e) {
            // Retransmission racing its original: the transaction answers it.
        } catch (Exception e) {
            LOG.debug("could not answer {}: {}", method, e.toString());
        }
    }

    /**
     * A BYE, or another request with a To-tag (ACK and CANCEL are handled elsewhere), whose tag is
     * not one this listener put in a 2xx for that Call-ID and From-tag.
     */
    private boolean outsideOurDialogs(Request request, String method) {
        if (Request.CANCEL.equals(method)) {
            return false;
        }
        String toTag = toTag(request);
        if (toTag == null) {
            return Request.BYE.equals(method);
        }
        return !dialogTags.issued(toTag, callId(request), fromTag(request));
    }

    private static String toTag(Request request) {
        return request.getHeader(ToHeader.NAME) instanceof ToHeader to ? to.getTag() : null;
    }

    private static String fromTag(Request request) {
        return request.getHeader(FromHeader.NAME) instanceof FromHeader from ? from.getTag() : null;
    }

    private static String callId(Request request) {
        return request.getHeader(CallIdHeader.NAME) instanceof CallIdHeader callId ? callId.getCallId() : null;
    }

    /** Call-ID + CSeq number: what an ACK for a 2xx shares with its INVITE. */
    private static String key(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        return (callId == null ? "" : callId.getCallId()) + ' ' + (cseq == null ? -1 : cseq.getSeqNumber());
    }

    @Override
    public void close() {
        retransmitter.shutdownNow();
        unacknowledged.clear();
    }

    /**
     * The configured final response; a 2xx gets a Contact at the advertised address and a session
     * description declining all media, or holding one inactive audio stream ({@link DeclinedMedia}); an offer that is not a session
     * description with m-lines gets 488 Not Acceptable Here (RFC 3261 13.3.1.3).
     */
    private Response inviteResponse(Request request) throws java.text.ParseException {
        if (inviteStatus >= 300) {
            return messages.createResponse(inviteStatus, request);
        }
        String host = "127.0.0.1";
        int port = 5060;
        if (request instanceof SIPMessage m) {
            host = advertised.host(m.getLocalAddress(), m.getRemoteAddress());
            port = advertised.port(m.getLocalPort());
        }
        byte[] offer = request.getRawContent();
        byte[] sdp;
        if (offer == null || offer.length == 0) {
            sdp = DeclinedMedia.offer(AdvertisedAddress.unbracketed(host), inactiveMedia);
        } else if (isSdp(request)) {
            sdp = DeclinedMedia.answer(offer, AdvertisedAddress.unbracketed(host), inactiveMedia);
        } else {
            sdp = null;
        }
        if (sdp == null) {
            return messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request);
        }
        Response response = messages.createResponse(inviteStatus, request);
        SipURI contact = addresses.createSipURI("sipauth", host);
        contact.setPort(port);
        response.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        response.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        return response;
    }

    private static boolean isSdp(Request request) {
        return request.getHeader(ContentTypeHeader.NAME) instanceof ContentTypeHeader type
                && "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType());
    }

    @Override
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
