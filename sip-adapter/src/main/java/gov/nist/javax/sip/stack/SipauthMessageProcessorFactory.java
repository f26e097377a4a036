package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;

import java.io.IOException;
import java.net.InetAddress;

import javax.sip.ListeningPoint;

/**
 * jain-sip-ri message processor factory (property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY})
 * that gives UDP listening points a bounded receive queue ({@link SheddingUdpMessageProcessor}) and
 * leaves every other transport to the RI's default factory.
 *
 * <p>The soft queue capacity comes from the stack property {@value #UDP_QUEUE_CAPACITY} (default
 * {@value #DEFAULT_UDP_QUEUE_CAPACITY} datagrams). With {@code THREAD_POOL_SIZE} unset (a thread per
 * datagram, no queue) the RI's own UDP processor is used. Lives in the RI's package because the
 * processor's queue, socket and channel constructors are package-private or protected there; pinned
 * to jain-sip-ri 1.3.0-91, re-check on upgrade. Not part of sipauth's API beyond its class name.
 *
 * <p>Except TCP: TCP listening points get {@link LimitedTcpMessageProcessor}, with bounded messages,
 * time limits, and connection limits per source and in all ({@link SipauthTcpLimits}).
 */
public final class SipauthMessageProcessorFactory implements MessageProcessorFactory {

    /** Stack property: datagrams that may wait for a worker before new requests are dropped. */
    public static final String UDP_QUEUE_CAPACITY = "org.sipauth.jainsip.UDP_QUEUE_CAPACITY";
    /** Default of {@link #UDP_QUEUE_CAPACITY}: about a quarter second of work at 4,000 calls/s. */
    public static final int DEFAULT_UDP_QUEUE_CAPACITY = 4096;
    /**
     * Stack property: sockets ({@code SO_REUSEPORT}) and reading threads per UDP port, default
     * {@link #defaultUdpReaders()}.
     */
    public static final String UDP_READERS = "org.sipauth.jainsip.UDP_READERS";

    private final MessageProcessorFactory fallback = new OIOMessageProcessorFactory();

    /** Called by the RI (by class name). */
    public SipauthMessageProcessorFactory() {
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack sipStack, InetAddress ipAddress, int port,
            String transport) throws IOException {
        if (ListeningPoint.TCP.equalsIgnoreCase(transport)) {
            return new LimitedTcpMessageProcessor(ipAddress, sipStack, port, SipauthTcpLimits.of(sipStack));
        }
        if (!ListeningPoint.UDP.equalsIgnoreCase(transport) || sipStack.threadPoolSize <= 0) {
            return fallback.createMessageProcessor(sipStack, ipAddress, port, transport);
        }
        UDPMessageProcessor processor = new SheddingUdpMessageProcessor(ipAddress, sipStack, port,
                positive(sipStack, UDP_QUEUE_CAPACITY, DEFAULT_UDP_QUEUE_CAPACITY),
                positive(sipStack, UDP_READERS, defaultUdpReaders()));
        sipStack.udpFlag = true;
        return processor;
    }

    /**
     * One reader per eight available processors, at least one: a reader only receives, copies and
     * queues (a few microseconds per datagram), the worker pool does the parsing and deciding.
     */
    public static int defaultUdpReaders() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 8);
    }

    private static int positive(SIPTransactionStack sipStack, String property, int defaultValue) {
        String configured = sipStack instanceof SipStackImpl impl
                ? impl.getConfigurationProperties().getProperty(property) : null;
        if (configured == null || configured.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(configured.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a positive integer: " + configured);
    }
}
