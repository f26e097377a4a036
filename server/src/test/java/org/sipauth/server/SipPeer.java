package org.sipauth.server;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.jainsip.NoopServerLogger;
import org.sipauth.jainsip.Slf4jStackLogger;
import org.sipauth.testsip.QuietSipListener;

/**
 * A JAIN-SIP user agent on loopback for the proxy tests, caller and callee in one: it sends
 * requests on client transactions and keeps every response; as a callee it answers each INVITE
 * with the statuses its script gives (a 2xx copies Record-Route, as RFC 3261 12.1.1 wants), holds
 * an INVITE scripted with no final status until a CANCEL comes (then 200 and 487), answers BYE and
 * other requests 200, and keeps every request it received.
 */
final class SipPeer implements AutoCloseable {

    private static final AtomicInteger STACKS = new AtomicInteger();
    static final long WAIT_MILLIS = 10_000;

    private final SipStackImpl stack;
    private final SipProvider provider;
    final String transport;
    final int port;
    final MessageFactory messages;
    final HeaderFactory headers;
    final AddressFactory addresses;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final Map<String, ServerTransaction> heldInvites = new ConcurrentHashMap<>();
    private volatile Function<Request, List<Integer>> script = request -> List.of(200);
    private volatile boolean repeat2xx;
    private final String toTag = Long.toHexString(System.nanoTime());
    private final Listener listener = new Listener();

    SipPeer(String transport) throws Exception {
        this.transport = transport;
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "test-peer-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoopServerLogger.class.getName());
        // One thread: this peer sees messages in the order they arrived, so a test can assert it.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        stack = new SipStackImpl(p);
        SipFactory factory = SipFactory.getInstance();
        messages = factory.createMessageFactory();
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", freePort(transport), transport);
        port = lp.getPort();
        provider = stack.createSipProvider(lp);
        provider.addSipListener(listener);
        stack.start();
    }

    static int freePort(String transport) throws IOException {
        if (transport.equalsIgnoreCase("udp")) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code sip:127.0.0.1:port}, with the transport when not UDP. */
    String uri() {
        return "sip:127.0.0.1:" + port + (transport.equalsIgnoreCase("udp") ? "" : ";transport=" + transport.toLowerCase());
    }

    /** The statuses each INVITE gets, in order; none final: held until CANCEL. */
    void answerInvitesWith(Function<Request, List<Integer>> script) {
        this.script = script;
    }

    /** Sends each 2xx to an INVITE twice, the second time without its transaction, as a UAS retransmits it. */
    void repeat2xx() {
        this.repeat2xx = true;
    }

    /** A new out-of-dialog INVITE to {@code requestUri}, routed to {@code proxyPort}. */
    Request invite(String requestUri, int proxyPort, String... extraHeaders) throws Exception {
        Request invite = request(Request.INVITE, requestUri, UUID.randomUUID().toString(), Long.toHexString(System.nanoTime()),
                null, 1);
        SipURI route = addresses.createSipURI(null, "127.0.0.1");
        route.setPort(proxyPort);
        route.setLrParam();
        route.setTransportParam(transport);
        invite.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        for (String line : extraHeaders) {
            int colon = line.indexOf(':');
            invite.setHeader(headers.createHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return invite;
    }

    /** The same call's next INVITE (CSeq + 1), with extra headers. */
    Request reinvite(Request previous, String... extraHeaders) throws Exception {
        Request next = (Request) previous.clone();
        next.removeHeader(ViaHeader.NAME);
        next.addHeader(headers.createViaHeader("127.0.0.1", port, transport, null));
        ((CSeqHeader) next.getHeader(CSeqHeader.NAME)).setSeqNumber(
                ((CSeqHeader) previous.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1);
        for (String line : extraHeaders) {
            int colon = line.indexOf(':');
            next.setHeader(headers.createHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return next;
    }

    private Request request(String method, String requestUri, String callId, String fromTag, String toTagValue, long cseq)
            throws Exception {
        SipURI from = addresses.createSipURI("caller", "127.0.0.1");
        List<ViaHeader> vias = new ArrayList<>();
        vias.add(headers.createViaHeader("127.0.0.1", port, transport, null));
        Request request = messages.createRequest(addresses.createURI(requestUri), method,
                headers.createCallIdHeader(callId), headers.createCSeqHeader(cseq, method),
                headers.createFromHeader(addresses.createAddress(from), fromTag),
                headers.createToHeader(addresses.createAddress(addresses.createURI(requestUri)), toTagValue), vias,
                headers.createMaxForwardsHeader(70));
        SipURI contact = addresses.createSipURI("caller", "127.0.0.1");
        contact.setPort(port);
        contact.setTransportParam(transport);
        request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        return request;
    }

    /** Sends {@code request} on a new client transaction. */
    ClientTransaction send(Request request) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        tx.sendRequest();
        return tx;
    }

    /** Sends a CANCEL for the INVITE of {@code invite}. */
    void cancel(ClientTransaction invite) throws Exception {
        provider.getNewClientTransaction(invite.createCancel()).sendRequest();
    }

    /**
     * An in-dialog request (ACK or BYE) after {@code ok}, the 2xx to {@code invite}: to the 2xx's
     * Contact, through its Record-Route reversed (RFC 3261 12.1.2), with its To-tag.
     */
    Request inDialog(String method, Request invite, Response ok) throws Exception {
        long cseq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request request = (Request) invite.clone();
        request.setMethod(method);
        request.setRequestURI(((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI());
        request.removeHeader(ViaHeader.NAME);
        request.addHeader(headers.createViaHeader("127.0.0.1", port, transport, null));
        request.removeHeader(RouteHeader.NAME);
        request.removeHeader("Proxy-Authorization");
        request.setHeader(ok.getHeader(ToHeader.NAME));
        request.setHeader(headers.createCSeqHeader(Request.ACK.equals(method) ? cseq : cseq + 1, method));
        List<Header> routes = new ArrayList<>();
        for (ListIterator<Header> it = ok.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
            routes.add(headers.createRouteHeader(((RecordRouteHeader) it.next()).getAddress()));
        }
        Collections.reverse(routes);
        for (Header route : routes) {
            request.addHeader(route);
        }
        return request;
    }

    /** Sends an ACK for a 2xx statelessly, as a UAC core does. */
    void sendStateless(Request request) throws Exception {
        provider.sendRequest(request);
    }

    /** The next response with {@code status}, skipping others; fails after the wait. */
    Response awaitResponse(int status) throws InterruptedException {
        return awaitResponse(r -> r.getStatusCode() == status, "no " + status + " response");
    }

    /** The next response, whatever its status, skipping 100 Trying; fails after the wait. */
    Response awaitResponse() throws InterruptedException {
        return awaitResponse(r -> r.getStatusCode() != Response.TRYING, "no response");
    }

    /** The next final response (>= 200), whatever its status. */
    Response awaitFinal() throws InterruptedException {
        return awaitResponse(r -> r.getStatusCode() >= 200, "no final response");
    }

    private Response awaitResponse(java.util.function.Predicate<Response> wanted, String failure)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            Response r = responses.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError(failure + " within " + WAIT_MILLIS + " ms");
            }
            if (wanted.test(r)) {
                return r;
            }
        }
    }

    /** The next request received with {@code method}, skipping others; fails after the wait. */
    Request awaitRequest(String method) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            Request r = requests.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no " + method + " within " + WAIT_MILLIS + " ms");
            }
            if (r.getMethod().equals(method)) {
                return r;
            }
        }
    }

    /** Answers every INVITE held so far (see {@link #answerInvitesWith}) with the final {@code status}. */
    void answerHeld(int status) throws Exception {
        for (String branch : List.copyOf(heldInvites.keySet())) {
            ServerTransaction held = heldInvites.remove(branch);
            if (held != null) {
                listener.respond(held, status);
            }
        }
    }

    /** Requests received and not yet awaited. */
    List<Request> receivedSoFar() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        stack.stop();
    }

    private final class Listener implements QuietSipListener {
        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            requests.add(request);
            try {
                switch (request.getMethod()) {
                    case Request.ACK -> { }
                    case Request.INVITE -> answerInvite(event);
                    case Request.CANCEL -> {
                        ServerTransaction cancel = transaction(event);
                        cancel.sendResponse(messages.createResponse(Response.OK, request));
                        ServerTransaction held = heldInvites.remove(branchOf(request));
                        if (held != null) {
                            held.sendResponse(withTag(messages.createResponse(Response.REQUEST_TERMINATED, held.getRequest())));
                        }
                    }
                    default -> transaction(event).sendResponse(withTag(messages.createResponse(Response.OK, request)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void answerInvite(RequestEvent event) throws Exception {
            Request request = event.getRequest();
            ServerTransaction tx = transaction(event);
            boolean finalSent = false;
            for (int status : script.apply(request)) {
                respond(tx, status);
                finalSent |= status >= 200;
            }
            if (!finalSent) {
                heldInvites.put(branchOf(request), tx);
            }
        }

        private void respond(ServerTransaction tx, int status) throws Exception {
            Request request = tx.getRequest();
            Response response = withTag(messages.createResponse(status, request));
            if (status / 100 == 2 && response.getHeader(RecordRouteHeader.NAME) == null) {
                for (ListIterator<Header> it = request.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
                    response.addHeader((Header) it.next().clone());
                }
            }
            if (status / 100 == 2) {
                SipURI contact = addresses.createSipURI("callee", "127.0.0.1");
                contact.setPort(port);
                contact.setTransportParam(transport);
                response.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
            }
            tx.sendResponse(response);
            if (repeat2xx && status / 100 == 2) {
                provider.sendResponse((Response) response.clone());
            }
        }

        private ServerTransaction transaction(RequestEvent event) throws Exception {
            return event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(event.getRequest());
        }

        private Response withTag(Response response) throws Exception {
            if (response.getHeader(ToHeader.NAME) instanceof ToHeader to && to.getTag() == null) {
                to.setTag(toTag);
            }
            return response;
        }

        private String branchOf(Request request) {
            return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch();
        }

        @Override
        public void processResponse(ResponseEvent event) {
            responses.add(event.getResponse());
        }
    }
}
