package org.sipauth.jainsip;

import gov.nist.javax.sip.stack.SipauthStreamReplies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.sipauth.core.authz.AuthDecision;

/**
 * A request received as a UDP datagram and read from its bytes (see {@link DatagramResponder}):
 * the facts a responder needs, and a way to answer it. Answers copy the request's Via, From, To,
 * Call-ID and CSeq lines byte for byte (RFC 3261 8.2.6.2) and go to the packet's source address,
 * to its source port when the top Via asks for {@code rport} (RFC 3581) and else to the Via's port
 * (18.2.2). {@link #send} may be called later and from any thread (e.g. to retransmit a 2xx); the
 * rest belongs to the thread that received it.
 */
public final class DatagramRequest {

    private final RawRequest raw;
    private final Object channel;
    private final InetAddress source;
    private final int sourcePort;
    private final AuthDecision.Allowed decision;

    DatagramRequest(RawRequest raw, Object channel, InetAddress source, int sourcePort,
                    AuthDecision.Allowed decision) {
        this.raw = raw;
        this.channel = channel;
        this.source = source;
        this.sourcePort = sourcePort;
        this.decision = decision;
    }

    /** {@code INVITE} or {@code ACK}. */
    public String method() {
        return raw.method;
    }

    /** The Request-URI as received. */
    public String requestUri() {
        return raw.requestUri;
    }

    public String callId() {
        return text(raw.callIdValueStart, raw.callIdValueEnd);
    }

    /** The From tag, or null. */
    public String fromTag() {
        return raw.fromTagStart < 0 ? null : text(raw.fromTagStart, raw.fromTagEnd);
    }

    /** The To tag, or null (an INVITE offered to {@link DatagramResponder#answer} never has one). */
    public String toTag() {
        return raw.toTagStart < 0 ? null : text(raw.toTagStart, raw.toTagEnd);
    }

    public long cseqNumber() {
        return raw.cseqNumber;
    }

    /** The decision that accepted the INVITE; null for an ACK. */
    public AuthDecision.Allowed decision() {
        return decision;
    }

    /** The packet's source address and port (never what the Via claims). */
    public InetSocketAddress source() {
        return new InetSocketAddress(source, sourcePort);
    }

    /** The address of the socket it arrived on; a wildcard address when the socket is bound to one. */
    public InetAddress localAddress() {
        return SipauthStreamReplies.localAddress(channel);
    }

    /** The port of the socket it arrived on. */
    public int localPort() {
        return SipauthStreamReplies.localPort(channel);
    }

    /** The Content-Type value as received, or null. */
    public String contentType() {
        return raw.contentType();
    }

    /** A copy of the body (empty when there is none). */
    public byte[] body() {
        return raw.body();
    }

    /**
     * The final response with {@code status} (and RFC 3261's reason phrase): the request's Via (with
     * {@code received}/{@code rport} as 18.2.1 asks), From, To (with {@code toTag} added when the
     * request has none and the tag is not null), Call-ID and CSeq lines, then {@code headerLines}
     * ({@code Name: value}, no line breaks), Content-Length and {@code body} (null: none).
     */
    public byte[] response(int status, String toTag, List<String> headerLines, byte[] body) {
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status must be 100..699: " + status);
        }
        StatelessReply reply = reply(status, toTag);
        for (String line : headerLines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header line with a line break");
            }
            reply.line(line);
        }
        return reply.finish(body);
    }

    /** Sends {@code message} (a response to this request) to where responses to it go; false when that fails. */
    public boolean send(byte[] message) {
        Objects.requireNonNull(message, "message");
        int port = raw.rportEnd >= 0 ? sourcePort : raw.viaPort > 0 ? raw.viaPort : 5060;
        return SipauthStreamReplies.sendDatagram(channel, message, source, port);
    }

    /** The status line and the copied headers; the caller adds its own lines and finishes. */
    StatelessReply reply(int status, String toTag) {
        RawRequest r = raw;
        StatelessReply reply = new StatelessReply(status);
        String sourceIp = null;
        for (int v = 0; v < r.viaCount; v++) {
            int start = r.viaLines[2 * v];
            int end = r.viaLines[2 * v + 1];
            if (v > 0) {
                reply.line(r.bytes, start, end);
                continue;
            }
            sourceIp = source.getHostAddress();
            // RFC 3581 / 3261 18.2.1: tell the client where its request came from.
            if (r.rportEnd >= 0) {
                reply.bytes(r.bytes, start, r.rportEnd).ascii("=").ascii(Integer.toString(sourcePort))
                        .bytes(r.bytes, r.rportEnd, end).ascii(";received=").ascii(sourceIp).crlf();
            } else if (!sourceIp.equals(r.viaHost)) {
                reply.bytes(r.bytes, start, end).ascii(";received=").ascii(sourceIp).crlf();
            } else {
                reply.line(r.bytes, start, end);
            }
        }
        reply.line(r.bytes, r.fromStart, r.fromEnd);
        if (toTag != null && r.toTagStart < 0) {
            reply.bytes(r.bytes, r.toStart, r.toEnd).ascii(";tag=").text(toTag).crlf();
        } else {
            reply.line(r.bytes, r.toStart, r.toEnd);
        }
        reply.line(r.bytes, r.callIdStart, r.callIdEnd);
        reply.line(r.bytes, r.cseqStart, r.cseqEnd);
        return reply;
    }

    private String text(int start, int end) {
        return new String(raw.bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
