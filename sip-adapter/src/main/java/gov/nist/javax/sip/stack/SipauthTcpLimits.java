package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;

import java.util.Properties;

/**
 * The limits sipauth's TCP transport enforces on every connection, and the stack properties that
 * set them. Only the property names and their defaults are API; the stack reads them through
 * {@link SipauthMessageProcessorFactory} when a TCP listening point is created.
 *
 * <table>
 * <caption>TCP limits</caption>
 * <tr><th>Property</th><th>Default</th><th>What happens at the limit</th></tr>
 * <tr><td>{@code gov.nist.javax.sip.MAX_MESSAGE_SIZE} (the RI's)</td><td>8192 bytes</td><td>a header block
 *     (start line through the blank line) longer than this is answered 513 and the connection closed</td></tr>
 * <tr><td>{@value #MAX_BODY_SIZE}</td><td>{@value #DEFAULT_MAX_BODY_SIZE} bytes</td><td>a
 *     {@code Content-Length} above this is answered 413 and the connection closed</td></tr>
 * <tr><td>{@value #IDLE_TIMEOUT}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_MILLIS} ms</td><td>a connection
 *     on which nothing arrives for this long (CRLF keep-alives count) is closed; 0 never closes one</td></tr>
 * <tr><td>{@value #MESSAGE_TIMEOUT}</td><td>{@value #DEFAULT_MESSAGE_TIMEOUT_MILLIS} ms</td><td>a message
 *     not complete this long after its first byte is dropped and the connection closed</td></tr>
 * <tr><td>{@value #SEND_TIMEOUT}</td><td>{@value #DEFAULT_SEND_TIMEOUT_MILLIS} ms</td><td>a connection
 *     whose reader has been busy this long with one of its messages or with writing to it (a peer
 *     that does not read what it is sent) is closed</td></tr>
 * <tr><td>{@value #MAX_CONNECTIONS_PER_SOURCE}</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_SOURCE}</td><td>a
 *     new connection from an address (an IPv6 /64) that already holds this many is reset at once</td></tr>
 * <tr><td>{@code gov.nist.javax.sip.MAX_CONNECTIONS} (the RI's)</td><td>unlimited (sipauth's defaults:
 *     2048)</td><td>a new connection beyond this many is reset at once (the RI instead stops
 *     accepting, so every client waits)</td></tr>
 * </table>
 */
public final class SipauthTcpLimits {

    /** Stack property: largest message body ({@code Content-Length}) accepted over TCP, in bytes. */
    public static final String MAX_BODY_SIZE = "org.sipauth.jainsip.TCP_MAX_BODY_SIZE";
    /** Default of {@link #MAX_BODY_SIZE}: the default maximum message size, as UDP allows. */
    public static final int DEFAULT_MAX_BODY_SIZE = 8192;
    /** Stack property: milliseconds a TCP connection may stay silent before it is closed; 0 = never. */
    public static final String IDLE_TIMEOUT = "org.sipauth.jainsip.TCP_IDLE_TIMEOUT";
    /**
     * Default of {@link #IDLE_TIMEOUT}: 300 s. Clients that keep connections open send CRLF
     * keep-alives (RFC 5626) every 2 minutes at most, PJSIP/Asterisk every 90 s; proxies such as
     * Kamailio close idle connections after 120 s themselves. Well above all of these, so a trunk
     * never sees its connection closed between calls by sipauth first.
     */
    public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 300_000;
    /** Stack property: milliseconds from a message's first byte to its last over TCP. */
    public static final String MESSAGE_TIMEOUT = "org.sipauth.jainsip.TCP_MESSAGE_TIMEOUT";
    /**
     * Default of {@link #MESSAGE_TIMEOUT}: 10 s. A client writes a message of a few KiB at once;
     * 10 s covers several TCP retransmissions of it, and stops a client that dribbles one.
     */
    public static final int DEFAULT_MESSAGE_TIMEOUT_MILLIS = 10_000;
    /**
     * Stack property: milliseconds a TCP connection's reader may spend on one message (handling it
     * and writing the answer) or on one write before the connection is closed.
     */
    public static final String SEND_TIMEOUT = "org.sipauth.jainsip.TCP_SEND_TIMEOUT";
    /**
     * Default of {@link #SEND_TIMEOUT}: 32 s, SIP's transaction timeout (64 x T1): by then the
     * client has given up on the request anyway. Handling a message takes microseconds; only a peer
     * that stops reading (so that writes to it block) or a stuck application gets near it.
     */
    public static final int DEFAULT_SEND_TIMEOUT_MILLIS = 32_000;
    /** Stack property: open TCP connections allowed from one source address (IPv6: one /64). */
    public static final String MAX_CONNECTIONS_PER_SOURCE = "org.sipauth.jainsip.TCP_MAX_CONNECTIONS_PER_SOURCE";
    /**
     * Default of {@link #MAX_CONNECTIONS_PER_SOURCE}: 128, a sixteenth of sipauth's default
     * {@code MAX_CONNECTIONS} (2048). A trunk uses a handful; raise it when many TCP phones share
     * one NAT address.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 128;
    /** Header block limit when the stack sets no {@code MAX_MESSAGE_SIZE} (the RI's "unlimited"). */
    static final int FALLBACK_MAX_HEADER_SIZE = 8192;

    final int maxHeaderSize;
    final int maxBodySize;
    final int idleTimeoutMillis;
    final int messageTimeoutMillis;
    final int sendTimeoutMillis;
    final int maxConnections;
    final int maxConnectionsPerSource;

    SipauthTcpLimits(int maxHeaderSize, int maxBodySize, int idleTimeoutMillis, int messageTimeoutMillis,
            int sendTimeoutMillis, int maxConnections, int maxConnectionsPerSource) {
        this.maxHeaderSize = maxHeaderSize;
        this.maxBodySize = maxBodySize;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.messageTimeoutMillis = messageTimeoutMillis;
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerSource = maxConnectionsPerSource;
    }

    /**
     * The limits configured on {@code sipStack}.
     *
     * @throws IllegalArgumentException when a property is set to something other than a positive
     *         integer (the idle timeout also takes 0)
     */
    static SipauthTcpLimits of(SIPTransactionStack sipStack) {
        Properties p = sipStack instanceof SipStackImpl impl ? impl.getConfigurationProperties() : new Properties();
        int maxMessageSize = sipStack.getMaxMessageSize();
        return new SipauthTcpLimits(
                maxMessageSize > 0 ? maxMessageSize : FALLBACK_MAX_HEADER_SIZE,
                intProperty(p, MAX_BODY_SIZE, DEFAULT_MAX_BODY_SIZE, 1),
                intProperty(p, IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_MILLIS, 0),
                intProperty(p, MESSAGE_TIMEOUT, DEFAULT_MESSAGE_TIMEOUT_MILLIS, 1),
                intProperty(p, SEND_TIMEOUT, DEFAULT_SEND_TIMEOUT_MILLIS, 1),
                sipStack.maxConnections,
                intProperty(p, MAX_CONNECTIONS_PER_SOURCE, DEFAULT_MAX_CONNECTIONS_PER_SOURCE, 1));
    }

    private static int intProperty(Properties p, String name, int defaultValue, int min) {
        String configured = p.getProperty(name);
        if (configured == null || configured.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(configured.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an integer of at least " + min + ": " + configured);
    }

    @Override
    public String toString() {
        return "header " + maxHeaderSize + " B, body " + maxBodySize + " B, idle " + idleTimeoutMillis
                + " ms, message " + messageTimeoutMillis + " ms, send " + sendTimeoutMillis + " ms, connections "
                + maxConnections + " (" + maxConnectionsPerSource + " per source)";
    }
}
