package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri's UDP message processor with a bounded, shedding receive queue.
 *
 * <p>The RI parks every received datagram, in a buffer of the full maximum message size, on an
 * unbounded queue; under overload the queue and the transactions behind stale messages fill the
 * heap (measured: 2 GB full, back-to-back full GCs, no recovery). Here the receiving thread copies
 * each datagram into an array of its own length and queues it only while fewer than
 * {@code softCapacity} messages wait; requests that end or confirm work already under way (ACK,
 * CANCEL, BYE, PRACK) and responses may use the room up to {@code 2 x softCapacity}, because dropping
 * them keeps server transactions alive (an unacknowledged 401 lives 32 s and is retransmitted).
 * What does not fit is dropped; a UDP client retransmits it.
 */
final class SheddingUdpMessageProcessor extends UDPMessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(SheddingUdpMessageProcessor.class);
    /** Leading bytes of messages that free or confirm state rather than create it. */
    private static final byte[][] PRIORITY_PREFIXES = {
        "ACK ".getBytes(), "CANCEL ".getBytes(), "BYE ".getBytes(), "PRACK ".getBytes(), "SIP/".getBytes()
    };
    private static final long DROP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final int softCapacity;
    private final int receiveBufferSize;
    private final AtomicLong dropped = new AtomicLong();
    private long droppedAtLastLog;
    private long lastDropLogNanos;

    SheddingUdpMessageProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port, int softCapacity)
            throws IOException {
        super(ipAddress, sipStack, port);
        if (softCapacity < 1) {
            throw new IllegalArgumentException("UDP queue capacity must be positive: " + softCapacity);
        }
        this.softCapacity = softCapacity;
        int maxMessageSize = sipStack.getMaxMessageSize();
        this.receiveBufferSize = maxMessageSize > 0 && maxMessageSize < SipStackImpl.MAX_DATAGRAM_SIZE
                ? maxMessageSize : SipStackImpl.MAX_DATAGRAM_SIZE;
        // The superclass built an unbounded queue and an auditor watching it: replace both.
        this.messageQueue = new LinkedBlockingQueue<>(2 * softCapacity);
        if (congestionAuditor != null) {
            congestionAuditor.stop();
            congestionAuditor = new BlockingQueueDispatchAuditor(messageQueue);
            congestionAuditor.setTimeout(sipStack.getStackCongestionControlTimeout());
            congestionAuditor.start(Math.max(100, Math.min(2000, sipStack.getStackCongestionControlTimeout() / 2)));
        }
    }

    /** Datagrams dropped because the queue was full, since start. */
    long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public void run() {
        this.messageChannels = new LinkedList();
        String stackName = ((SipStackImpl) sipStack).getStackName();
        for (int i = 0; i < sipStack.threadPoolSize; i++) {
            messageChannels.add(new UDPMessageChannel(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
        }
        byte[] buffer = new byte[receiveBufferSize];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                packet.setData(buffer, 0, buffer.length);
                sock.receive(packet);
                int length = packet.getLength();
                if (!admits(buffer, length)) {
                    noteDrop();
                    continue;
                }
                DatagramPacket copy = new DatagramPacket(Arrays.copyOf(buffer, length), length,
                        packet.getAddress(), packet.getPort());
                if (!messageQueue.offer(new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis()))) {
                    noteDrop();
                }
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                LOG.warn("UDP receive on port {} failed: {}", getPort(), e.toString());
            } catch (IOException | RuntimeException e) {
                LOG.warn("UDP receive on port {} failed: {}", getPort(), e.toString());
            }
        }
    }

    /** Below the soft capacity everything is queued; above it only messages that free or confirm state. */
    private boolean admits(byte[] datagram, int length) {
        if (messageQueue.size() < softCapacity) {
            return true;
        }
        for (byte[] prefix : PRIORITY_PREFIXES) {
            if (length >= prefix.length && Arrays.equals(datagram, 0, prefix.length, prefix, 0, prefix.length)) {
                return true;
            }
        }
        return false;
    }

    /** Counts a drop and logs the count at most once per 10 s (only the receiving thread calls this). */
    private void noteDrop() {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (lastDropLogNanos == 0 || now - lastDropLogNanos >= DROP_LOG_INTERVAL_NANOS) {
            LOG.warn("UDP receive queue full on port {}: {} datagrams dropped ({} since start)",
                    getPort(), total - droppedAtLastLog, total);
            droppedAtLastLog = total;
            lastDropLogNanos = now;
        }
    }
}
