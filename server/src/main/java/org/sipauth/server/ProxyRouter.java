package org.sipauth.server;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;
import java.util.List;
import java.util.ListIterator;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * The stack's router in proxy mode ({@code javax.sip.ROUTER_PATH}): a request the proxy forwards
 * carries the hop it chose (a resolved address of the destination, see {@link HopResolver}) as its
 * application data, and goes there; anything else is routed as jain-sip-ri's default router does
 * (Route, else Request-URI).
 *
 * <p>Why a router: the RI asks its router for the next hop when a client transaction is created,
 * and resolves host names itself while sending; this lets the proxy pick among the addresses of a
 * destination (RFC 3263 failover) while the Request-URI keeps the destination's name.
 */
public final class ProxyRouter implements Router {

    private final DefaultRouter fallback;

    /** The constructor jain-sip-ri calls (stack, {@code javax.sip.OUTBOUND_PROXY}). */
    public ProxyRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    /** Marks {@code request} to be sent to {@code hop}. */
    static void route(Request request, Hop hop) {
        ((SIPMessage) request).setApplicationData(hop);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof SIPMessage message && message.getApplicationData() instanceof Hop hop) {
            return hop;
        }
        return fallback.getNextHop(request);
    }

    @Override
    @SuppressWarnings({"rawtypes", "deprecation"})
    public ListIterator getNextHops(Request request) {
        try {
            Hop hop = getNextHop(request);
            return hop == null ? List.of().listIterator() : List.of(hop).listIterator();
        } catch (SipException e) {
            return List.of().listIterator();
        }
    }

    @Override
    public Hop getOutboundProxy() {
        return fallback.getOutboundProxy();
    }
}
