package org.sipauth.server;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.model.Sid;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.jainsip.AuthorizedRequestEvent;
import org.sipauth.jainsip.DatagramRequest;
import org.sipauth.jainsip.DatagramResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redirect} mode: an authorized INVITE gets 302 Moved Temporarily whose Contact headers
 * are the target's destinations, in the order a proxy would try them (q from 1.0 down), with the
 * caller's user part where a destination has none; 480 when the target has no destination. The
 * cheapest way to put sipauth in front of an SBC as an authorization oracle: no call state, no media
 * path, the SBC follows the redirect.
 *
 * <p>Over UDP in the plain shape the 302 is written from the datagram ({@link DatagramResponder}),
 * without a transaction; its To-tag derives from the call ({@link DialogTags}), so the ACK for it is
 * recognised and dropped, and a late copy of the INVITE gets the same answer again. Everything else
 * (TCP, unusual shapes) is answered on a server transaction. Other requests: OPTIONS 200, CANCEL 200
 * (there is nothing to cancel, the answer is final at once), others 405. Thread-safe.
 */
final class RedirectingSipListener implements ListenerDefaults, DatagramResponder {

    private static final Logger LOG = LoggerFactory.getLogger(RedirectingSipListener.class);
    /** Contacts in one 302 at most; q-values have three decimals. */
    static final int MAX_CONTACTS = 10;

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final Function<Sid, List<Destination>> destinations;
    private final ProxyingSipListener.Outcomes outcomes;
    private final DialogTags dialogTags = new DialogTags();

    RedirectingSipListener(MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
                           Function<Sid, List<Destination>> destinations, ProxyingSipListener.Outcomes outcomes) {
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.destinations = destinations;
        this.outcomes = outcomes;
    }

    /** The Contact values of the 302 for a call to {@code requestUri} accepted for {@code target}; empty: 480. */
    List<String> contacts(Sid target, String requestUri) {
        List<Destination> order = Destination.callOrder(destinations.apply(target));
        String user = userOf(requestUri);
        List<String> contacts = new ArrayList<>();
        for (Destination d : order) {
            if (contacts.size() == MAX_CONTACTS) {
                break;
            }
            SipURI uri = parse(d.sipUrl());
            if (uri == null) {
                continue;
            }
            if (uri.getUser() == null && user != null) {
                try {
                    uri.setUser(user);
                } catch (ParseException e) {
                    continue;
                }
            }
            String q = String.format(Locale.ROOT, "%.3f", (1000 - contacts.size()) / 1000.0);
            contacts.add("<" + uri + ">;q=" + q);
        }
        return contacts;
    }

    private String userOf(String requestUri) {
        SipURI uri = parse(requestUri);
        return uri == null ? null : uri.getUser();
    }

    private SipURI parse(String uri) {
        try {
            return uri != null && addresses.createURI(uri) instanceof SipURI sip ? sip : null;
        } catch (ParseException e) {
            return null;
        }
    }

    @Override
    public boolean answer(DatagramRequest invite) {
        invite.send(redirect(invite, true)); // a lost 302 is sent again when the INVITE is (answerAgain)
        return true;
    }

    @Override
    public boolean answerAgain(DatagramRequest copy) {
        return copy.send(redirect(copy, false));
    }

    private byte[] redirect(DatagramRequest invite, boolean report) {
        AuthDecision.Allowed decision = invite.decision();
        List<String> contacts = decision == null ? List.of() : contacts(decision.targetSid(), invite.requestUri());
        String tag = dialogTags.issue(invite.callId(), invite.fromTag());
        int status = statusFor(contacts);
        List<String> lines = new ArrayList<>(contacts.size());
        for (String contact : contacts) {
            lines.add("Contact: " + contact);
        }
        if (report && decision != null) {
            SipURI uri = parse(invite.requestUri());
            String host = uri == null ? "" : uri.getHost();
            outcomes.forwarded(AuthorizationEvent.accepted(Request.INVITE, host, invite.source().getAddress(), "UDP",
                    decision), status, firstUrl(contacts));
        }
        return invite.response(status, tag, lines, null);
    }

    /** 302 naming the contacts, or 480 when there is none. */
    private static int statusFor(List<String> contacts) {
        return contacts.isEmpty() ? Response.TEMPORARILY_UNAVAILABLE : Response.MOVED_TEMPORARILY;
    }

    private static String firstUrl(List<String> contacts) {
        return contacts.isEmpty() ? null : contacts.get(0).substring(1, contacts.get(0).indexOf('>'));
    }

    @Override
    public boolean absorbAck(DatagramRequest ack) {
        return dialogTags.issued(ack.toTag(), ack.callId(), ack.fromTag());
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        try {
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null) {
                tx = ((SipProvider) event.getSource()).getNewServerTransaction(request);
            }
            Response response;
            if (Request.INVITE.equals(method) && event instanceof AuthorizedRequestEvent authorized) {
                response = redirect(authorized);
            } else if (Request.OPTIONS.equals(method) || Request.CANCEL.equals(method)) {
                response = messages.createResponse(Response.OK, request);
            } else {
                response = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                response.addHeader(headers.createAllowHeader("INVITE, ACK, CANCEL, OPTIONS"));
            }
            if (response.getHeader(ToHeader.NAME) instanceof ToHeader to && to.getTag() == null) {
                to.setTag(dialogTags.issue(ListenerDefaults.callId(request), ListenerDefaults.fromTag(request)));
            }
            tx.sendResponse(response);
        } catch (TransactionAlreadyExistsException e) {
            // a retransmission racing its original: the transaction answers it
        } catch (Exception e) {
            LOG.debug("could not answer {}: {}", method, e.toString());
        }
    }

    private Response redirect(AuthorizedRequestEvent event) throws ParseException {
        Request request = event.getRequest();
        AuthDecision.Allowed decision = event.decision();
        List<String> contacts = contacts(decision.targetSid(), request.getRequestURI().toString());
        int status = statusFor(contacts);
        Response response = messages.createResponse(status, request);
        for (String contact : contacts) {
            response.addHeader(headers.createHeader(ContactHeader.NAME, contact));
        }
        outcomes.forwarded(ListenerDefaults.accepted(request, decision), status, firstUrl(contacts));
        return response;
    }







}
