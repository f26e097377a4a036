package org.sipauth.testsip;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Raw SIP over a UDP socket, for messages a SIP stack would not produce (mixed case, malformed). */
public final class RawSip implements AutoCloseable {

    private final DatagramSocket socket;

    public RawSip() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5000);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    /** Loads a message template from test resources and fills ${name} placeholders; lines end in CRLF. */
    public static String template(String resource, Map<String, String> values) throws IOException {
        try (InputStream in = RawSip.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            if (!text.endsWith("\n\n")) {
                text = text.endsWith("\n") ? text + "\n" : text + "\n\n";
            }
            return text.replace("\n", "\r\n");
        }
    }

    public void send(String message, int port) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    /** The next datagram as text, or null after the timeout. */
    public String receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    /** The next response with a final status (skips 1xx), or null after the timeout. */
    public String receiveFinal(int timeoutMillis) throws IOException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            String message = receive((int) left);
            if (message == null || !message.startsWith("SIP/2.0 1")) {
                return message;
            }
        }
    }

    /** The To tag of a response as text, or null. */
    public static String toTag(String response) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "To:", 0, 3) || line.regionMatches(true, 0, "t:", 0, 2)) {
                int i = line.indexOf(";tag=");
                return i < 0 ? null : line.substring(i + 5).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
