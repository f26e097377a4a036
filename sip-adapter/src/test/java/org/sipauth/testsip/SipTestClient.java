package org.sipauth.testsip;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.jainsip.NoopServerLogger;
import org.sipauth.jainsip.Slf4jStackLogger;

/**
 * A JAIN-SIP user agent client on loopback for integration tests: sends INVITEs to a server
 * address through a Route header and returns the final response. One instance per transport.
 */
public final class SipTestClient implements AutoCloseable {

    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final long TIMEOUT_MILLIS = 10_000;

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final String transport;
    private final int localPort;
    private final int serverPort;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final BlockingQueue<Response> finals = new LinkedBlockingQueue<>();

    public SipTestClient(String transport, int serverPort) throws Exception {
        this.transport = transport;
        this.serverPort = serverPort;
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "test-uac-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoopServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        stack = new SipStackImpl(p);
        SipFactory factory = SipFactory.getInstance();
        messages = factory.createMessageFactory();
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        int port = freePort(transport);
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, transport);
        localPort = lp.getPort();
        provider = stack.createSipProvider(lp);
        provider.addSipListener(new Listener());
        stack.start();
    }

    private static int freePort(String transport) throws IOException {
        if (transport.equalsIgnoreCase("udp")) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A call: one Call-ID, a CSeq that grows with each INVITE sent in it. */
    public Call newCall(String requestUri) {
        return new Call(requestUri);
    }

    public final class Call {
        final String requestUri;
        final String callId = UUID.randomUUID().toString();
        final String fromTag = Long.toHexString(System.nanoTime());
        long cseq = 0;

        Call(String requestUri) {
            this.requestUri = requestUri;
        }

        /** INVITE with the given extra headers ("Name: value"); returns the final response, ACKing a 2xx. */
        public Response invite(String... extraHeaders) throws Exception {
            Request invite = build(Request.INVITE, ++cseq, extraHeaders);
            ClientTransaction tx = provider.getNewClientTransaction(invite);
            tx.sendRequest();
            Response response = finals.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (response == null) {
                throw new AssertionError("no final response to INVITE within " + TIMEOUT_MILLIS + " ms");
            }
            if (response.getStatusCode() / 100 == 2) {
                Request ack = build(Request.ACK, cseq);
                ack.setHeader(response.getHeader("To"));
                provider.sendRequest(ack);
            }
            return response;
        }

        /** Builds a request of this call (Route to the server, fresh Via branch at send time). */
        public Request build(String method, long number, String... extraHeaders) throws Exception {
            URI uri = addresses.createURI(requestUri);
            SipURI fromUri = addresses.createSipURI("caller", "127.0.0.1");
            Address from = addresses.createAddress(fromUri);
            Address to = addresses.createAddress(uri);
            List<ViaHeader> vias = new ArrayList<>();
            vias.add(headers.createViaHeader("127.0.0.1", localPort, transport, null));
            CallIdHeader callIdHeader = headers.createCallIdHeader(callId);
            CSeqHeader cseqHeader = headers.createCSeqHeader(number, method);
            Request request = messages.createRequest(uri, method, callIdHeader, cseqHeader,
                    headers.createFromHeader(from, fromTag), headers.createToHeader(to, null), vias,
                    headers.createMaxForwardsHeader(70));
            SipURI contact = addresses.createSipURI("caller", "127.0.0.1");
            contact.setPort(localPort);
            request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
            SipURI route = addresses.createSipURI(null, "127.0.0.1");
            route.setPort(serverPort);
            route.setLrParam();
            route.setTransportParam(transport);
            request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
            for (String line : extraHeaders) {
                int colon = line.indexOf(':');
                request.addHeader(headers.createHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
            return request;
        }
    }

    @Override
    public void close() {
        stack.stop();
    }

    private final class Listener implements QuietSipListener {
        @Override
        public void processResponse(ResponseEvent event) {
            if (event.getResponse().getStatusCode() >= 200) {
                finals.add(event.getResponse());
            }
        }
    }
}
