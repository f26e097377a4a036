package org.sipauth.server;

import gov.nist.javax.sip.message.SIPMessage;
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
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code respond} mode: every INVITE that reaches it (i.e. was authorized) gets the configured
 * final response; ACKs are absorbed; CANCEL, BYE and OPTIONS get 200; other methods 405.
 * Stateless apart from the stack's transactions.
 */
final class RespondingSipListener implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(RespondingSipListener.class);

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final int inviteStatus;

    RespondingSipListener(MessageFactory messages, HeaderFactory headers, AddressFactory addresses, int inviteStatus) {
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.inviteStatus = inviteStatus;
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
            switch (method) {
                case Request.INVITE -> {
                    response = messages.createResponse(inviteStatus, request);
                    if (inviteStatus < 300) {
                        response.addHeader(headers.createContactHeader(addresses.createAddress(contactUri(request))));
                    }
                }
                case Request.CANCEL, Request.BYE, Request.OPTIONS -> response = messages.createResponse(Response.OK, request);
                default -> {
                    response = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                    response.addHeader(headers.createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS"));
                }
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to != null && to.getTag() == null) {
                to.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
            }
            tx.sendResponse(response);
        } catch (TransactionAlreadyExistsException e) {
            // Retransmission racing its original: the transaction answers it.
        } catch (Exception e) {
            LOG.debug("could not answer {}: {}", method, e.toString());
        }
    }

    private SipURI contactUri(Request request) throws java.text.ParseException {
        String host = "127.0.0.1";
        int port = 5060;
        if (request instanceof SIPMessage m && m.getLocalAddress() != null) {
            host = m.getLocalAddress().getHostAddress();
            port = m.getLocalPort();
        }
        SipURI uri = addresses.createSipURI("sipauth", host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        uri.setPort(port);
        return uri;
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
