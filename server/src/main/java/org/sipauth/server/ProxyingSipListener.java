package org.sipauth.server;

import gov.nist.javax.sip.ServerTransactionExt;
import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.Sid;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.jainsip.AuthorizedRequestEvent;
import org.sipauth.jainsip.ToTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code proxy} mode: an RFC 3261 section 16 transaction-stateful proxy for the INVITEs the
 * authorizing listener accepted, built on jain-sip-ri server and client transactions.
 *
 * <h2>Initial INVITE</h2>
 * Max-Forwards 0 gets 483, a request that carries a Via this proxy added for the same call gets
 * 482 (a loop: a call coming back through an edge proxy is not a spiral it could authorize, its
 * credentials are gone); otherwise 100 Trying at once, then the request goes to the target's
 * destinations in {@link Destination#callOrder} order, each destination's addresses in
 * {@link HopResolver} order. The forwarded copy has the destination as its Request-URI (with the
 * caller's user part when the destination has none), no Route headers (the target's destinations
 * decide where it goes, not the caller), none of the credentials for this realm, Max-Forwards one
 * lower, a Record-Route to this proxy (unless turned off; two when the transports of the two legs
 * differ, RFC 5658) and this proxy's Via with a fresh branch.
 *
 * <h2>Failover</h2>
 * An attempt fails when the destination cannot be sent to (no address, TCP connection refused),
 * answers 503, or sends nothing at all, not even 100 Trying, within the upstream timeout. Then the
 * next address or destination is tried. When none is left the caller gets 503 with Retry-After.
 * Any other response is relayed (provisional ones except 100, final ones once); after a final one,
 * further 2xx (a forking upstream, retransmissions) are relayed statelessly, as RFC 6026 wants.
 *
 * <h2>In-dialog requests</h2>
 * A request with a To-tag is forwarded only when its top Route is a Record-Route this proxy wrote
 * for that dialog: the Route carries {@code sa=HMAC(secret, Call-ID, caller's From-tag)}, checked
 * against the From-tag or To-tag of the request (either party may send). Those requests pass the
 * authorizing listener unchallenged ({@link #isOwnInDialog}); anything else with a To-tag gets
 * 481. An ACK for a 2xx is forwarded statelessly, every other in-dialog request (BYE, re-INVITE,
 * UPDATE, INFO, …) on its own transactions, to the next Route or else the Request-URI.
 *
 * <p>Thread-safe.
 */
final class ProxyingSipListener implements ListenerDefaults, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyingSipListener.class);
    /** Branches of requests this proxy sends start with this (after which: loop hash, '.', counter). */
    static final String BRANCH_PREFIX = "z9hG4bKsa";
    private static final String TOKEN_PARAM = "sa";
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK, REFER, NOTIFY";
    private static final int RETRY_AFTER_SECONDS = 30;
    /** How long a forwarded in-dialog non-INVITE request's transactions stay after its final response. */
    private static final int IN_DIALOG_LINGER_MILLIS = 1_000;

    /** How accepted INVITEs ended, for the decision log. */
    interface Outcomes {
        /** {@code status} the final status relayed or sent, {@code upstream} the destination that sent it or null. */
        void forwarded(AuthorizationEvent accepted, int status, String upstream);
    }

    /** The proxy's settings. */
    record Settings(boolean recordRoute, Duration upstreamTimeout, Role role, String realm, String bindHost) {
    }

    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final AdvertisedAddress advertised;
    private final Settings settings;
    private final Function<Sid, List<Destination>> destinations;
    private final HopResolver resolver;
    private final DialogTags routeTokens;
    private final Outcomes outcomes;
    private final InetAddress bindAddress;
    private final ScheduledExecutorService timers;
    private final AtomicLong branches = new AtomicLong();

    ProxyingSipListener(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
                        AdvertisedAddress advertised, Settings settings, Function<Sid, List<Destination>> destinations,
                        HopResolver resolver, DialogTags routeTokens, Outcomes outcomes) {
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.advertised = advertised;
        this.settings = settings;
        this.destinations = destinations;
        this.resolver = resolver;
        this.routeTokens = routeTokens;
        this.outcomes = outcomes;
        this.bindAddress = specificAddress(settings.bindHost());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sipauth-proxy-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    private static InetAddress specificAddress(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isAnyLocalAddress() ? null : address;
        } catch (UnknownHostException e) {
            return null;
        }
    }


    /**
     * For the authorizing listener ({@code skipAuthorizationWhen}): an in-dialog request routed by
     * a Record-Route of this proxy, or a looping request (answered 482 here, not challenged).
     */
    boolean isOwnInDialog(Request request) {
        return isLoop(request) || (ListenerDefaults.toTag(request) != null && ownRoutes(request) > 0);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            if (Request.ACK.equals(method)) {
                forwardAck(request);
            } else if (Request.CANCEL.equals(method)) {
                cancel(event);
            } else if (isLoop(request)) {
                reply(event, Response.LOOP_DETECTED);
            } else if (ListenerDefaults.toTag(request) != null) {
                forwardInDialog(event);
            } else if (event instanceof AuthorizedRequestEvent authorized && Request.INVITE.equals(method)) {
                forwardInvite(authorized);
            } else if (Request.OPTIONS.equals(method)) {
                reply(event, Response.OK);
            } else {
                // Only authorized INVITEs start calls here: relaying anything else would make an open relay.
                reply(event, Response.METHOD_NOT_ALLOWED);
            }
        } catch (Exception e) {
            LOG.debug("could not proxy {}: {}", method, e.toString());
        }
    }

    private void forwardInvite(AuthorizedRequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction server = event.getServerTransaction();
        if (maxForwards(request) == 0) {
            outcomes.forwarded(ListenerDefaults.accepted(request, event.decision()), Response.TOO_MANY_HOPS, null);
            server.sendResponse(messages.createResponse(Response.TOO_MANY_HOPS, request));
            return;
        }
        server.sendResponse(messages.createResponse(Response.TRYING, request));
        List<Destination> order = Destination.callOrder(destinations.apply(event.decision().targetSid()));
        Relay relay = new Relay(server, request, ListenerDefaults.accepted(request, event.decision()), order, null);
        server.setApplicationData(relay);
        relay.next();
    }

    /** An in-dialog request other than ACK: forwarded statefully when routed by this proxy, else 481. */
    private void forwardInDialog(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        int own = ownRoutes(request);
        if (own == 0) {
            reply(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        if (maxForwards(request) == 0) {
            reply(event, Response.TOO_MANY_HOPS);
            return;
        }
        Request out = (Request) request.clone();
        for (int i = 0; i < own; i++) {
            out.removeFirst(RouteHeader.NAME);
        }
        Hop hop = nextHop(out);
        ServerTransaction server = serverTransaction(event);
        if (server == null) {
            return;
        }
        if (hop == null) {
            server.sendResponse(messages.createResponse(Response.NOT_FOUND, request));
            return;
        }
        if (!Request.INVITE.equals(request.getMethod())) {
            // RFC 3261's Timer J keeps a non-INVITE server transaction 32 s over UDP to answer copies
            // of the request; at a few thousand calls/s each BYE's transaction then lived that long,
            // and they were most of what the collector copied. A copy arriving later is forwarded
            // again, and the callee answers it as a UAS answers a repeated BYE.
            try {
                server.setRetransmitTimer(IN_DIALOG_LINGER_MILLIS / 64);
            } catch (IllegalStateException alreadyRunning) {
                // a copy that found its transaction already answering: RFC timers then
            }
        }
        Relay relay = new Relay(server, request, null, List.of(), out);
        server.setApplicationData(relay);
        relay.sendInDialog(hop);
    }

    /** The ACK for a 2xx, when routed by this proxy: forwarded statelessly (RFC 3261 16.11). */
    private void forwardAck(Request ack) throws Exception {
        if (ListenerDefaults.toTag(ack) == null) {
            return; // the ACK for a non-2xx final response: its server transaction absorbed it, or it is late
        }
        int own = ownRoutes(ack);
        if (own == 0 || maxForwards(ack) == 0) {
            return;
        }
        Request out = (Request) ack.clone();
        for (int i = 0; i < own; i++) {
            out.removeFirst(RouteHeader.NAME);
        }
        Hop hop = nextHop(out);
        if (hop == null) {
            return;
        }
        decrementMaxForwards(out);
        // Stateless: the same ACK copy gets the same branch (derived from the incoming one).
        ViaHeader incoming = (ViaHeader) ack.getHeader(ViaHeader.NAME);
        String branch = BRANCH_PREFIX + "ack" + Integer.toHexString(incoming == null || incoming.getBranch() == null
                ? 0 : incoming.getBranch().hashCode());
        out.addFirst(via(hop, branch));
        ProxyRouter.route(out, hop);
        provider.sendRequest(out);
    }

    private void cancel(RequestEvent event) throws Exception {
        ServerTransaction server = serverTransaction(event);
        if (server == null) {
            return;
        }
        ServerTransaction invite = server instanceof ServerTransactionExt ext ? ext.getCanceledInviteTransaction() : null;
        if (invite == null && provider instanceof SipProviderImpl impl) {
            invite = (ServerTransaction) ((gov.nist.javax.sip.stack.SIPTransactionStack) impl.getSipStack())
                    .findCancelTransaction((SIPRequest) event.getRequest(), true);
        }
        if (invite == null || !(invite.getApplicationData() instanceof Relay relay)) {
            server.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, event.getRequest()));
            return;
        }
        server.sendResponse(messages.createResponse(Response.OK, event.getRequest()));
        relay.cancel();
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        ClientTransaction client = event.getClientTransaction();
        try {
            if (client != null && client.getApplicationData() instanceof Relay relay) {
                relay.onResponse(client, response);
            } else if (client == null) {
                relayStray(response);
            }
        } catch (Exception e) {
            LOG.debug("could not relay {}: {}", response.getStatusCode(), e.toString());
        }
    }

    /**
     * A response without a transaction: a retransmitted or forked 2xx to an INVITE this proxy
     * forwarded (its client transaction ended with the first 2xx) goes on statelessly; anything
     * else is dropped.
     */
    private void relayStray(Response response) throws Exception {
        if (response.getStatusCode() / 100 != 2 || !(response.getHeader(ViaHeader.NAME) instanceof ViaHeader top)
                || top.getBranch() == null || !top.getBranch().startsWith(BRANCH_PREFIX)) {
            return;
        }
        Response out = (Response) response.clone();
        out.removeFirst(ViaHeader.NAME);
        if (out.getHeader(ViaHeader.NAME) != null) {
            provider.sendResponse(out);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && event.getClientTransaction().getApplicationData() instanceof Relay relay) {
            relay.failed(event.getClientTransaction(), Response.REQUEST_TIMEOUT);
        }
    }




    @Override
    public void close() {
        timers.shutdownNow();
    }

    private ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        ServerTransaction server = event.getServerTransaction();
        if (server != null) {
            return server;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null; // a retransmission racing its original: that one's transaction answers it
        }
    }

    private void reply(RequestEvent event, int status) throws Exception {
        ServerTransaction server = serverTransaction(event);
        if (server == null) {
            return;
        }
        Response response = messages.createResponse(status, event.getRequest());
        if (status == Response.METHOD_NOT_ALLOWED || (status == Response.OK
                && Request.OPTIONS.equals(event.getRequest().getMethod()))) {
            response.addHeader(headers.createAllowHeader(ALLOW));
        }
        ToTags.ensure(response);
        server.sendResponse(response);
    }

    /** Top Route entries written by this proxy for the request's dialog: 0, 1, or 2 (double Record-Route). */
    int ownRoutes(Request request) {
        String callId = ListenerDefaults.callId(request);
        String fromTag = request.getHeader(FromHeader.NAME) instanceof FromHeader from ? from.getTag() : null;
        String toTag = ListenerDefaults.toTag(request);
        int own = 0;
        ListIterator<Header> routes = request.getHeaders(RouteHeader.NAME);
        while (routes.hasNext() && own < 2) {
            if (!(routes.next() instanceof RouteHeader route) || !(route.getAddress().getURI() instanceof SipURI uri)) {
                break;
            }
            String token = uri.getParameter(TOKEN_PARAM);
            if (token == null || !(routeTokens.issued(token, callId, fromTag) || routeTokens.issued(token, callId, toTag))) {
                break;
            }
            own++;
        }
        return own;
    }

    /** True when the request carries a Via this proxy added to this same request (RFC 3261 16.3 step 4). */
    boolean isLoop(Request request) {
        String mark = BRANCH_PREFIX + loopHash(request) + ".";
        ListIterator<Header> vias = request.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            if (vias.next() instanceof ViaHeader via && via.getBranch() != null && via.getBranch().startsWith(mark)) {
                return true;
            }
        }
        return false;
    }

    /** What identifies one request of a call across hops (not the Request-URI, which this proxy rewrites). */
    private static String loopHash(Request request) {
        long cseq = request.getHeader(CSeqHeader.NAME) instanceof CSeqHeader c ? c.getSeqNumber() : -1;
        String fromTag = request.getHeader(FromHeader.NAME) instanceof FromHeader from ? from.getTag() : null;
        int hash = (ListenerDefaults.callId(request) + "\n" + fromTag + "\n" + ListenerDefaults.toTag(request) + "\n" + cseq).hashCode();
        String hex = Integer.toHexString(hash);
        return hex.length() == 8 ? hex : "00000000".substring(hex.length()) + hex;
    }

    private static int maxForwards(Request request) {
        return request.getHeader(MaxForwardsHeader.NAME) instanceof MaxForwardsHeader mf ? mf.getMaxForwards() : 70;
    }

    private void decrementMaxForwards(Request out) throws Exception {
        if (out.getHeader(MaxForwardsHeader.NAME) instanceof MaxForwardsHeader mf) {
            mf.decrementMaxForwards();
        } else {
            out.setHeader(headers.createMaxForwardsHeader(69));
        }
    }

    /** The next hop of an in-dialog request: its (remaining) top Route, else its Request-URI. */
    private Hop nextHop(Request out) {
        URI next = out.getHeader(RouteHeader.NAME) instanceof RouteHeader route ? route.getAddress().getURI()
                : out.getRequestURI();
        if (!(next instanceof SipURI uri)) {
            return null;
        }
        String maddr = uri.getMAddrParam();
        if (maddr != null) {
            return null; // not followed: a peer could aim the proxy anywhere with it
        }
        List<Hop> hops = resolver.resolve(uri);
        return hops.isEmpty() ? null : hops.get(0);
    }

    private ViaHeader via(Hop hop, String branch) throws ParseException, javax.sip.InvalidArgumentException {
        String host = advertised.host(bindAddress, addressOf(hop));
        int port = advertised.port(listeningPort(hop.getTransport()));
        ViaHeader via = headers.createViaHeader(AdvertisedAddress.unbracketed(host), port, hop.getTransport(), branch);
        via.setRPort();
        return via;
    }

    private int listeningPort(String transport) {
        javax.sip.ListeningPoint point = provider.getListeningPoint(transport);
        return point != null ? point.getPort() : provider.getListeningPoints()[0].getPort();
    }

    private static InetAddress addressOf(Hop hop) {
        try {
            return InetAddress.getByName(AdvertisedAddress.unbracketed(hop.getHost()));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private String newBranch(Request original) {
        return BRANCH_PREFIX + loopHash(original) + "." + Long.toHexString(branches.incrementAndGet())
                + Long.toHexString(System.nanoTime() & 0xFFFFF);
    }



    /**
     * One request this proxy forwards on transactions: an authorized INVITE (with its destinations
     * to fail over through) or an in-dialog request (one hop). All state changes under its lock.
     */
    private final class Relay {
        private final ServerTransaction server;
        private final Request original;
        private final AuthorizationEvent accepted;
        private final List<Destination> order;
        private final Request inDialogCopy;
        private int nextDestination;
        private Destination destination;
        private SipURI destinationUri;
        private ListIterator<Hop> hops = List.<Hop>of().listIterator();
        private ClientTransaction current;
        private Hop currentHop;
        private ScheduledFuture<?> noAnswer;
        private boolean answered;
        private boolean finalSent;
        private boolean cancelled;
        private boolean cancelSent;

        Relay(ServerTransaction server, Request original, AuthorizationEvent accepted, List<Destination> order,
              Request inDialogCopy) {
            this.server = server;
            this.original = original;
            this.accepted = accepted;
            this.order = order;
            this.inDialogCopy = inDialogCopy;
        }

        /** Tries the next address of the current destination, or the next destination; 503 when none is left. */
        synchronized void next() {
            while (!finalSent) {
                if (cancelled) {
                    finish(Response.REQUEST_TERMINATED);
                    return;
                }
                if (!hops.hasNext()) {
                    if (nextDestination >= order.size()) {
                        finish(order.isEmpty() ? Response.TEMPORARILY_UNAVAILABLE : Response.SERVICE_UNAVAILABLE);
                        return;
                    }
                    destination = order.get(nextDestination++);
                    destinationUri = parse(destination.sipUrl());
                    hops = destinationUri == null ? List.<Hop>of().listIterator()
                            : new ArrayList<>(resolver.resolve(destinationUri)).listIterator();
                    continue;
                }
                Hop hop = hops.next();
                try {
                    send(initialCopy(hop), hop);
                    return;
                } catch (Exception e) {
                    LOG.debug("destination {} via {} failed: {}", destination.sipUrl(), hop, e.toString());
                }
            }
        }

        synchronized void sendInDialog(Hop hop) {
            try {
                Request out = inDialogCopy;
                decrementMaxForwards(out);
                out.addFirst(via(hop, newBranch(original)));
                send(out, hop);
            } catch (Exception e) {
                LOG.debug("in-dialog {} to {} failed: {}", original.getMethod(), hop, e.toString());
                finish(Response.SERVICE_UNAVAILABLE);
            }
        }

        private void send(Request out, Hop hop) throws Exception {
            ProxyRouter.route(out, hop);
            ClientTransaction client = provider.getNewClientTransaction(out);
            client.setApplicationData(this);
            if (inDialogCopy != null && !Request.INVITE.equals(out.getMethod()) && client instanceof TransactionExt ext) {
                // Timer K (T4, 5 s over UDP) only absorbs copies of the final response; later copies
                // are dropped as responses without a transaction.
                ext.setTimerT4(IN_DIALOG_LINGER_MILLIS);
            }
            current = client;
            currentHop = hop;
            answered = false;
            client.sendRequest();
            if (inDialogCopy == null) {
                long millis = settings.upstreamTimeout().toMillis();
                noAnswer = timers.schedule(() -> failed(client, Response.REQUEST_TIMEOUT), millis, TimeUnit.MILLISECONDS);
            }
        }

        private SipURI parse(String sipUrl) {
            try {
                return addresses.createURI(sipUrl) instanceof SipURI uri ? uri : null;
            } catch (ParseException e) {
                LOG.warn("destination {} is not a SIP URI", sipUrl);
                return null;
            }
        }

        /** The authorized INVITE as sent to {@code hop} of the current destination. */
        private Request initialCopy(Hop hop) throws Exception {
            Request out = (Request) original.clone();
            SipURI target = (SipURI) destinationUri.clone();
            if (target.getUser() == null && original.getRequestURI() instanceof SipURI called && called.getUser() != null) {
                target.setUser(called.getUser());
            }
            out.setRequestURI(target);
            out.removeHeader(RouteHeader.NAME);
            removeConsumedCredentials(out);
            decrementMaxForwards(out);
            if (settings.recordRoute()) {
                addRecordRoutes(out, hop);
            }
            out.addFirst(via(hop, newBranch(original)));
            return out;
        }

        private void removeConsumedCredentials(Request out) {
            String name = settings.role() == Role.PROXY ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME;
            List<Header> kept = new ArrayList<>();
            ListIterator<Header> credentials = out.getHeaders(name);
            while (credentials.hasNext()) {
                Header h = credentials.next();
                if (settings.realm() != null && h instanceof AuthorizationHeader a && !settings.realm().equals(a.getRealm())) {
                    kept.add(h); // credentials for another realm belong to someone further on
                }
            }
            out.removeHeader(name);
            for (Header h : kept) {
                out.addHeader(h);
            }
        }

        /** RFC 3261 16.6 step 4; two entries (RFC 5658) when the legs use different transports. */
        private void addRecordRoutes(Request out, Hop hop) throws Exception {
            String callId = ListenerDefaults.callId(original);
            String fromTag = original.getHeader(FromHeader.NAME) instanceof FromHeader from ? from.getTag() : null;
            String token = routeTokens.issue(callId, fromTag);
            String inbound = ListenerDefaults.transportOf(original);
            InetAddress callerSide = original instanceof SIPMessage m ? m.getLocalAddress() : null;
            InetAddress caller = original instanceof SIPMessage m ? m.getRemoteAddress() : null;
            String callerHost = advertised.host(callerSide != null ? callerSide : bindAddress, caller);
            out.addFirst(recordRoute(callerHost, advertised.port(listeningPort(inbound)), inbound, token));
            String outbound = hop.getTransport().toLowerCase(Locale.ROOT);
            if (!outbound.equals(inbound)) {
                String calleeHost = advertised.host(bindAddress, addressOf(hop));
                out.addFirst(recordRoute(calleeHost, advertised.port(listeningPort(outbound)), outbound, token));
            }
        }

        private RecordRouteHeader recordRoute(String host, int port, String transport, String token) throws Exception {
            SipURI uri = addresses.createSipURI(null, AdvertisedAddress.unbracketed(host));
            uri.setPort(port);
            uri.setLrParam();
            if (!"udp".equals(transport)) {
                uri.setTransportParam(transport);
            }
            uri.setParameter(TOKEN_PARAM, token);
            return headers.createRecordRouteHeader(addresses.createAddress(uri));
        }

        synchronized void onResponse(ClientTransaction client, Response response) throws Exception {
            int status = response.getStatusCode();
            if (client != current) {
                if (status / 100 == 2) {
                    relay(response); // an abandoned attempt answered after all: the caller decides (RFC 3261 16.7)
                }
                return;
            }
            answered = true;
            stopTimer();
            if (status == Response.TRYING) {
                return;
            }
            if (status < 200) {
                if (!finalSent) {
                    relay(response);
                }
                if (cancelled && !cancelSent) {
                    sendCancel();
                }
                return;
            }
            if (status == Response.SERVICE_UNAVAILABLE && inDialogCopy == null && !cancelled && !finalSent) {
                next();
                return;
            }
            if (finalSent && status / 100 != 2) {
                return;
            }
            boolean first = !finalSent;
            if (first) {
                report(status); // before the caller can see it, so a log never trails what the caller saw
            }
            relay(response);
            finalSent = true;
        }

        /** The current attempt got no answer in time, or its transaction timed out. */
        void failed(ClientTransaction client, int status) {
            synchronized (this) {
                if (client != current || finalSent) {
                    return;
                }
                if (answered && inDialogCopy == null) {
                    return; // the upstream is alive (it sent a provisional response): the caller may CANCEL
                }
                stopTimer();
                current = null; // from now on its responses are those of an abandoned attempt
            }
            // Outside this relay's lock: ending a transaction takes the stack's locks, which a
            // thread delivering one of its responses holds while it waits for this relay.
            try {
                client.terminate();
            } catch (Exception e) {
                LOG.debug("could not end the attempt: {}", e.toString());
            }
            synchronized (this) {
                if (inDialogCopy != null) {
                    finish(status);
                } else {
                    next();
                }
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (finalSent) {
                return;
            }
            if (current != null && answered) {
                sendCancel();
            } else if (current == null) {
                finish(Response.REQUEST_TERMINATED);
            }
            // else: no provisional response yet; CANCEL waits for one (RFC 3261 9.1), or the timer ends the attempt
        }

        private void sendCancel() {
            cancelSent = true;
            try {
                Request cancel = current.createCancel();
                ProxyRouter.route(cancel, currentHop);
                provider.getNewClientTransaction(cancel).sendRequest();
            } catch (Exception e) {
                LOG.debug("could not send CANCEL upstream: {}", e.toString());
            }
        }

        private void stopTimer() {
            if (noAnswer != null) {
                noAnswer.cancel(false);
                noAnswer = null;
            }
        }

        private void relay(Response response) throws Exception {
            Response out = (Response) response.clone();
            out.removeFirst(ViaHeader.NAME);
            if (finalSent) {
                provider.sendResponse(out);
            } else {
                server.sendResponse(out);
            }
        }

        /** Ends the call here with a response of this proxy's own. */
        private void finish(int status) {
            if (finalSent) {
                return;
            }
            stopTimer();
            if (accepted != null) {
                outcomes.forwarded(accepted, status, null); // this proxy's own answer: no upstream sent it
            }
            finalSent = true;
            try {
                Response response = messages.createResponse(status, original);
                if (status == Response.SERVICE_UNAVAILABLE) {
                    response.addHeader(headers.createRetryAfterHeader(RETRY_AFTER_SECONDS));
                }
                ToTags.ensure(response);
                server.sendResponse(response);
            } catch (Exception e) {
                LOG.debug("could not answer {} with {}: {}", original.getMethod(), status, e.toString());
            }
        }

        private void report(int status) {
            if (accepted != null) {
                outcomes.forwarded(accepted, status, destination == null ? null : destination.sipUrl());
            }
        }
    }
}
