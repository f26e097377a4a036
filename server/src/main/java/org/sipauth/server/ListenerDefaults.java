package org.sipauth.server;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.util.Locale;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.address.SipURI;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.jainsip.AuthorizationEvent;

/**
 * What the server's mode listeners share: no-op handlers for the events a mode does not use, and
 * the dialog identifiers of a request (null when absent).
 */
interface ListenerDefaults extends SipListener {

    @Override
    default void processResponse(ResponseEvent event) {
    }

    @Override
    default void processTimeout(TimeoutEvent event) {
    }

    @Override
    default void processIOException(IOExceptionEvent event) {
    }

    @Override
    default void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    default void processDialogTerminated(DialogTerminatedEvent event) {
    }

    static String callId(Request request) {
        return request.getHeader(CallIdHeader.NAME) instanceof CallIdHeader c ? c.getCallId() : null;
    }

    static String fromTag(Request request) {
        return request.getHeader(FromHeader.NAME) instanceof FromHeader from ? from.getTag() : null;
    }

    static String toTag(Request request) {
        return request.getHeader(ToHeader.NAME) instanceof ToHeader to ? to.getTag() : null;
    }

    /** The transport of the request's top Via, lower case; {@code udp} when it names none. */
    static String transportOf(Request request) {
        return request.getHeader(ViaHeader.NAME) instanceof ViaHeader via && via.getTransport() != null
                ? via.getTransport().toLowerCase(Locale.ROOT) : "udp";
    }

    /** The decision-log event of a parsed request accepted with {@code decision}, for its outcome. */
    static AuthorizationEvent accepted(Request request, AuthDecision.Allowed decision) {
        String host = request.getRequestURI() instanceof SipURI uri ? uri.getHost() : "";
        InetAddress source = request instanceof SIPMessage m && m.getRemoteAddress() != null
                ? m.getRemoteAddress() : InetAddress.getLoopbackAddress();
        return AuthorizationEvent.accepted(request.getMethod(), host, source,
                transportOf(request).toUpperCase(Locale.ROOT), decision);
    }
}
