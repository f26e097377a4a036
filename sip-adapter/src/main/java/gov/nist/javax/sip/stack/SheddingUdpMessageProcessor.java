package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

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
 *
 * <p>The queue has one lane per worker thread, chosen by Call-ID ({@link DialogOrderedQueue}): the
 * messages of one call are handled in the order they arrived, by one thread.
 *
 * <p>With {@code readers > 1} the port is served by that many sockets bound with
 * {@code SO_REUSEPORT}, each read by its own thread into the one queue: the kernel spreads
 * datagrams over the sockets by a hash of the sender's address and port, so many peers spread
 * over the readers, while one peer (a single SBC or trunk address) stays on one of them. Responses
 * leave from the first socket (same address and port).
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
    private final DatagramSocket[] sockets;
    private final AtomicLongArray receivedPerReader;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final DialogOrderedQueue lanes;
    private final ScheduledExecutorService staleReaper;
    private final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private volatile long droppedAtLastLog;

    SheddingUdpMessageProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port, int softCapacity,
                                int readers) throws IOException {
        super(ipAddress, sipStack, port);
        if (softCapacity < 1) {
            throw new IllegalArgumentException("UDP queue capacity must be positive: " + softCapacity);
        }
        if (readers < 1) {
            throw new IllegalArgumentException("UDP readers must be positive: " + readers);
        }
        this.softCapacity = softCapacity;
        this.sockets = readers == 1 ? new DatagramSocket[] {sock} : reusePortSockets(readers);
        this.sock = sockets[0];
        this.receivedPerReader = new AtomicLongArray(readers);
        int maxMessageSize = sipStack.getMaxMessageSize();
        this.receiveBufferSize = maxMessageSize > 0 && maxMessageSize < SipStackImpl.MAX_DATAGRAM_SIZE
                ? maxMessageSize : SipStackImpl.MAX_DATAGRAM_SIZE;
        // The superclass built an unbounded queue and an auditor watching it: replace both.
        this.lanes = new DialogOrderedQueue(Math.max(1, sipStack.threadPoolSize), 2 * softCapacity);
        this.messageQueue = lanes;
        int staleAfterMillis = sipStack.getStackCongestionControlTimeout();
        if (congestionAuditor != null) {
            congestionAuditor.stop();
            congestionAuditor = null;
        }
        this.staleReaper = staleAfterMillis > 0 ? startStaleReaper(staleAfterMillis) : null;
    }

    /**
     * Drops datagrams that waited longer than {@code staleAfterMillis} in the queue (the RI's
     * congestion control): their sender has retransmitted them or given up by then.
     */
    private ScheduledExecutorService startStaleReaper(int staleAfterMillis) {
        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sipauth-udp-stale-reaper-" + getPort());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(2000, staleAfterMillis / 2));
        long[] loggedAt = {System.nanoTime() - DROP_LOG_INTERVAL_NANOS, 0}; // nanos, count: the reaper's thread only
        reaper.scheduleWithFixedDelay(() -> {
            long total = stale.addAndGet(lanes.dropReceivedBefore(System.currentTimeMillis() - staleAfterMillis));
            long now = System.nanoTime();
            if (total > loggedAt[1] && now - loggedAt[0] >= DROP_LOG_INTERVAL_NANOS) {
                LOG.warn("UDP receive queue on port {}: {} datagrams waited over {} ms and were dropped ({} since start)",
                        getPort(), total - loggedAt[1], staleAfterMillis, total);
                loggedAt[0] = now;
                loggedAt[1] = total;
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return reaper;
    }

    /** Datagrams dropped because they waited in the queue longer than the congestion timeout, since start. */
    long staleDatagrams() {
        return stale.get();
    }

    /**
     * Replaces the RI's socket by {@code readers} sockets bound to the same address with
     * {@code SO_REUSEPORT} (it must be set on every socket of the group before it binds).
     */
    private DatagramSocket[] reusePortSockets(int readers) throws IOException {
        InetSocketAddress bound = new InetSocketAddress(sock.getLocalAddress(), sock.getLocalPort());
        int receiveBuffer = sock.getReceiveBufferSize();
        int sendBuffer = sock.getSendBufferSize();
        sock.close();
        DatagramSocket[] group = new DatagramSocket[readers];
        try {
            for (int i = 0; i < readers; i++) {
                DatagramSocket socket = new DatagramSocket((SocketAddress) null);
                group[i] = socket;
                if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IOException("SO_REUSEPORT is not supported on this platform; use one UDP reader");
                }
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                socket.setReceiveBufferSize(receiveBuffer);
                socket.setSendBufferSize(sendBuffer);
                socket.bind(bound);
            }
        } catch (IOException | RuntimeException e) {
            for (DatagramSocket socket : group) {
                if (socket != null) {
                    socket.close();
                }
            }
            throw e;
        }
        return group;
    }

    /** Sockets (and reading threads) serving the port. */
    int readers() {
        return sockets.length;
    }

    /** Datagrams each reader received, since start. */
    long received(int reader) {
        return receivedPerReader.get(reader);
    }

    /** Datagrams dropped because the queue was full, since start. */
    long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public void start() throws IOException {
        super.start(); // the first reader: run()
        for (int i = 1; i < sockets.length; i++) {
            DatagramSocket socket = sockets[i];
            int index = i;
            Thread reader = new Thread(() -> receive(socket, index), "MessageProcessorThread-UDP-"
                    + getIpAddress().getHostAddress() + '/' + getPort() + '-' + i);
            reader.setDaemon(true);
            reader.setPriority(sipStack.getThreadPriority());
            reader.start();
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (staleReaper != null) {
            staleReaper.shutdownNow();
        }
        for (int i = 1; i < sockets.length; i++) {
            sockets[i].close();
        }
    }

    @Override
    public void run() {
        this.messageChannels = new LinkedList();
        String stackName = ((SipStackImpl) sipStack).getStackName();
        for (int i = 0; i < sipStack.threadPoolSize; i++) {
            messageChannels.add(new UDPMessageChannel(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
        }
        receive(sockets[0], 0);
    }

    /** One reader's loop: datagrams from {@code socket} into the shared queue until stopped. */
    private void receive(DatagramSocket socket, int index) {
        byte[] buffer = new byte[receiveBufferSize];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                packet.setData(buffer, 0, buffer.length);
                socket.receive(packet);
                receivedPerReader.incrementAndGet(index);
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

    /** Counts a drop and logs the count at most once per 10 s (any reader may call this). */
    private void noteDrop() {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLogNanos.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
            LOG.warn("UDP receive queue full on port {}: {} datagrams dropped ({} since start)",
                    getPort(), total - droppedAtLastLog, total);
            droppedAtLastLog = total;
        }
    }
}
