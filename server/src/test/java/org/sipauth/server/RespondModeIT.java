package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

/**
 * Respond mode over real UDP as a softphone meets it: the 2xx answers an SDP offer (every stream
 * declined), offers when the INVITE did not, and names a Contact the caller can reach, also when
 * the server is bound to the wildcard, over IPv4 and IPv6.
 */
class RespondModeIT {

    private static final String AUDIO_AND_VIDEO = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 49170 RTP/AVP 0 8 101
            a=rtpmap:101 telephone-event/8000
            m=video 51372 RTP/AVP 96
            a=rtpmap:96 H264/90000
            """.replace("\n", "\r\n");

    private SipServer server;

    private static AuthDecision allowAll(AuthRequest request) {
        return new AuthDecision.Allowed("alice", Sid.random(SidKind.CREDENTIAL_LIST), Sid.random(SidKind.TRUNK));
    }

    private void start(String host, String advertisedHost, int advertisedPort) throws Exception {
        start(host, advertisedHost, advertisedPort, ServerConfig.RespondMedia.decline);
    }

    private void start(String host, String advertisedHost, int advertisedPort, ServerConfig.RespondMedia media)
            throws Exception {
        server = SipServer.start(new SipServer.Config(host, 0, Role.UAS, 200, new Properties(), advertisedHost,
                advertisedPort, media), RespondModeIT::allowAll, event -> { });
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Sends an INVITE from {@code local} and returns the final response's text. */
    private String invite(String local, String contentType, String body) throws Exception {
        InetAddress from = InetAddress.getByName(local);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            String host = from.getHostAddress().indexOf(':') >= 0 ? "[" + from.getHostAddress() + "]" : from.getHostAddress();
            String branch = "z9hG4bK" + UUID.randomUUID();
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String invite = "INVITE sip:bob@trunk.example.com SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + host + ":" + socket.getLocalPort() + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:alice@example.com>;tag=f1\r\n"
                    + "To: <sip:bob@trunk.example.com>\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:alice@" + host + ":" + socket.getLocalPort() + ">\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            byte[] head = invite.getBytes(StandardCharsets.US_ASCII);
            byte[] datagram = new byte[head.length + content.length];
            System.arraycopy(head, 0, datagram, 0, head.length);
            System.arraycopy(content, 0, datagram, head.length, content.length);
            socket.send(new DatagramPacket(datagram, datagram.length, from, server.port()));
            socket.setSoTimeout(5000);
            while (true) {
                byte[] buffer = new byte[65535];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no final response from the server within 5 s");
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (!text.startsWith("SIP/2.0 1")) {
                    return text;
                }
            }
        }
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return null;
    }

    private static String body(String message) {
        return message.substring(message.indexOf("\r\n\r\n") + 4);
    }

    private static List<String> mediaLines(String sdp) {
        List<String> lines = new ArrayList<>();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("m=")) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void offer_getsAnAnswerDecliningEveryStream() throws Exception {
        start("127.0.0.1", null, 0);
        String response = invite("127.0.0.1", "application/sdp", AUDIO_AND_VIDEO);
        assertTrue(response.startsWith("SIP/2.0 200"), response);
        assertEquals("application/sdp", header(response, "Content-Type"));
        String answer = body(response);
        assertTrue(answer.startsWith("v=0\r\n"), answer);
        assertEquals(List.of("m=audio 0 RTP/AVP 0 8 101", "m=video 0 RTP/AVP 96"), mediaLines(answer),
                "one m-line per offered stream, in order, each rejected with port 0 (RFC 3264 6)");
        assertTrue(answer.contains("\r\nc=IN IP4 127.0.0.1\r\n"), answer);
        assertEquals(Integer.parseInt(header(response, "Content-Length")), answer.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void noOffer_the2xxOffersADeclinedStream() throws Exception {
        start("127.0.0.1", null, 0);
        String response = invite("127.0.0.1", null, null);
        assertTrue(response.startsWith("SIP/2.0 200"), response);
        assertEquals("application/sdp", header(response, "Content-Type"), "RFC 3261 13.2.1: the offer is in the 2xx");
        assertEquals(List.of("m=audio 0 RTP/AVP 0"), mediaLines(body(response)));
    }

    @Test
    void inactiveMedia_acceptsTheFirstAudioStreamInactive_declinesTheRest() throws Exception {
        start("127.0.0.1", null, 0, ServerConfig.RespondMedia.inactive);
        String answer = body(invite("127.0.0.1", "application/sdp", AUDIO_AND_VIDEO));
        assertEquals(List.of("m=audio 9 RTP/AVP 0", "m=video 0 RTP/AVP 96"), mediaLines(answer));
        assertTrue(answer.contains("m=audio 9 RTP/AVP 0\r\na=inactive\r\n"), answer);
        String offer = body(invite("127.0.0.1", null, null));
        assertEquals(List.of("m=audio 9 RTP/AVP 0"), mediaLines(offer));
        assertTrue(offer.contains("a=inactive"), offer);
    }

    @Test
    void acceptedUdpInvite_isAnsweredFromItsDatagram_withoutAServerTransaction() throws Exception {
        start("127.0.0.1", null, 0);
        String response = invite("127.0.0.1", "application/sdp", AUDIO_AND_VIDEO);
        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n"), response);
        assertEquals(1, server.datagramAnswers(), "answered from the datagram");
        assertEquals(0, server.liveServerTransactions());
        assertEquals("application/sdp", header(response, "Content-Type"));
        assertEquals(Integer.toString(body(response).getBytes(StandardCharsets.UTF_8).length),
                header(response, "Content-Length"));
        assertEquals(16 + "<sip:bob@trunk.example.com>;tag=".length(), header(response, "To").length(),
                "a 16-digit dialog tag: " + header(response, "To"));

        assertTrue(invite("127.0.0.1", "text/plain", "v=0\r\n").startsWith("SIP/2.0 488"),
                "a body that is no session description goes to the transactional path");
        assertEquals(1, server.datagramAnswers());
    }

    @Test
    void bodyThatIsNoSessionDescription_gets488() throws Exception {
        start("127.0.0.1", null, 0);
        assertTrue(invite("127.0.0.1", "application/sdp", "hello\r\n").startsWith("SIP/2.0 488"));
        assertTrue(invite("127.0.0.1", "text/plain", "v=0\r\n").startsWith("SIP/2.0 488"));
    }

    @Test
    void wildcardBind_contactIsTheAddressTheRequestReached_ipv4AndIpv6() throws Exception {
        start("0.0.0.0", null, 0);
        String v4 = invite("127.0.0.1", null, null);
        assertTrue(v4.startsWith("SIP/2.0 200"), v4);
        assertEquals("<sip:sipauth@127.0.0.1:" + server.port() + ">", header(v4, "Contact"));
        assertTrue(body(v4).contains("c=IN IP4 127.0.0.1"), body(v4));

        String v6 = invite("::1", null, null);
        assertTrue(v6.startsWith("SIP/2.0 200"), v6);
        String contact = header(v6, "Contact");
        assertNotNull(contact);
        assertFalse(contact.contains("0:0:0:0:0:0:0:0") || contact.contains("[::]"), contact);
        assertTrue(contact.equals("<sip:sipauth@[0:0:0:0:0:0:0:1]:" + server.port() + ">")
                || contact.equals("<sip:sipauth@[::1]:" + server.port() + ">"), contact);
        assertTrue(body(v6).contains("c=IN IP6 "), body(v6));
    }

    @Test
    void advertisedAddress_isWrittenIntoContactAndSdp() throws Exception {
        start("127.0.0.1", "sip.example.net", 5080);
        String response = invite("127.0.0.1", "application/sdp", AUDIO_AND_VIDEO);
        assertEquals("<sip:sipauth@sip.example.net:5080>", header(response, "Contact"));
        assertTrue(body(response).contains("c=IN IP4 sip.example.net"), body(response));
    }
}
