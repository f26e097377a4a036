package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.testing.Await;
import org.sipauth.jainsip.SipStackDefaults;
import org.sipauth.testsip.QuietSipListener;
import org.sipauth.testsip.RawSip;

/**
 * The TCP limits on a real jain-sip-ri stack over loopback sockets: header block and body caps,
 * idle and message timeouts, and the connection limits per source and in all. The application
 * answers every INVITE 486, so "served" means a 486 came back on the connection. A second source
 * is 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
class TcpLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String SOURCE = "127.0.0.1";
    private static final String OTHER_SOURCE = "127.0.0.2";
    private static final String THIRD_SOURCE = "127.0.0.3";

    private SipStackImpl stack;
    private LimitedTcpMessageProcessor processor;
    private int port;
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // test cleanup
            }
        }
        if (stack != null) {
            stack.stop();
        }
    }

    private void start(String... overrides) throws Exception {
        Properties p = SipStackDefaults.properties("tcp-limits-it-" + System.nanoTime());
        for (int i = 0; i < overrides.length; i += 2) {
            p.setProperty(overrides[i], overrides[i + 1]);
        }
        stack = new SipStackImpl(p);
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(SOURCE))) {
            port = probe.getLocalPort(); // the RI rejects port 0
        }
        ListeningPoint point = stack.createListeningPoint(SOURCE, port, ListeningPoint.TCP);
        SipProvider provider = stack.createSipProvider(point);
        provider.addSipListener(new Busy());
        stack.start();
        processor = (LimitedTcpMessageProcessor) stack.getMessageProcessors()[0];
    }

    // ---- the header block and the body

    @Test
    void headerLinesWithoutEnd_closeTheConnectionAfterTheLimit_andNothingIsRetained() throws Exception {
        start();
        Socket attacker = new Socket();
        attacker.setSendBufferSize(64 * 1024);
        attacker.bind(new InetSocketAddress(SOURCE, 0));
        attacker.connect(new InetSocketAddress(SOURCE, port), 5000);
        clients.add(attacker);
        byte[] lines = "X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .repeat(80).getBytes(StandardCharsets.ISO_8859_1);
        long limit = 16L * 1024 * 1024;
        long written = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            OutputStream out = attacker.getOutputStream();
            out.write("INVITE sip:bob@trunk.example.com SIP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long total = 0;
            try {
                while (total < limit) {
                    out.write(lines);
                    total += lines.length;
                }
            } catch (IOException closedByServer) {
                return total;
            }
            return total;
        });
        // Before: jain-sip-ri read 210 MB in 2 s on one connection. Now it reads the 8 KiB limit and
        // up to 16 KiB more while closing; the rest of what the client could write sat in the two
        // kernel socket buffers.
        assertTrue(written < 2 * 1024 * 1024, "the server took " + written + " bytes without closing");
        Await.until(WAIT, () -> processor.openConnections() == 0, () -> "every connection released; open: " + processor.openConnections());
        assertTrue(processor.incomingMessageChannels.isEmpty(), "the channel is released");
        assertEquals(1, processor.closures(LimitedTcpMessageProcessor.Closure.HEADERS_TOO_LARGE));
        assertServed(served(OTHER_SOURCE));
    }

    @Test
    void headerBlockOverTheLimit_isAnswered513_andTheConnectionClosed() throws Exception {
        start();
        Socket client = connect(SOURCE);
        String branch = UUID.randomUUID().toString();
        String request = invite(client, branch, "").replace("Contact:", "X-Long: " + "a".repeat(9000) + "\r\nContact:");
        client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        String reply = readHead(client.getInputStream());
        assertTrue(reply.startsWith("SIP/2.0 513 Message Too Large\r\n"), reply);
        assertTrue(reply.contains(";branch=z9hG4bK" + branch), reply);
        assertTrue(closedWithin(client, 5000) >= 0, "closed after the answer");
    }

    @Test
    void bodyOverTheLimit_isAnswered413_withoutBeingRead() throws Exception {
        start(SipauthTcpLimits.MAX_BODY_SIZE, "4096");
        Socket client = connect(SOURCE);
        String body = "v=0\r\n".repeat(1000); // 5,000 bytes
        client.getOutputStream().write(invite(client, "b413", body).getBytes(StandardCharsets.ISO_8859_1));
        String reply = readHead(client.getInputStream());
        assertTrue(reply.startsWith("SIP/2.0 413 Request Entity Too Large\r\n"), reply);
        assertTrue(closedWithin(client, 5000) >= 0, "closed after the answer");
        assertEquals(1, processor.closures(LimitedTcpMessageProcessor.Closure.BODY_TOO_LARGE));
    }

    @Test
    void messagesWithBodies_pipelinedOnOneConnection_areEachServed() throws Exception {
        start();
        Socket client = connect(SOURCE);
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        String two = invite(client, "p1", sdp) + "\r\n\r\n" + invite(client, "p2", sdp);
        client.getOutputStream().write(two.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = client.getInputStream();
        String first = readHead(in);
        String second = readHead(in); // after the keep-alive's pong
        assertTrue(first.startsWith("SIP/2.0 486") && first.contains("branch=z9hG4bKp1"), first);
        assertTrue(second.startsWith("SIP/2.0 486") && second.contains("branch=z9hG4bKp2"), second);
    }

    // ---- timeouts

    @Test
    void silentConnection_isClosedAfterTheIdleTimeout_whileKeepAlivesHoldAnotherOpen() throws Exception {
        start(SipauthTcpLimits.IDLE_TIMEOUT, "1500");
        Socket silent = connect(SOURCE);
        Socket pinging = connect(SOURCE);
        long opened = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            ping(pinging); // 8 x 300 ms: well past the idle timeout, with a keep-alive every 300 ms
            pace(300);
        }
        long silentFor = closedWithin(silent, 0);
        assertTrue(silentFor >= 0, "the silent connection is closed");
        ping(pinging);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened) >= 2400);
        long idleFor = closedWithin(pinging, 5000);
        assertTrue(idleFor >= 0, "closed once the keep-alives stopped");
        assertTrue(idleFor >= 1300, "closed after " + idleFor + " ms of silence, not before the timeout");
        assertEquals(2, processor.closures(LimitedTcpMessageProcessor.Closure.IDLE));
        assertServed(served(SOURCE));
    }

    @Test
    void messageDribbledSlowerThanTheMessageTimeout_isCutOff() throws Exception {
        start(SipauthTcpLimits.MESSAGE_TIMEOUT, "1000", SipauthTcpLimits.IDLE_TIMEOUT, "60000");
        Socket client = connect(SOURCE);
        byte[] request = invite(client, "slow", "").getBytes(StandardCharsets.ISO_8859_1);
        OutputStream out = client.getOutputStream();
        long start = System.nanoTime();
        int sent = 0;
        try {
            // one byte every 100 ms: each read is quick, the message as a whole is not
            while (sent < request.length && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                out.write(request[sent++]);
                out.flush();
                pace(100);
            }
        } catch (IOException closed) {
            // expected: the server closed the connection
        }
        assertTrue(closedWithin(client, 5000) >= 0, "closed");
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(sent < request.length, "cut off after " + sent + " of " + request.length + " bytes");
        assertTrue(elapsed >= 900 && elapsed < 5000, "cut off after " + elapsed + " ms");
        assertEquals(1, processor.closures(LimitedTcpMessageProcessor.Closure.MESSAGE_TIMEOUT));
    }

    @Test
    void peerThatNeverReads_isClosedAfterTheSendTimeout() throws Exception {
        start(SipauthTcpLimits.SEND_TIMEOUT, "1000");
        Socket client = new Socket();
        clients.add(client);
        client.setReceiveBufferSize(4096);
        client.bind(new InetSocketAddress(SOURCE, 0));
        client.connect(new InetSocketAddress(SOURCE, port), 5000);
        byte[] pings = "\r\n\r\n".repeat(4096).getBytes(StandardCharsets.ISO_8859_1);
        // Keep-alives without reading a single pong: the server's writes fill both socket buffers
        // and block; before the watchdog that blocked its reader, and held the connection, for ever.
        long written = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            OutputStream out = client.getOutputStream();
            long total = 0;
            try {
                while (total < 1L << 30) {
                    out.write(pings);
                    total += pings.length;
                }
            } catch (IOException closedByServer) {
                return total;
            }
            return total;
        });
        assertTrue(written < 1L << 30, "never closed");
        assertEquals(1, processor.closures(LimitedTcpMessageProcessor.Closure.SEND_TIMEOUT));
        Await.until(WAIT, () -> processor.openConnections() == 0, () -> "every connection released; open: " + processor.openConnections());
        assertServed(served(SOURCE));
    }

    // ---- connection limits

    @Test
    void sourceOverItsLimit_isReset_whileItsHeldConnectionsAndAnotherSourceAreServed() throws Exception {
        start(SipauthTcpLimits.MAX_CONNECTIONS_PER_SOURCE, "16");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(connect(SOURCE));
        }
        for (Socket s : held) {
            ping(s); // admitted and read
        }
        assertEquals(16, processor.openConnections(InetAddress.getByName(SOURCE)));
        for (int i = 0; i < 50; i++) {
            Socket refused = connectUnlessReset(SOURCE);
            assertTrue(refused == null || closedWithin(refused, 5000) >= 0, "connection " + (17 + i) + " from one source");
        }
        assertEquals(50, processor.closures(LimitedTcpMessageProcessor.Closure.SOURCE_LIMIT));
        assertServed(served(OTHER_SOURCE));
        assertServed(served(held.get(0)));
    }

    @Test
    void atTheGlobalLimit_newConnectionsAreReset_notLeftWaiting_untilOneCloses() throws Exception {
        start("gov.nist.javax.sip.MAX_CONNECTIONS", "8", SipauthTcpLimits.MAX_CONNECTIONS_PER_SOURCE, "4");
        List<Socket> held = new ArrayList<>();
        for (String source : new String[] {SOURCE, OTHER_SOURCE}) {
            for (int i = 0; i < 4; i++) {
                Socket s = connect(source);
                ping(s);
                held.add(s);
            }
        }
        assertEquals(8, processor.openConnections());
        Socket third = connectUnlessReset(THIRD_SOURCE);
        assertTrue(third == null || closedWithin(third, 5000) >= 0, "reset at once; the RI would leave it in the backlog");
        assertEquals(1, processor.closures(LimitedTcpMessageProcessor.Closure.CONNECTION_LIMIT));
        held.get(7).close();
        Await.until(WAIT, () -> processor.openConnections() == 7, () -> "7 open connections; open: " + processor.openConnections());
        assertServed(served(THIRD_SOURCE));
    }

    /** The regression of the slowloris finding with sipauth's defaults: 2,048 connections from one host. */
    @Test
    void twoThousandHeldConnectionsFromOneHost_leaveTcpToEveryoneElse() throws Exception {
        // timeouts out of the way: this is about the connection limits alone
        start(SipauthTcpLimits.MESSAGE_TIMEOUT, "600000", SipauthTcpLimits.IDLE_TIMEOUT, "600000");
        for (int i = 0; i < 2048; i++) {
            Socket s = connectUnlessReset(SOURCE);
            if (s != null && i % 2 == 0) {
                // half of them start a request and stop (slowloris), half say nothing
                try {
                    s.getOutputStream().write("INVITE sip:bob@trunk.example.com SIP/2.0\r\nVia: SIP/2.0/TCP h"
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException reset) {
                    // one of those over the limit, already reset
                }
            }
        }
        Await.until(WAIT, () -> processor.closures(LimitedTcpMessageProcessor.Closure.SOURCE_LIMIT)
                == 2048 - SipauthTcpLimits.DEFAULT_MAX_CONNECTIONS_PER_SOURCE, () -> "every connection over the source limit closed; closed: "
                + processor.closures(LimitedTcpMessageProcessor.Closure.SOURCE_LIMIT));
        assertEquals(SipauthTcpLimits.DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
                processor.openConnections(InetAddress.getByName(SOURCE)));
        for (int i = 0; i < 6; i++) {
            assertServed(served(OTHER_SOURCE));
        }
    }

    // ---- helpers

    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(SOURCE, port), 5000);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** {@link #connect}, or null when the server resets the connection before connect() returns. */
    private Socket connectUnlessReset(String source) throws IOException {
        try {
            return connect(source);
        } catch (SocketException reset) {
            return null;
        }
    }

    private static String invite(Socket client, String branch, String body) throws IOException {
        return RawSip.template("/sip/invite-tcp.sip", Map.of(
                "clientHost", client.getLocalAddress().getHostAddress(),
                "clientPort", Integer.toString(client.getLocalPort()),
                "branch", branch, "callId", UUID.randomUUID().toString(),
                "contentLength", Integer.toString(body.length()))) + body;
    }

    /** Sends an INVITE from a new connection from {@code source}; the status line of the answer. */
    private String served(String source) throws IOException {
        return served(connect(source));
    }

    private static String served(Socket client) throws IOException {
        client.getOutputStream().write(invite(client, UUID.randomUUID().toString(), "")
                .getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead(client.getInputStream());
        return head.substring(0, Math.max(0, head.indexOf("\r\n")));
    }

    private static void assertServed(String statusLine) {
        assertTrue(statusLine.startsWith("SIP/2.0 486 "), "not served: " + statusLine);
    }

    /** Sends an RFC 5626 keep-alive and waits for its pong. */
    private static void ping(Socket client) throws IOException {
        client.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = client.getInputStream();
        assertEquals('\r', in.read(), "pong");
        assertEquals('\n', in.read(), "pong");
    }

    /**
     * Reads until the server closes {@code client}: the ms that took, or -1 if it is still open
     * after {@code timeoutMillis} more (0: the socket's own timeout). A reset counts as closed.
     */
    private static long closedWithin(Socket client, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        if (timeoutMillis > 0) {
            client.setSoTimeout(timeoutMillis);
        }
        try {
            InputStream in = client.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // whatever was still on its way
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (SocketException reset) {
            // closed by a reset
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The start line and headers of the next message on a stream (after any pongs), or what came before its end. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (text.length() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            text.append((char) b);
            if (text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return text.toString();
    }

    /** Spaces out what a client sends; not a wait for the server. */
    private static void pace(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** Answers every INVITE 486. */
    private static final class Busy implements QuietSipListener {
        private final MessageFactoryImpl messages = new MessageFactoryImpl();

        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            if (!Request.INVITE.equals(request.getMethod())) {
                return;
            }
            try {
                ((SipProvider) event.getSource()).getNewServerTransaction(request)
                        .sendResponse(messages.createResponse(486, request));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

    }
}
