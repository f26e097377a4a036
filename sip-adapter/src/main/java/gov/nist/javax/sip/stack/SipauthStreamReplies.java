package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.Socket;

/**
 * sipauth's one reach into jain-sip-ri internals: sending a 400 on the channel a request the RI
 * could not parse came in on.
 *
 * <p>Why this lives in the RI's package: for a request with a malformed mandatory header,
 * jain-sip-ri 1.3.0-91 over TCP only closes the connection ({@code TCPMessageChannel.handleException}),
 * and over UDP it sends a 400 that is itself malformed (its reason phrase carries the parser's
 * multi-line message, a blank line splits its headers). The channel's socket and send methods are
 * protected, reachable only from this package. Not part of sipauth's API.
 */
public final class SipauthStreamReplies {

    private static final Field INCOMING_PACKET = incomingPacketField();

    private SipauthStreamReplies() {
    }

    /**
     * The response with {@code status} (code and reason phrase, e.g. {@code 400 Bad Request}) to
     * {@code request} (start line and headers as received) that echoes the headers RFC 3261 §8.2.6.2
     * requires, or null when the request is an ACK or a response or lacks one of them. The rule is
     * written once, here in the RI's package where the stream channels use it for 413/513.
     */
    public static String echoReply(String request, String status) {
        return TooLargeReply.echo(request, status);
    }

    /** True when {@code listener} is a UDP channel of the RI. */
    public static boolean isDatagramChannel(Object listener) {
        return listener instanceof UDPMessageChannel;
    }

    /**
     * Sends {@code reply} from a UDP channel to the address and port the request came from; false
     * when {@code listener} is not a UDP channel or the send fails.
     */
    public static boolean sendDatagram(Object listener, byte[] reply) {
        if (!(listener instanceof UDPMessageChannel channel) || INCOMING_PACKET == null) {
            return false;
        }
        try {
            // While parsing, the channel knows only the source address; the port is on the packet.
            DatagramPacket packet = (DatagramPacket) INCOMING_PACKET.get(channel);
            if (packet == null || packet.getAddress() == null || packet.getPort() <= 0) {
                return false;
            }
            channel.sendMessage(reply, packet.getAddress(), packet.getPort(), "UDP", false);
            return true;
        } catch (IOException | IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Sends {@code reply} from a UDP channel's socket to {@code address:port}; false when
     * {@code listener} is not a UDP channel or the send fails.
     */
    public static boolean sendDatagram(Object listener, byte[] reply, InetAddress address, int port) {
        if (!(listener instanceof UDPMessageChannel channel) || address == null || port <= 0) {
            return false;
        }
        try {
            channel.sendMessage(reply, address, port, "UDP", false);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The datagram a UDP channel is parsing now (its source address and port), or null when
     * {@code listener} is not a UDP channel.
     */
    public static DatagramPacket incomingPacket(Object listener) {
        if (!(listener instanceof UDPMessageChannel channel) || INCOMING_PACKET == null) {
            return null;
        }
        try {
            return (DatagramPacket) INCOMING_PACKET.get(channel);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** The UDP channel's packet being parsed: private in the RI, so read reflectively; null if that fails. */
    private static Field incomingPacketField() {
        try {
            Field field = UDPMessageChannel.class.getDeclaredField("incomingPacket");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The address the channel's message processor is bound to (possibly a wildcard), or null. */
    public static InetAddress localAddress(Object listener) {
        if (listener instanceof MessageChannel channel && channel.getMessageProcessor() != null) {
            return channel.getMessageProcessor().getIpAddress();
        }
        return null;
    }

    /** The port the channel's message processor listens on, or -1. */
    public static int localPort(Object listener) {
        if (listener instanceof MessageChannel channel && channel.getMessageProcessor() != null) {
            return channel.getMessageProcessor().getPort();
        }
        return -1;
    }

    /** True when the stack of {@code listener}'s channel holds a server transaction with {@code transactionId}. */
    public static boolean hasServerTransaction(Object listener, String transactionId) {
        return listener instanceof MessageChannel channel && channel.getSIPStack() != null
                && channel.getSIPStack().findTransaction(transactionId, true) != null;
    }

    /**
     * Server transactions of {@code stack} that have not sent a final response yet (Trying or
     * Proceeding): the requests still being worked on. Why not the table's size: a non-INVITE
     * transaction stays there in Completed for Timer J (32 s over UDP) after its answer, so a
     * graceful stop that waited for an empty table would wait for every recent BYE. Walks the table
     * (protected in the RI, hence this package): call it to poll, not per message.
     */
    public static int unansweredServerTransactions(SIPTransactionStack stack) {
        int unanswered = 0;
        for (SIPServerTransaction tx : stack.serverTransactionTable.values()) {
            javax.sip.TransactionState state = tx.getState();
            if (state == null || state == javax.sip.TransactionState.TRYING || state == javax.sip.TransactionState.PROCEEDING) {
                unanswered++;
            }
        }
        return unanswered;
    }

    /** The address of the peer of a channel of the RI, or null. */
    public static InetAddress peerAddress(Object listener) {
        return listener instanceof MessageChannel channel ? channel.getPeerInetAddress() : null;
    }

    /** True when {@code listener} is a stream (TCP/TLS) channel of the RI. */
    public static boolean isStreamChannel(Object listener) {
        return listener instanceof ConnectionOrientedMessageChannel;
    }

    /**
     * Writes {@code reply} on the channel's own connection; false when {@code listener} is not a
     * blocking stream channel with an open socket, or the write fails.
     */
    public static boolean write(Object listener, byte[] reply) {
        if (!(listener instanceof ConnectionOrientedMessageChannel channel)) {
            return false;
        }
        Socket socket = channel.mySock;
        if (socket == null || socket.isClosed()) {
            return false;
        }
        try {
            OutputStream out = socket.getOutputStream();
            // the RI serialises its own writes on this socket the same way (IOHandler.writeChunks)
            synchronized (out) {
                out.write(reply);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
