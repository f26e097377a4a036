package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.testing.Await;
import org.sipauth.jainsip.OverloadValve;
import org.sipauth.jainsip.SipStackDefaults;
import org.sipauth.testsip.QuietSipListener;
import org.sipauth.testsip.RawSip;

/**
 * Overload protection on a real jain-sip-ri stack and real UDP sockets: the bounded receive queue of
 * {@link SheddingUdpMessageProcessor} and the transaction limit of {@link OverloadValve}.
 */
class UdpOverloadIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SipStackImpl stack;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean blockInvites;
    private volatile boolean keepTransactions;

    @AfterEach
    void stop() {
        release.countDown();
        if (stack != null) {
            stack.stop();
        }
    }

    private int start(Properties overrides) throws Exception {
        Properties p = SipStackDefaults.properties("overload-it-" + System.nanoTime());
        p.putAll(overrides);
        stack = new SipStackImpl(p);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // the RI rejects port 0
        }
        ListeningPoint point = stack.createListeningPoint("127.0.0.1", port, "udp");
        SipProvider provider = stack.createSipProvider(point);
        provider.addSipListener(new Recorder());
        stack.start();
        return point.getPort();
    }

    /**
     * Two SO_REUSEPORT sockets on one port: the kernel spreads peers over them by their address and
     * port, both readers feed the one queue, and every peer is served.
     */
    @Test
    void twoReaders_shareThePort_andServeEveryPeer() throws Exception {
        int port = start(props(SipauthMessageProcessorFactory.UDP_READERS, "2"));
        SheddingUdpMessageProcessor processor = (SheddingUdpMessageProcessor) stack.getMessageProcessors()[0];
        assertEquals(2, processor.readers());
        int peers = 40;
        List<RawSip> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < peers; i++) {
                RawSip client = new RawSip();
                clients.add(client);
                client.send(invite(client.localPort(), "z9hG4bK-peer-" + i), port);
            }
            Await.until(WAIT, () -> count("INVITE") == peers, () -> "an INVITE from every peer; seen " + count("INVITE") + " of " + peers);
            assertTrue(processor.received(0) > 0 && processor.received(1) > 0,
                    "both sockets received: " + processor.received(0) + " / " + processor.received(1));
            assertEquals(peers, processor.received(0) + processor.received(1));
        } finally {
            clients.forEach(RawSip::close);
        }
    }

    @Test
    void fullQueue_dropsNewRequests_butStillAdmitsAcks() throws Exception {
        blockInvites = true;
        int port = start(props("gov.nist.javax.sip.THREAD_POOL_SIZE", "2",
                SipauthMessageProcessorFactory.UDP_QUEUE_CAPACITY, "4"));
        SheddingUdpMessageProcessor processor = (SheddingUdpMessageProcessor) stack.getMessageProcessors()[0];
        int invites = 30;
        try (RawSip client = new RawSip()) {
            for (int i = 0; i < invites; i++) {
                client.send(invite(client.localPort(), "z9hG4bK-inv-" + i), port);
            }
            // Both workers hold an INVITE, the queue holds 4: at least 30 - 6 are dropped on receipt.
            Await.until(WAIT, () -> processor.droppedDatagrams() >= invites - 6, () -> "at least " + (invites - 6) + " datagrams dropped; dropped " + processor.droppedDatagrams());
            for (int i = 0; i < 3; i++) {
                client.send(ack(client.localPort(), "z9hG4bK-ack-" + i), port);
            }
            long dropped = processor.droppedDatagrams();
            // Two INVITEs sit in the blocked workers; the rest of the admitted ones and the ACKs queue.
            Await.until(WAIT, () -> processor.messageQueue.size() == invites - dropped - 2 + 3, () -> (invites - dropped - 2 + 3) + " queued messages; queued " + processor.messageQueue.size());
            release.countDown();
            Await.until(WAIT, () -> count("ACK") == 3 && count("INVITE") + dropped == invites, () -> "3 ACKs and " + (invites - dropped) + " INVITEs handled; " + count("ACK") + " and " + count("INVITE"));
            assertTrue(count("INVITE") >= 4 && count("INVITE") <= 6, "INVITEs handled: " + count("INVITE"));
            assertEquals(invites, count("INVITE") + processor.droppedDatagrams(), "no ACK was dropped");
        }
    }

    @Test
    void transactionLimit_answers503WithRetryAfter_andLetsAcksThrough() throws Exception {
        keepTransactions = true;
        int port = start(props("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "2"));
        try (RawSip client = new RawSip()) {
            for (int i = 0; i < 2; i++) {
                client.send(invite(client.localPort(), "z9hG4bK-kept-" + i), port);
            }
            Await.until(WAIT, () -> stack.getServerTransactionTableSize() == 2, () -> "2 server transactions; " + stack.getServerTransactionTableSize());
            client.send(invite(client.localPort(), "z9hG4bK-shed"), port);
            String reply = client.receiveFinal(5000);
            assertNotNull(reply, "no answer to the INVITE over the limit");
            assertTrue(reply.startsWith("SIP/2.0 503 "), reply);
            assertTrue(reply.contains("Retry-After: " + OverloadValve.RETRY_AFTER_SECONDS + "\r\n"), reply);
            assertTrue(reply.matches("(?s).*\r\nTo: [^\r]*;tag=[0-9a-f]{16}\r\n.*"), reply);
            assertTrue(reply.contains("branch=z9hG4bK-shed"), reply);
            client.send(ack(client.localPort(), "z9hG4bK-ack"), port);
            Await.until(WAIT, () -> count("ACK") == 1, () -> "the ACK handled; ACKs: " + count("ACK"));
            assertEquals(2, count("INVITE"), "the shed INVITE never reached the application");
        }
    }

    private long count(String method) {
        return seen.stream().filter(method::equals).count();
    }

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    private static String invite(int clientPort, String branch) {
        return request("INVITE", clientPort, branch, "");
    }

    private static String ack(int clientPort, String branch) {
        return request("ACK", clientPort, branch, ";tag=peer");
    }

    private static String request(String method, int clientPort, String branch, String toTag) {
        return method + " sip:alice@overload.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + clientPort + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bob@client.test>;tag=c1\r\n"
                + "To: <sip:alice@overload.test>" + toTag + "\r\n"
                + "Call-ID: " + branch + "@client.test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:bob@127.0.0.1:" + clientPort + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private final class Recorder implements QuietSipListener {
        @Override
        public void processRequest(RequestEvent event) {
            String method = event.getRequest().getMethod();
            try {
                if (Request.INVITE.equals(method) && keepTransactions) {
                    // A transaction with no final response stays in the table.
                    ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
                }
                if (Request.INVITE.equals(method) && blockInvites) {
                    release.await(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                seen.add(method);
            }
        }

    }
}
