package org.sipauth.jainsip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.SIPConstants;
import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import javax.sip.SipListener;
import javax.sip.SipStack;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(StatelessValve.class);

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

    /**
     * A response with an RFC 3261 branch that matches no client transaction (a retransmitted or
     * forked 2xx after its INVITE transaction ended, a late response) goes straight to the
     * listener of its provider, as the RI would deliver it, without a transaction. Why: for such a
     * response jain-sip-ri 1.3.0-91's {@code newSIPServerResponse} compares it with every client
     * transaction it holds, which under load (a proxy holds thousands) made these lookups most of
     * the CPU; with a magic-cookie branch that scan can only find what the keyed lookup found.
     */
    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        if (!(response instanceof SIPResponse sipResponse) || channel == null) {
            return true;
        }
        String key = sipResponse.getTransactionId();
        SIPTransactionStack stack = channel.getSIPStack();
        if (key == null || !key.startsWith(SIPConstants.BRANCH_MAGIC_COOKIE_LOWER_CASE) || stack == null
                || stack.findTransaction(key, false) != null) {
            return true;
        }
        MessageProcessor processor = channel.getMessageProcessor();
        ListeningPointImpl point = processor == null ? null : processor.getListeningPoint();
        SipProviderImpl provider = point == null ? null : point.getProvider();
        SipListener listener = provider == null ? null : provider.getSipListener();
        if (listener == null) {
            return true;
        }
        try {
            listener.processResponse(new ResponseEventExt(provider, null, null, response));
        } catch (RuntimeException e) {
            LOG.debug("listener failed on a response without transaction: {}", e.toString());
        }
        return false;
    }

    @Override
    public void destroy() {
        overload.destroy();
    }
}
