package org.sipauth.server;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

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
}
