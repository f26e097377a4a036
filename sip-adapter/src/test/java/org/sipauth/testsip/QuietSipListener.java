package org.sipauth.testsip;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/** A {@link SipListener} that ignores every event a test listener does not override. */
public interface QuietSipListener extends SipListener {

    default void processRequest(RequestEvent event) {
    }

    default void processResponse(ResponseEvent event) {
    }

    default void processTimeout(TimeoutEvent event) {
    }

    default void processIOException(IOExceptionEvent event) {
    }

    default void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    default void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
