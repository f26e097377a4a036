package org.sipauth.server;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sipauth.jainsip.DatagramRequest;
import org.sipauth.jainsip.DatagramResponder;
import org.sipauth.jainsip.ToTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code respond} mode: every INVITE that reaches it (i.e. was authorized) gets the configured
 * final response; ACKs are absorbed; CANCEL and OPTIONS get 200, a BYE 200 or 481 (below); other
 * methods 405.
 *
 * <p>Two ways in. Accepted INVITEs over UDP in the plain shape arrive as datagrams
 * ({@link DatagramResponder}): the 2xx is written from the request's bytes and sent without a server
 * transaction, dialog or parsed message, and the ACK for it is recognised in its datagram. Why:
 * in this mode the stack's transaction would only carry a response this class already knows how
 * to retransmit; measured under load, parsing, transaction and dialog objects were most of the
 * cost of an accepted call. Everything else (TCP, unusual shapes, a configured non-2xx status, a
 * body that is not SDP) arrives as a {@link RequestEvent} with a server transaction, as before.
 *
 * <p>Why 481: there are no dialogs here, but a BYE, or any other request with a To-tag, belongs to
 * a dialog (RFC 3261 12.2.2, 15.1.2). One that matches no call this listener answered with a 2xx
 * gets 481 Call/Transaction Does Not Exist, as a UAS without that dialog answers; a BYE for a call
 * it answered gets 200. The 2xx To-tags come from {@link DialogTags}, which recognises them
 * without a table of calls. CANCEL is not an in-dialog request and is answered as before.
 *
 * <p>Why the 2xx are watched: an INVITE server transaction ends when it sends a 2xx, and
 * retransmitting that 2xx until the ACK arrives is the UAS core's job (RFC 3261 13.3.1.4) —
 * without dialogs nobody else does it, and a lost 200 would leave the caller retrying into a
 * transaction that absorbs its retransmissions ({@link UnacknowledgedAnswers}). Thread-safe.
 */
final class RespondingSipListener implements ListenerDefaults, DatagramResponder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RespondingSipListener.class);
    private static final int MAX_PENDING_2XX = 100_000;

    private final UnacknowledgedAnswers unacknowledged = new UnacknowledgedAnswers(MAX_PENDING_2XX);
    private final AtomicLong datagramAnswers = new AtomicLong();
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
            unacknowledged.acknowledge(key(request));
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
            ToTags.ensure(response);
            String watched = null;
            if (Request.INVITE.equals(method) && success) {
                SipProvider provider = (SipProvider) event.getSource();
                ServerTransaction transaction = tx;
                String key = key(request);
                // The RI absorbs an ACK that matches a transaction it keeps pending (it never reaches
                // processRequest then) and marks that transaction instead.
                if (unacknowledged.watch(key, () -> resend(provider, response),
                        () -> transaction instanceof SIPServerTransaction st && st.ackSeen())) {
                    watched = key;
                }
            }
            try {
                tx.sendResponse(response);
            } catch (Exception e) {
                if (watched != null) {
                    unacknowledged.forget(watched);
                }
                throw e;
            }
        } catch (TransactionAlreadyExistsException e) {
            // Retransmission racing its original: the transaction answers it.
        } catch (Exception e) {
            LOG.debug("could not answer {}: {}", method, e.toString());
        }
    }

    private static void resend(SipProvider provider, Response response) {
        try {
            provider.sendResponse(response);
        } catch (Exception e) {
            LOG.debug("2xx retransmission failed: {}", e.toString());
        }
    }

    /**
     * An accepted INVITE as a datagram: answered here with the 2xx written from its bytes, unless
     * the configured status is not a 2xx or its body is not a session description (the
     * transactional path answers those).
     */
    @Override
    public boolean answer(DatagramRequest invite) {
        byte[] response = twoHundred(invite);
        if (response == null) {
            return false;
        }
        String key = UnacknowledgedAnswers.key(invite.callId(), invite.cseqNumber());
        boolean watched = unacknowledged.watch(key, () -> invite.send(response), () -> false);
        datagramAnswers.incrementAndGet();
        if (!invite.send(response) && watched) {
            unacknowledged.forget(key);
        }
        return true;
    }

    /**
     * A copy of an INVITE answered earlier: the same 2xx again (RFC 3261 13.3.1.4), rebuilt from the
     * copy, which gives the same bytes (the To-tag and the session description's id derive from the
     * call). Why rebuilt rather than looked up: the table of unacknowledged 2xx is bounded, and a 2xx
     * lost while it was full would otherwise never reach a caller who keeps asking for it.
     */
    @Override
    public boolean answerAgain(DatagramRequest copy) {
        byte[] response = twoHundred(copy);
        return response != null && copy.send(response);
    }

    /** The 2xx for an accepted INVITE from its datagram; null when this listener leaves it to the transactional path. */
    private byte[] twoHundred(DatagramRequest invite) {
        if (inviteStatus >= 300) {
            return null;
        }
        String host = advertised.host(invite.localAddress(), invite.source().getAddress());
        int port = advertised.port(invite.localPort());
        String tag = dialogTags.issue(invite.callId(), invite.fromTag());
        byte[] sdp = sessionDescription(invite.body(), isSdp(invite.contentType()), host, sessionOf(tag));
        if (sdp == null) {
            return null;
        }
        return invite.response(inviteStatus, tag,
                List.of("Contact: <sip:sipauth@" + host + ":" + port + ">", "Content-Type: application/sdp"), sdp);
    }

    /** The SDP session id and version of a call: from its dialog tag (hex), so the same on every copy. */
    static long sessionOf(String dialogTag) {
        return Long.parseUnsignedLong(dialogTag.substring(0, 12), 16);
    }

    /** INVITEs answered from their datagram, without a server transaction, since start. */
    long datagramAnswers() {
        return datagramAnswers.get();
    }

    /** 2xx responses sent and still waiting for their ACK (retransmitted until it comes). */
    int unacknowledgedAnswers() {
        return unacknowledged.size();
    }

    /** An ACK as a datagram: absorbed when it acknowledges a 2xx of this listener. */
    @Override
    public boolean absorbAck(DatagramRequest ack) {
        String callId = ack.callId();
        return unacknowledged.acknowledge(UnacknowledgedAnswers.key(callId, ack.cseqNumber()))
                || dialogTags.issued(ack.toTag(), callId, ack.fromTag());
    }

    /**
     * A BYE, or another request with a To-tag (ACK and CANCEL are handled elsewhere), whose tag is
     * not one this listener put in a 2xx for that Call-ID and From-tag.
     */
    private boolean outsideOurDialogs(Request request, String method) {
        if (Request.CANCEL.equals(method)) {
            return false;
        }
        String toTag = ListenerDefaults.toTag(request);
        if (toTag == null) {
            return Request.BYE.equals(method);
        }
        return !dialogTags.issued(toTag, ListenerDefaults.callId(request), ListenerDefaults.fromTag(request));
    }




    /** Call-ID + CSeq number: what an ACK for a 2xx shares with its INVITE. */
    private static String key(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        return UnacknowledgedAnswers.key(callId == null ? null : callId.getCallId(), cseq == null ? -1 : cseq.getSeqNumber());
    }

    @Override
    public void close() {
        unacknowledged.close();
    }

    /**
     * The configured final response; a 2xx gets the dialog's To-tag ({@link DialogTags}), a Contact
     * at the advertised address and a session description declining all media, or holding one
     * inactive audio stream ({@link DeclinedMedia}); an offer that is not a session description with
     * m-lines gets 488 Not Acceptable Here (RFC 3261 13.3.1.3).
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
        String tag = dialogTags.issue(ListenerDefaults.callId(request), ListenerDefaults.fromTag(request));
        byte[] sdp = sessionDescription(request.getRawContent(), isSdp(request), host, sessionOf(tag));
        if (sdp == null) {
            return messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request);
        }
        Response response = messages.createResponse(inviteStatus, request);
        if (ListenerDefaults.toTag(request) == null && response.getHeader(ToHeader.NAME) instanceof ToHeader to) {
            to.setTag(tag);
        }
        SipURI contact = addresses.createSipURI("sipauth", host);
        contact.setPort(port);
        response.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        response.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        return response;
    }

    /**
     * The 2xx's session description: an answer declining (or holding inactive) the offered media,
     * an offer when the INVITE had none; null when the body is not a session description.
     */
    private byte[] sessionDescription(byte[] offer, boolean sdpOffer, String host, long session) {
        if (offer == null || offer.length == 0) {
            return DeclinedMedia.offer(AdvertisedAddress.unbracketed(host), inactiveMedia, session);
        }
        return sdpOffer ? DeclinedMedia.answer(offer, AdvertisedAddress.unbracketed(host), inactiveMedia, session) : null;
    }

    /** A Content-Type value (parameters allowed) naming {@code application/sdp}. */
    static boolean isSdp(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).strip();
        int slash = type.indexOf('/');
        return slash > 0 && isSdp(type.substring(0, slash).strip(), type.substring(slash + 1).strip());
    }

    private static boolean isSdp(Request request) {
        return request.getHeader(ContentTypeHeader.NAME) instanceof ContentTypeHeader type
                && isSdp(type.getContentType(), type.getContentSubType());
    }

    private static boolean isSdp(String type, String subtype) {
        return "application".equalsIgnoreCase(type) && "sdp".equalsIgnoreCase(subtype);
    }





}
