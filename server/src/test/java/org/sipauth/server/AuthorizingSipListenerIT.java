package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.testsip.RawSip;
import org.sipauth.testsip.SipTestClient;

/**
 * The adapter's wire behaviour on real loopback sockets: what it hands the engine and how it turns
 * each kind of decision into a response. The engine here is a scripted function so that every
 * decision kind can be produced on demand; {@link SipServerIT} runs the real one.
 */
class AuthorizingSipListenerIT {

    private static final DigestChallenge MD5_CHALLENGE = new DigestChallenge("sipauth.test", "n1", null, "MD5", List.of("auth"), false);
    private static final DigestChallenge SHA_CHALLENGE = new DigestChallenge("sipauth.test", "n2", null, "SHA-256", List.of("auth"),
            false);
    private static final Sid LIST = Sid.random(SidKind.CREDENTIAL_LIST);
    private static final Sid TRUNK = Sid.random(SidKind.TRUNK);

    private final List<AuthRequest> seen = new CopyOnWriteArrayList<>();
    private final List<AuthorizationEvent> events = new CopyOnWriteArrayList<>();
    private SipServer server;

    /** Decides by the claimed username, so each test picks its outcome. */
    private AuthDecision script(AuthRequest request) {
        seen.add(request);
        int status = request.role() == Role.UAS ? 401 : 407;
        if (request.credentials().isEmpty()) {
            return new AuthDecision.Challenge(status, List.of(SHA_CHALLENGE, MD5_CHALLENGE), Reason.NO_CREDENTIALS);
        }
        String value = request.credentials().get(0);
        if (value.contains("username=\"good\"")) {
            return new AuthDecision.Allowed("good", LIST, TRUNK);
        }
        if (value.contains("username=\"forbidden\"")) {
            return new AuthDecision.Denied(403, Reason.THROTTLED);
        }
        if (value.contains("username=\"boom\"")) {
            throw new IllegalStateException("store unavailable");
        }
        return new AuthDecision.Denied(400, Reason.MALFORMED);
    }

    private SipServer start(Role role) throws Exception {
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, role, 200, null), this::script,
                events::add);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void invite_withoutCredentials_isChallengedWithOneHeaderPerAlgorithmAndToTag(String transport) throws Exception {
        start(Role.UAS);
        try (SipTestClient uac = new SipTestClient(transport, server.port())) {
            Response r = uac.newCall("sip:alice@trunk.example.com").invite();
            assertEquals(401, r.getStatusCode());
            List<String> challenges = new ArrayList<>();
            for (ListIterator<?> it = r.getHeaders(WWWAuthenticateHeader.NAME); it.hasNext(); ) {
                WWWAuthenticateHeader h = (WWWAuthenticateHeader) it.next();
                challenges.add(h.getAlgorithm());
                assertEquals("sipauth.test", h.getRealm());
                assertEquals("auth", h.getQop());
            }
            assertEquals(List.of("SHA-256", "MD5"), challenges);
            assertNotNull(((ToHeader) r.getHeader(ToHeader.NAME)).getTag());
            AuthRequest facts = seen.get(0);
            assertEquals("INVITE", facts.method());
            assertEquals("trunk.example.com", facts.requestUriHost());
            assertEquals("127.0.0.1", facts.source().getHostAddress());
            assertEquals(transport.toUpperCase(), facts.transport());
            assertEquals("CHALLENGED", events.get(0).outcome());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void invite_allowed_reachesApplicationWhichAnswers200(String transport) throws Exception {
        start(Role.UAS);
        try (SipTestClient uac = new SipTestClient(transport, server.port())) {
            Response r = uac.newCall("sip:alice@trunk.example.com").invite(
                    "Authorization: Digest username=\"good\", realm=\"sipauth.test\", nonce=\"n1\", uri=\"sip:alice@trunk.example.com\", response=\"00\"");
            assertEquals(200, r.getStatusCode());
            assertNotNull(((ToHeader) r.getHeader(ToHeader.NAME)).getTag());
            assertNotNull(r.getHeader("Contact"));
            assertEquals("ALLOWED", events.get(0).outcome());
            assertTrue(events.get(0).toLogLine().contains("username=good"));
        }
    }

    @Test
    void proxyRole_challenges407WithProxyAuthenticateAndReadsProxyAuthorization() throws Exception {
        start(Role.PROXY);
        try (SipTestClient uac = new SipTestClient("udp", server.port())) {
            SipTestClient.Call call = uac.newCall("sip:alice@trunk.example.com");
            Response r = call.invite(
                    "Authorization: Digest username=\"good\", realm=\"sipauth.test\", nonce=\"n1\", uri=\"sip:alice@trunk.example.com\", response=\"00\"");
            assertEquals(407, r.getStatusCode(), "an Authorization header is not a proxy credential");
            assertEquals(2, Collections.list(java.util.Collections.enumeration(headerValues(r, "Proxy-Authenticate"))).size());
            assertNull(r.getHeader(WWWAuthenticateHeader.NAME));
            Response ok = call.invite(
                    "Proxy-Authorization: Digest username=\"good\", realm=\"sipauth.test\", nonce=\"n1\", uri=\"sip:alice@trunk.example.com\", response=\"00\"");
            assertEquals(200, ok.getStatusCode());
        }
    }

    @Test
    void denied_isAnsweredWithEngineStatus_andEngineFailureWith503() throws Exception {
        start(Role.UAS);
        try (SipTestClient uac = new SipTestClient("udp", server.port())) {
            assertEquals(403, uac.newCall("sip:alice@trunk.example.com").invite(
                    "Authorization: Digest username=\"forbidden\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\"").getStatusCode());
            assertEquals(400, uac.newCall("sip:alice@trunk.example.com").invite(
                    "Authorization: Digest username=\"other\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\"").getStatusCode());
            assertEquals(503, uac.newCall("sip:alice@trunk.example.com").invite(
                    "Authorization: Digest username=\"boom\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\"").getStatusCode());
            assertEquals("ERROR", events.get(2).outcome());
        }
    }

    @Test
    void nonInviteRequests_passThroughWithoutAuthorization() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String options = "OPTIONS sip:trunk.example.com SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + raw.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:trunk.example.com>\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            raw.send(options, server.port());
            String response = raw.receiveFinal(5000);
            assertNotNull(response);
            assertTrue(response.startsWith("SIP/2.0 200"), response);
            assertTrue(seen.isEmpty(), "OPTIONS must not reach the authorizer");
        }
    }

    @Test
    void requestUriAndAuthorization_reachEngineExactlyAsOnTheWire() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            exchange(raw, mixedCaseInvite(raw, UUID.randomUUID().toString(), UUID.randomUUID().toString(), "forbidden"),
                    403);
            AuthRequest facts = seen.get(0);
            assertEquals("sip:Alice@Trunk.EXAMPLE.com;transport=udp", facts.requestUri());
            assertEquals("trunk.example.com", facts.requestUriHost());
            assertEquals(List.of("Digest username=\"forbidden\", realm=\"sipauth.test\", nonce=\"abc\", "
                    + "uri=\"sip:Alice@Trunk.EXAMPLE.com;transport=udp\", "
                    + "response=\"0123456789abcdef0123456789abcdef\", qop=auth, nc=00000001, cnonce=\"x\""),
                    facts.credentials());
        }
    }

    /**
     * A rejection is answered without a transaction (RFC 3261 8.2.7): a retransmitted copy is
     * decided again and answered again with the same To-tag, and nothing is left in the stack.
     */
    @Test
    void retransmittedRejectedInvite_isDecidedAgain_withTheSameToTag_andLeavesNoTransaction() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String invite = mixedCaseInvite(raw, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    "forbidden");
            raw.send(invite, server.port());
            String first = raw.receiveFinal(5000);
            raw.send(invite, server.port());
            String second = raw.receiveFinal(5000);
            assertNotNull(first);
            assertNotNull(second, "the retransmission is answered again");
            assertTrue(first.startsWith("SIP/2.0 403 "), first);
            assertEquals(RawSip.toTag(first), RawSip.toTag(second));
            assertEquals(2, seen.size(), "each copy is decided");
            assertEquals(0, server.liveServerTransactions());
        }
    }

    /**
     * Under load a client retransmits an INVITE that is answered late; a copy arriving after the
     * stack forgot the accepted transaction must not be authorized again (its nonce count would be
     * a replay and the accepted call would get a 401). Respond mode, which answered it from the
     * datagram, sends its 2xx again instead (a caller that keeps asking has not got it). A new transaction (another branch) still reaches the engine, whose replay
     * guard then decides ({@code SipServerIT} covers that with the real engine).
     */
    @Test
    void lateRetransmissionOfAnAcceptedInvite_getsThe2xxAgain_notAuthorizedAgain() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String branch = UUID.randomUUID().toString();
            String callId = UUID.randomUUID().toString();
            String invite = mixedCaseInvite(raw, branch, callId, "good");
            String ok = exchange(raw, invite, 200);
            acknowledge(raw, callId, ok);
            ServerTransactions.awaitNone(server, Duration.ofSeconds(6));
            while (raw.receive(100) != null) {
                // drain a 200 retransmitted before the ACK arrived
            }

            raw.send(invite, server.port());
            String okAgain = raw.receiveFinal(5000);
            assertNotNull(okAgain, "respond mode answers the late copy with its 2xx again (RFC 3261 13.3.1.4)");
            assertEquals(ok, okAgain, "the same 2xx, byte for byte");
            assertEquals(1, seen.size(), "the engine saw the INVITE once");
            assertEquals(1, events.size());

            String newBranch = UUID.randomUUID().toString();
            raw.send(invite.replace(branch, newBranch), server.port());
            String again = raw.receiveFinal(5000);
            assertNotNull(again, "a new transaction is authorized");
            assertEquals(2, seen.size());
        }
    }

    private static String mixedCaseInvite(RawSip raw, String branch, String callId, String username) throws IOException {
        return RawSip.template("/sip/invite-mixed-case.sip", Map.of("clientPort", "" + raw.localPort(),
                "branch", branch, "callId", callId, "username", username));
    }

    /** Starts the listener as a UAS and a raw UDP client for it. */
    private RawSip uasWithRawClient() throws Exception {
        start(Role.UAS);
        return new RawSip();
    }

    /** ACKs (a new branch) the 2xx {@code ok} to the call's first INVITE. */
    private void acknowledge(RawSip raw, String callId, String ok) throws IOException {
        raw.send(ack(raw, UUID.randomUUID().toString(), callId, RawSip.toTag(ok), 1), server.port());
    }

    /** Sends an INVITE the engine accepts (a fresh branch) and returns its 200. */
    private String acceptedInvite(RawSip raw, String callId) throws IOException {
        return exchange(raw, mixedCaseInvite(raw, UUID.randomUUID().toString(), callId, "good"), 200);
    }

    /** The message of {@code resource} from this client's port, with a fresh branch and Call-ID. */
    private static String freshInvite(RawSip raw, String resource) throws IOException {
        return RawSip.template(resource, Map.of("clientPort", "" + raw.localPort(),
                "branch", UUID.randomUUID().toString(), "callId", UUID.randomUUID().toString()));
    }

    /** Sends a request and returns its final response, which must have {@code status}. */
    private String exchange(RawSip raw, String request, int status) throws IOException {
        raw.send(request, server.port());
        String response = raw.receiveFinal(5000);
        assertNotNull(response, "no final response");
        assertTrue(response.startsWith("SIP/2.0 " + status + " "), response);
        return response;
    }

    private static String ack(RawSip raw, String branch, String callId, String toTag, int cseq) {
        return "ACK sip:Alice@Trunk.EXAMPLE.com;transport=udp SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + raw.localPort() + ";branch=z9hG4bK" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=raw1\r\n"
                + "To: <sip:Alice@Trunk.EXAMPLE.com>;tag=" + toTag + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " ACK\r\nContent-Length: 0\r\n\r\n";
    }

    /**
     * An accepted INVITE's transaction ends with its 2xx and the stack releases it at once
     * ({@code LINGER_TIMER} 0; the RI's default keeps it, request and response, 8 s more): under load
     * those lingering transactions were most of what G1 copied and promoted. The listener's
     * retransmission window absorbs a late copy instead (tested above).
     */
    @Test
    void acceptedInvite_transactionIsReleasedRightAfterThe2xx() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String callId = UUID.randomUUID().toString();
            String ok = acceptedInvite(raw, callId);
            long answered = System.nanoTime();
            ServerTransactions.awaitNone(server, Duration.ofSeconds(5));
            long lived = Duration.ofNanos(System.nanoTime() - answered).toMillis();
            assertTrue(lived < 1500, "transaction released " + lived + " ms after the 200");
            acknowledge(raw, callId, ok);
        }
    }

    @Test
    void respondMode_retransmits200UntilTheAck() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String callId = UUID.randomUUID().toString();
            String first = acceptedInvite(raw, callId);
            String again = raw.receiveFinal(3000);
            assertNotNull(again, "an unacknowledged 200 is retransmitted");
            assertEquals(RawSip.toTag(first), RawSip.toTag(again));
            acknowledge(raw, callId, first);
            while (raw.receive(300) != null) {
                // drain a retransmission that crossed the ACK
            }
            assertNull(raw.receive(3000), "no 200 after the ACK");
        }
    }

    @Test
    void truncatedAuthorizationHeader_reachesEngineVerbatimAndIsAnswered400() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            exchange(raw, freshInvite(raw, "/sip/invite-unparseable-authorization.sip"), 400);
            assertEquals(List.of("Digest username=\"bob\", realm=\"unterminated, nonce="), seen.get(0).credentials());
        }
    }

    /** Without a Contact sipauth answers 400; a malformed mandatory header (a bad CSeq) the stack does. */
    @ParameterizedTest
    @ValueSource(strings = {"/sip/invite-without-contact.sip", "/sip/invite-bad-cseq.sip"})
    void inviteWithoutContactOrWithAMalformedMandatoryHeader_isAnswered400WithoutReachingTheEngine(String resource)
            throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            exchange(raw, freshInvite(raw, resource), 400);
            assertTrue(seen.isEmpty());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CSeq: 1 INVITE|CSeq: one INVITE",
            "To: <sip:bob@trunk.example.com>|To: <sip:bob@trunk.example.com;tag=",
            "Content-Length: 0|Content-Length: many"})
    void malformedMandatoryHeaderOverTcp_isAnswered400OnTheConnection_andTcpKeepsServing(String good, String bad)
            throws Exception {
        start(Role.UAS);
        String valid = RawSip.template("/sip/invite-bad-cseq.sip", Map.of("clientPort", "5999",
                        "branch", UUID.randomUUID().toString(), "callId", UUID.randomUUID().toString()))
                .replace("SIP/2.0/UDP", "SIP/2.0/TCP")
                .replace("CSeq: one INVITE", "CSeq: 1 INVITE");
        assertTrue(valid.contains(good + "\r\n"), valid);
        String message = valid.replace(good + "\r\n", bad + "\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            String response = readHead(socket.getInputStream());
            assertTrue(response.startsWith("SIP/2.0 400"), "for " + bad + ": " + response);
        }
        assertTrue(seen.isEmpty());
        try (SipTestClient uac = new SipTestClient("tcp", server.port())) {
            assertEquals(401, uac.newCall("sip:alice@trunk.example.com").invite().getStatusCode());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CSeq: 1 INVITE|CSeq: one INVITE",
            "To: <sip:bob@trunk.example.com>|To: <sip:bob@trunk.example.com;tag=",
            "Content-Length: 0|Content-Length: many"})
    void malformedMandatoryHeaderOverUdp_isAnsweredWithAWellFormed400(String good, String bad) throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String valid = freshInvite(raw, "/sip/invite-bad-cseq.sip").replace("CSeq: one INVITE", "CSeq: 1 INVITE");
            raw.send(valid.replace(good + "\r\n", bad + "\r\n"), server.port());
            String response = raw.receiveFinal(5000);
            assertNotNull(response, "no answer for " + bad);
            String[] lines = response.split("\r\n");
            assertTrue(lines[0].matches("SIP/2\\.0 400 [^\\r\\n]*"), response);
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                assertTrue(lines[i].matches("[A-Za-z-]+:.*"), "line " + i + " is not a header: " + response);
            }
            assertTrue(response.contains("\r\nContent-Length: 0\r\n"), response);
            assertNull(raw.receive(500), "one answer only");
        }
        assertTrue(seen.isEmpty());
    }

    /** The start line and headers of the next message on a stream, or what came before EOF. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            text.append((char) b);
            if (text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return text.toString();
    }

    private static List<String> headerValues(Response r, String name) {
        List<String> values = new ArrayList<>();
        for (ListIterator<?> it = r.getHeaders(name); it.hasNext(); ) {
            values.add(it.next().toString());
        }
        return values;
    }
}
