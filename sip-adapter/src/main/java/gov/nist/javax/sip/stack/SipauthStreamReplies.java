package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * sipauth's one reach into jain-sip-ri internals: writing a reply on the TCP connection of a request
 * the RI could not parse.
 *
 * <p>Why this lives in the RI's package: over UDP the RI answers a request with a malformed
 * mandatory header with 400 itself, but over TCP (jain-sip-ri 1.3.0-91,
 * {@code TCPMessageChannel.handleException}) it only closes the connection, and at that point the
 * channel cannot send through its usual path (its transport is not yet known). The channel's socket
 * is a protected field, reachable only from this package. Not part of sipauth's API.
 */
public final class SipauthStreamReplies {

    private SipauthStreamReplies() {
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
