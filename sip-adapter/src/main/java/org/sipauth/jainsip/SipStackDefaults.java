package org.sipauth.jainsip;

import gov.nist.javax.sip.stack.SipauthMessageProcessorFactory;
import gov.nist.javax.sip.stack.SipauthTcpLimits;
import java.util.Properties;

/**
 * JAIN-SIP RI (1.3.0-91) stack properties that survive load.
 *
 * <p>The RI's own defaults fall over under overload: a new thread per UDP datagram, a 64 KiB
 * receive buffer allocated per datagram and parked on an unbounded queue, an unbounded server
 * transaction table, and a log4j logger that must be on the class path. {@link #properties(String)}
 * returns a fresh, mutable set that fixes those; override single entries as needed.
 *
 * <table>
 * <caption>What is set, and why</caption>
 * <tr><th>Property</th><th>Value</th><th>Why</th></tr>
 * <tr><td>{@code javax.sip.AUTOMATIC_DIALOG_SUPPORT}</td><td>off</td><td>no dialog state for requests that are challenged or rejected</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MAX_MESSAGE_SIZE}</td><td>8192</td><td>bounds the per-datagram buffer (default 64 KiB) and, over TCP, the header block (start line through the blank line): a longer one is answered 513 and its connection closed, after reading no more than this</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.THREAD_POOL_SIZE}</td><td>max(4, 2 x CPUs)</td><td>fixed UDP worker pool instead of a thread per datagram</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE}</td><td>same</td><td>messages of the RI's own stream channels (TLS) are handled by a pool, not the reader thread; sipauth's TCP channel handles each connection's messages on its reader thread, in order, and connections in parallel</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.REENTRANT_LISTENER}</td><td>true</td><td>the listener is called concurrently instead of under one global lock</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}</td><td>{@code SipauthMessageProcessorFactory}</td><td>UDP datagrams wait on a bounded queue ({@value gov.nist.javax.sip.stack.SipauthMessageProcessorFactory#DEFAULT_UDP_QUEUE_CAPACITY}, room to twice that for ACK/CANCEL/BYE/responses) in buffers of their own size; the RI's queue is unbounded with a full-size buffer each</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT}</td><td>1000 ms</td><td>queued datagrams older than this are dropped (the client retransmits), bounding the queue by age</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS}</td><td>half the heap / 16 KiB (5,000..200,000)</td><td>enforced by {@link OverloadValve}: at the limit new requests get 503 + Retry-After (the RI itself never enforces it)</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}</td><td>{@link StatelessValve}</td><td>sheds load as {@link OverloadValve} (see above), then lets {@link AuthorizingSipListener} decide each request before a transaction exists: challenges and rejections are answered statelessly, only accepted requests create a transaction</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.LINGER_TIMER}</td><td>{@value #LINGER_SECONDS} s</td><td>a terminated transaction is released at once (RI default: kept 8 s to absorb late retransmissions). Late INVITE copies are absorbed by {@link AuthorizingSipListener}'s retransmission window at ~16 bytes each instead of a whole parsed transaction; non-INVITE transactions still absorb theirs for timer J (32 s on UDP). Under load the lingering transactions were most of the heap G1 had to copy and promote; an application that turns the window off should set this back to a few seconds</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MAX_CONNECTIONS}</td><td>2048</td><td>bounds open incoming TCP connections; with {@code SipauthMessageProcessorFactory} one more is accepted and reset at once (the RI instead stops accepting, so every client waits)</td></tr>
 * <tr><td>{@code org.sipauth.jainsip.TCP_MAX_CONNECTIONS_PER_SOURCE}</td><td>{@value gov.nist.javax.sip.stack.SipauthTcpLimits#DEFAULT_MAX_CONNECTIONS_PER_SOURCE}</td><td>open TCP connections from one address (IPv6: one /64); one more is reset at once, so one host cannot take all of {@code MAX_CONNECTIONS}</td></tr>
 * <tr><td>{@code org.sipauth.jainsip.TCP_MAX_BODY_SIZE}</td><td>{@value gov.nist.javax.sip.stack.SipauthTcpLimits#DEFAULT_MAX_BODY_SIZE}</td><td>largest {@code Content-Length} over TCP; a larger one is answered 413 and its connection closed without reading the body</td></tr>
 * <tr><td>{@code org.sipauth.jainsip.TCP_IDLE_TIMEOUT}</td><td>{@value gov.nist.javax.sip.stack.SipauthTcpLimits#DEFAULT_IDLE_TIMEOUT_MILLIS} ms</td><td>a TCP connection silent this long is closed (CRLF keep-alives count as traffic and are answered); above the 90 to 120 s keep-alive intervals of SIP clients and the 120 s after which proxies such as Kamailio close idle connections themselves</td></tr>
 * <tr><td>{@code org.sipauth.jainsip.TCP_SEND_TIMEOUT}</td><td>{@value gov.nist.javax.sip.stack.SipauthTcpLimits#DEFAULT_SEND_TIMEOUT_MILLIS} ms</td><td>a TCP connection whose reader is stuck this long on one message or write (a peer that does not read) is closed</td></tr>
 * <tr><td>{@code org.sipauth.jainsip.TCP_MESSAGE_TIMEOUT}</td><td>{@value gov.nist.javax.sip.stack.SipauthTcpLimits#DEFAULT_MESSAGE_TIMEOUT_MILLIS} ms</td><td>a TCP message must arrive whole this long after its first byte, or its connection is closed (slowloris)</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE}, {@code SEND_UDP_BUFFER_SIZE}</td><td>4 MiB</td><td>absorb bursts in the kernel (capped by {@code net.core.rmem_max}/{@code wmem_max})</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.STACK_LOGGER}</td><td>{@link Slf4jStackLogger}</td><td>no log4j jar needed</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.SERVER_LOGGER}</td><td>{@link NoopServerLogger}</td><td>no per-message trace</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.TIMER_CLASS_NAME}</td><td>{@link WheelSipTimer}</td><td>the default {@code java.util.Timer} never purges cancelled transaction timers; the RI's {@code ScheduledExecutorSipTimer} does, but its one locked heap of tens of thousands of timers costs about a tenth of the CPU under load</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}</td><td>{@link WireTextParserFactory}</td><td>keeps the Request-URI and Authorization text as received, for the digest check; answers an INVITE without credentials, and drops the ACK to that answer, from the datagram's bytes before the RI parses them</td></tr>
 * </table>
 */
public final class SipStackDefaults {

    /** Maximum SIP message size in bytes (UDP datagram buffer and TCP message limit). */
    public static final int MAX_MESSAGE_SIZE = 8192;
    /** Approximate heap held by one live JAIN-SIP server transaction (parsed request + response). */
    static final long BYTES_PER_TRANSACTION = 16 * 1024;
    /** Kernel socket buffer sizes requested for UDP. */
    public static final int UDP_SOCKET_BUFFER_SIZE = 4 * 1024 * 1024;
    /** Seconds a terminated transaction stays in the stack's tables (RI default 8; 0 releases it at once). */
    public static final int LINGER_SECONDS = 0;
    /** Open incoming TCP connections allowed in all. */
    public static final int MAX_CONNECTIONS = 2048;
    /** Datagrams waiting longer than this (ms) in the stack's queue are dropped. */
    public static final int CONGESTION_CONTROL_TIMEOUT_MILLIS = 1000;

    private SipStackDefaults() {
    }

    /**
     * Server transactions allowed before {@link OverloadValve} answers new requests with 503: enough
     * to fill half the maximum heap ({@code -Xmx}) at about 16 KiB each, between 5,000 and 200,000.
     * Challenged and rejected INVITEs get no transaction ({@link StatelessValve}); without linger
     * an accepted one lives until its 2xx is sent, so at a few thousand calls/s only a few hundred
     * transactions are live; the limit is reached when the application falls seconds behind
     * (overload), not at a sustainable rate.
     */
    public static int defaultMaxServerTransactions() {
        long byHeap = Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_TRANSACTION;
        return (int) Math.max(5_000, Math.min(200_000, byHeap));
    }

    /** Worker threads used by default: {@code max(4, 2 x available processors)}. */
    public static int defaultThreadPoolSize() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * A new, mutable property set for a stack named {@code stackName}; the caller adds or overrides
     * entries (e.g. {@code javax.sip.OUTBOUND_PROXY}) before creating the stack.
     *
     * @throws IllegalArgumentException when {@code stackName} is blank
     */
    public static Properties properties(String stackName) {
        if (stackName == null || stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        String threads = Integer.toString(defaultThreadPoolSize());
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_SIZE));
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", threads);
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", threads);
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", Integer.toString(CONGESTION_CONTROL_TIMEOUT_MILLIS));
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(defaultMaxServerTransactions()));
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", StatelessValve.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SipauthMessageProcessorFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", Integer.toString(LINGER_SECONDS));
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS));
        p.setProperty(SipauthTcpLimits.MAX_CONNECTIONS_PER_SOURCE,
                Integer.toString(SipauthTcpLimits.DEFAULT_MAX_CONNECTIONS_PER_SOURCE));
        p.setProperty(SipauthTcpLimits.MAX_BODY_SIZE, Integer.toString(SipauthTcpLimits.DEFAULT_MAX_BODY_SIZE));
        p.setProperty(SipauthTcpLimits.IDLE_TIMEOUT, Integer.toString(SipauthTcpLimits.DEFAULT_IDLE_TIMEOUT_MILLIS));
        p.setProperty(SipauthTcpLimits.MESSAGE_TIMEOUT,
                Integer.toString(SipauthTcpLimits.DEFAULT_MESSAGE_TIMEOUT_MILLIS));
        p.setProperty(SipauthTcpLimits.SEND_TIMEOUT, Integer.toString(SipauthTcpLimits.DEFAULT_SEND_TIMEOUT_MILLIS));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(UDP_SOCKET_BUFFER_SIZE));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(UDP_SOCKET_BUFFER_SIZE));
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoopServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", WireTextParserFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", WheelSipTimer.class.getName());
        return p;
    }
}
