package gov.nist.javax.sip.stack;

import gov.nist.core.HostPort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri's TCP message processor with admission limits, whose connections are
 * {@link LimitedTcpMessageChannel}s.
 *
 * <p>Why: at {@code MAX_CONNECTIONS} the RI's accept loop stops accepting until a connection
 * closes, and nothing ever closes an idle one, so one host holding that many connections locked
 * every other client out (measured: 2,048 idle connections from one host, no TCP service for
 * anyone). Here every connection is accepted at once and then either admitted or reset: reset when
 * its source already holds {@code MAX_CONNECTIONS_PER_SOURCE}, or when {@code MAX_CONNECTIONS} are
 * open. The accept loop itself never waits.
 *
 * <p>A watchdog closes connections whose reader is stuck in one message or write for longer than
 * the send timeout: reads time out by themselves, but a write to a peer that does not read blocks
 * for ever.
 */
final class LimitedTcpMessageProcessor extends TCPMessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(LimitedTcpMessageProcessor.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Why a connection was refused or closed by a limit. */
    enum Closure {
        SOURCE_LIMIT, CONNECTION_LIMIT, HEADERS_TOO_LARGE, BODY_TOO_LARGE, MESSAGE_TIMEOUT, SEND_TIMEOUT, IDLE
    }

    private final SipauthTcpLimits limits;
    private final ConnectionAdmission admission;
    private final Map<Closure, AtomicLong> closures = new EnumMap<>(Closure.class);
    // guarded by closures
    private final Map<Closure, Long> loggedClosures = new EnumMap<>(Closure.class);
    // guarded by closures
    private long lastLogNanos;
    private ScheduledExecutorService watchdog;

    LimitedTcpMessageProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port, SipauthTcpLimits limits) {
        super(ipAddress, sipStack, port);
        this.limits = limits;
        this.admission = new ConnectionAdmission(limits.maxConnections, limits.maxConnectionsPerSource);
        for (Closure c : Closure.values()) {
            closures.put(c, new AtomicLong());
            loggedClosures.put(c, 0L);
        }
    }

    @Override
    public void start() throws IOException {
        super.start();
        String name = "TCPWatchdog-" + getIpAddress().getHostAddress() + '/' + getPort();
        watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(10, Math.min(1000, limits.sendTimeoutMillis / 4));
        watchdog.scheduleWithFixedDelay(this::closeStalled, tick, tick, TimeUnit.MILLISECONDS);
        LOG.debug("TCP on {}:{} with limits: {}", getIpAddress().getHostAddress(), getPort(), limits);
    }

    @Override
    public synchronized void stop() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        super.stop();
    }

    /** Closes every connection whose reader has been stuck longer than the send timeout. */
    private void closeStalled() {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(limits.sendTimeoutMillis);
        try {
            for (Map<String, ConnectionOrientedMessageChannel> channels : List.of(incomingMessageChannels, messageChannels)) {
                for (ConnectionOrientedMessageChannel channel : channels.values()) {
                    if (channel instanceof LimitedTcpMessageChannel limited && limited.closeIfStalled(now, limit)) {
                        note(Closure.SEND_TIMEOUT);
                    }
                }
            }
        } catch (RuntimeException e) {
            // a failing run must not end the schedule
            LOG.warn("TCP watchdog on port {} failed: {}", getPort(), e.toString());
        }
    }

    /** Accepts connections until stopped; never waits for a connection to close. */
    @Override
    public void run() {
        while (isRunning) {
            Socket socket;
            try {
                socket = sock.accept();
            } catch (IOException e) {
                if (!isRunning || sock.isClosed()) {
                    return;
                }
                LOG.warn("TCP accept on port {} failed: {}", getPort(), e.toString());
                pauseAfterAcceptFailure();
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        InetAddress peer = socket.getInetAddress();
        ConnectionAdmission.Verdict verdict = admission.admit(peer);
        if (verdict != ConnectionAdmission.Verdict.ADMITTED) {
            note(verdict == ConnectionAdmission.Verdict.SOURCE_FULL ? Closure.SOURCE_LIMIT : Closure.CONNECTION_LIMIT);
            reset(socket);
            return;
        }
        try {
            LimitedTcpMessageChannel channel = new LimitedTcpMessageChannel(socket, sipStack, this, limits);
            incomingMessageChannels.put(channel.getKey(), channel);
            channel.start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("TCP connection from {} could not be set up: {}", peer.getHostAddress(), e.toString());
            admission.release(peer);
            reset(socket);
        }
    }

    /** Closes with a reset (SO_LINGER 0): no answer is owed, and no TIME_WAIT state stays behind here. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed below all the same
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /**
     * Backs off briefly after a failed accept that is not a shutdown, such as running out of file
     * descriptors, which would otherwise fail again at once in a busy loop.
     */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives back the admission of an incoming connection from {@code peer} that has closed. */
    void release(InetAddress peer) {
        admission.release(peer);
    }

    /**
     * Counts a connection refused or closed by a limit and logs the counts at most once per 10 s;
     * idle closures are routine and only counted.
     */
    void note(Closure closure) {
        closures.get(closure).incrementAndGet();
        if (closure == Closure.IDLE) {
            return;
        }
        long now = System.nanoTime();
        synchronized (closures) {
            if (lastLogNanos != 0 && now - lastLogNanos < LOG_INTERVAL_NANOS) {
                return;
            }
            lastLogNanos = now;
            StringBuilder counts = new StringBuilder();
            for (Closure c : Closure.values()) {
                long total = closures.get(c).get();
                long since = total - loggedClosures.put(c, total);
                if (since > 0 && c != Closure.IDLE) {
                    counts.append(counts.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT)).append(' ').append(since);
                }
            }
            LOG.warn("TCP limits on port {}: connections refused or closed: {}; {} open", getPort(), counts,
                    admission.open());
        }
    }

    /** Connections refused or closed for {@code closure} since start. */
    long closures(Closure closure) {
        return closures.get(closure).get();
    }

    /** Incoming connections open now. */
    int openConnections() {
        return admission.open();
    }

    /** Incoming connections open now from the source of {@code peer}. */
    int openConnections(InetAddress peer) {
        return admission.open(peer);
    }

    @Override
    public synchronized MessageChannel createMessageChannel(HostPort targetHostPort) throws IOException {
        return outgoingChannel(MessageChannel.getKey(targetHostPort, "TCP"), targetHostPort.getInetAddress(),
                targetHostPort.getPort());
    }

    @Override
    public synchronized MessageChannel createMessageChannel(InetAddress host, int port) throws IOException {
        return outgoingChannel(MessageChannel.getKey(host, port, "TCP"), host, port);
    }

    /** The cached channel for {@code channelKey}, or a new unconnected one, cached as the RI does. */
    private MessageChannel outgoingChannel(String channelKey, InetAddress host, int port) throws IOException {
        ConnectionOrientedMessageChannel cached = messageChannels.get(channelKey);
        if (cached != null) {
            return cached;
        }
        LimitedTcpMessageChannel channel = new LimitedTcpMessageChannel(host, port, sipStack, this, limits);
        messageChannels.put(channelKey, channel);
        channel.isCached = true;
        return channel;
    }
}
