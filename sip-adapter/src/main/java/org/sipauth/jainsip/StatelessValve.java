package org.sipauth.jainsip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import javax.sip.SipStack;
import javax.sip.message.Response;

/**
 * sipauth's jain-sip-ri message valve ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}, set by
 * {@link SipStackDefaults}): the RI calls it for every request before it looks up or creates a
 * transaction. It first sheds load as {@link OverloadValve} does (503 while the server transaction
 * table is full), then lets the {@link AuthorizingSipListener} registered for the request's
 * provider decide the request statelessly (see {@link AuthorizingSipListener.Builder#statelessRejections}):
 * only accepted requests go on and create a transaction.
 *
 * <p>Relies on jain-sip-ri 1.3.0-91's {@code SIPTransactionStack.newSIPServerRequest}, which calls
 * the valves before {@code findTransaction}/{@code createServerTransaction}. Listed instead of
 * {@link OverloadValve}, not beside it: the RI pauses 100 ms per valve at start.
 */
public final class StatelessValve implements SIPMessageValve {

    private final OverloadValve overload = new OverloadValve();

    /** Called by the RI (by class name). */
    public StatelessValve() {
    }

    @Override
    public void init(SipStack sipStack) {
        overload.init(sipStack);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        if (!overload.processRequest(request, channel)) {
            return false;
        }
        StatelessFront front = StatelessFront.of(channel);
        return front == null || front.admit(request, channel);
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
        overload.destroy();
    }
}
