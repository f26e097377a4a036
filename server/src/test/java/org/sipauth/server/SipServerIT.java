package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.core.testing.Await;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.MutableClock;
import org.sipauth.testsip.RawSip;
import org.sipauth.testsip.SipTestClient;

/**
 * The standalone listener end to end: real engine, real provisioning on a MemoryStore, a real
 * JAIN-SIP UAC on loopback; digest responses computed by the test's own {@link DigestClient}.
 */
class SipServerIT {

    private static final String REALM = "sipauth.test";
    private static final String HOST = "trunk.sipauth.test";
    private static final String URI = "sip:15550001@" + HOST;
    private static final String PASSWORD = "Correct1Horse";

    private final List<AuthorizationEvent> events = new CopyOnWriteArrayList<>();
    private MutableClock clock;
    private Provisioning provisioning;
    private Sid account;
    private CredentialList list;
    private Credential alice;
    private SipServer server;

    @BeforeEach
    void provision() {
        clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
        MemoryStore store = new MemoryStore();
        provisioning = Provisioning.builder().store(store).realm(REALM).clock(clock).build();
        account = provisioning.accounts().create("sip-it").account().sid();
        list = provisioning.credentialLists().create(account, "sip-it");
        alice = provisioning.credentials().create(account, list.sid().value(), "alice", PASSWORD);
        Trunk trunk = provisioning.trunks().create(account, TrunkInput.builder().friendlyName("it").domainName(HOST).build());
        provisioning.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), list.sid().value());
    }

    private SipServer start(Role role) throws Exception {
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, role, 200, null),
                Engines.authorizer(provisioning.store(), REALM, clock)::authorize, events::add);
        return server;
    }

    /** Starts the listener as a UAS and a client over {@code transport} talking to it. */
    private SipTestClient uasWithClient(String transport) throws Exception {
        start(Role.UAS);
        return new SipTestClient(transport, server.port());
    }

    /** Starts the listener as a UAS and a raw UDP client for it. */
    private RawSip uasWithRawClient() throws Exception {
        start(Role.UAS);
        return new RawSip();
    }

    private AuthorizationEvent lastDecision() {
        return events.get(events.size() - 1);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static long eventScannerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("EventScannerThread")).count();
    }

    /** jain-sip-ri's stop() alone leaves its non-daemon event thread waiting, so a JVM would not exit. */
    @Test
    void close_leavesNoStackThreadBehind() throws Exception {
        long before = eventScannerThreads();
        start(Role.UAS);
        assertEquals(before + 1, eventScannerThreads(), "the stack's event thread runs");
        server.close();
        server = null;
        Await.until(Duration.ofSeconds(5), () -> eventScannerThreads() == before,
                () -> "the event thread to end with close(); " + eventScannerThreads() + " running, " + before + " before");
    }

    private static List<String> headers(Response r, String name) {
        List<String> values = new ArrayList<>();
        for (ListIterator<?> it = r.getHeaders(name); it.hasNext(); ) {
            String text = it.next().toString();
            values.add(text.substring(text.indexOf(':') + 1).trim());
        }
        return values;
    }

    private static String challengeFor(Response r, String headerName, String algorithm) {
        for (String value : headers(r, headerName)) {
            if (algorithm.equals(DigestClient.parseChallenge(value).get("algorithm"))) {
                return value;
            }
        }
        throw new AssertionError("no " + algorithm + " challenge in " + r);
    }

    private static String sha256Challenge(Response r) {
        return challengeFor(r, "WWW-Authenticate", "SHA-256");
    }

    /** The call's next INVITE, with alice's right answer to {@code challenge} in its Authorization header. */
    private static Response inviteAsAlice(SipTestClient.Call call, String challenge, String cnonce) throws Exception {
        return call.invite("Authorization: " + authorization(challenge, "alice", PASSWORD, cnonce));
    }

    /** The Authorization value answering {@code challenge} for an INVITE to {@link #URI}. */
    private static String authorization(String challenge, String username, String password, String cnonce) {
        return DigestClient.authorization(challenge, "INVITE", URI, username, password, cnonce, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void noCredentials_getsOneChallengePerAlgorithm_inTheOrderConfigured(String transport) throws Exception {
        try (SipTestClient uac = uasWithClient(transport)) {
            Response r = uac.newCall(URI).invite();
            assertEquals(401, r.getStatusCode());
            List<String> values = headers(r, "WWW-Authenticate");
            assertEquals(List.of("SHA-256", "MD5"),
                    values.stream().map(v -> DigestClient.parseChallenge(v).get("algorithm")).toList());
            for (String v : values) {
                Map<String, String> c = DigestClient.parseChallenge(v);
                assertEquals(REALM, c.get("realm"));
                assertEquals("auth", c.get("qop"));
                assertNotNull(c.get("nonce"));
            }
            assertNotNull(((ToHeader) r.getHeader(ToHeader.NAME)).getTag());
            assertEquals("CHALLENGED", events.get(0).outcome());
        }
    }

    @ParameterizedTest
    @CsvSource({"udp,SHA-256", "udp,MD5", "tcp,SHA-256", "tcp,MD5"})
    void rightPassword_isAnswered200(String transport, String algorithm) throws Exception {
        try (SipTestClient uac = uasWithClient(transport)) {
            SipTestClient.Call call = uac.newCall(URI);
            Response challenge = call.invite();
            String auth = authorization(challengeFor(challenge, "WWW-Authenticate", algorithm),
                    "alice", PASSWORD, "c0ffee01");
            Response ok = call.invite("Authorization: " + auth);
            assertEquals(200, ok.getStatusCode());
            AuthorizationEvent allowed = lastDecision();
            assertEquals("ALLOWED", allowed.outcome());
            assertEquals("alice", allowed.username());
            assertTrue(!allowed.toLogLine().contains(PASSWORD));
        }
    }

    /** A wrong password, and a user the list does not have, over either transport and with either algorithm. */
    @ParameterizedTest
    @CsvSource({"udp,SHA-256,alice,Wrong1Password", "tcp,SHA-256,alice,Wrong1Password", "udp,MD5,mallory," + PASSWORD})
    void wrongCredentials_areChallengedAgain(String transport, String algorithm, String username, String password)
            throws Exception {
        try (SipTestClient uac = uasWithClient(transport)) {
            SipTestClient.Call call = uac.newCall(URI);
            String challenge = challengeFor(call.invite(), "WWW-Authenticate", algorithm);
            Response again = call.invite("Authorization: " + authorization(challenge, username, password, "c0ffee02"));
            assertEquals(401, again.getStatusCode());
            assertEquals("BAD_CREDENTIALS", lastDecision().reason());
        }
    }

    @Test
    void unknownHost_isRejectedWithoutChallenge() throws Exception {
        try (SipTestClient uac = uasWithClient("udp")) {
            Response r = uac.newCall("sip:15550001@nobody.example.org").invite();
            assertNotEquals(401, r.getStatusCode());
            assertTrue(r.getStatusCode() == 403 || r.getStatusCode() == 404, "status " + r.getStatusCode());
            assertEquals("UNKNOWN_TARGET", events.get(0).reason());
        }
    }

    @Test
    void deletedCredential_failsOnTheNextInvite() throws Exception {
        try (SipTestClient uac = uasWithClient("udp")) {
            SipTestClient.Call call = uac.newCall(URI);
            assertEquals(200, inviteAsAlice(call, sha256Challenge(call.invite()), "c0ffee04").getStatusCode());

            provisioning.credentials().delete(account, list.sid().value(), alice.sid().value());

            SipTestClient.Call next = uac.newCall(URI);
            assertEquals(401, inviteAsAlice(next, sha256Challenge(next.invite()), "c0ffee05").getStatusCode());
        }
    }

    @Test
    void replayedAuthorization_isNotAcceptedTwice() throws Exception {
        try (SipTestClient uac = uasWithClient("udp")) {
            SipTestClient.Call call = uac.newCall(URI);
            String auth = authorization(sha256Challenge(call.invite()), "alice", PASSWORD, "c0ffee06");
            assertEquals(200, call.invite("Authorization: " + auth).getStatusCode());
            // The same header in a new INVITE transaction (new branch, new call): a replay.
            Response replay = uac.newCall(URI).invite("Authorization: " + auth);
            assertEquals(401, replay.getStatusCode());
            assertEquals("REPLAY", lastDecision().reason());
        }
    }

    @Test
    void expiredNonce_isChallengedStale_thenTheFreshNonceSucceeds() throws Exception {
        try (SipTestClient uac = uasWithClient("udp")) {
            SipTestClient.Call call = uac.newCall(URI);
            String old = sha256Challenge(call.invite());
            clock.advance(Duration.ofMinutes(10));
            Response stale = inviteAsAlice(call, old, "c0ffee07");
            assertEquals(401, stale.getStatusCode());
            String fresh = sha256Challenge(stale);
            assertEquals("true", DigestClient.parseChallenge(fresh).get("stale").toLowerCase(java.util.Locale.ROOT));
            assertEquals(200, inviteAsAlice(call, fresh, "c0ffee08").getStatusCode());
        }
    }

    @Test
    void proxyRole_challenges407_andAcceptsProxyAuthorization() throws Exception {
        start(Role.PROXY);
        try (SipTestClient uac = new SipTestClient("udp", server.port())) {
            SipTestClient.Call call = uac.newCall(URI);
            Response challenge = call.invite();
            assertEquals(407, challenge.getStatusCode());
            assertTrue(headers(challenge, "WWW-Authenticate").isEmpty());
            String auth = authorization(challengeFor(challenge, "Proxy-Authenticate", "SHA-256"),
                    "alice", PASSWORD, "c0ffee09");
            assertEquals(200, call.invite("Proxy-Authorization: " + auth).getStatusCode());
        }
    }

    /**
     * The feedback loop seen under load: an authenticated INVITE answered late is retransmitted by
     * the client, and a copy arriving after the stack forgot the accepted transaction used to be
     * authorized again, fail the replay guard and get a 401 for a call already accepted. Now the copy
     * is absorbed; the same credentials in a new transaction are still a replay.
     */
    @Test
    void lateCopyOfAnAcceptedInvite_getsThe200Again_notChallengedAsAReplay() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String callId = UUID.randomUUID().toString();
            String challenge = challengedAndAcknowledged(raw, "b1", callId);
            String invite = rawInviteAsAlice(raw, "b2", callId, challenge, "c0ffee0a");
            raw.send(invite, server.port());
            String ok = raw.receiveFinal(5000);
            assertNotNull(ok);
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            int decisions = events.size();
            raw.send(rawAck(raw, "b3", callId, 2, RawSip.toTag(ok)), server.port());
            ServerTransactions.awaitNone(server, Duration.ofSeconds(6));
            while (raw.receive(100) != null) {
                // drain a 200 retransmitted before the ACK arrived
            }

            raw.send(invite, server.port());
            String late = raw.receiveFinal(5000);
            assertEquals(ok, late, "the late copy gets the same 200 again, not a challenge");
            assertEquals(decisions, events.size(), "no second decision");

            raw.send(invite.replace("z9hG4bKb2", "z9hG4bKb4"), server.port());
            String replay = raw.receiveFinal(5000);
            assertNotNull(replay);
            assertTrue(replay.startsWith("SIP/2.0 401"), replay);
            assertEquals("REPLAY", lastDecision().reason());
        }
    }

    /** RFC 3261 15.1.2: a BYE that matches no dialog gets 481; so does any other request with a To-tag. */
    @Test
    void byeOutsideAnyDialog_andInDialogRequestsWithAForeignTag_get481() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String callId = UUID.randomUUID().toString();
            raw.send(rawRequest(raw, "BYE", "y1", callId, 2, "1234567890abcdef"), server.port());
            assertStatus(481, raw, "BYE");
            raw.send(rawRequest(raw, "BYE", "y2", UUID.randomUUID().toString(), 2, null), server.port());
            assertStatus(481, raw, "BYE");
            raw.send(rawRequest(raw, "OPTIONS", "y3", callId, 3, "1234567890abcdef"), server.port());
            assertStatus(481, raw, "OPTIONS");
            raw.send(rawRequest(raw, "INFO", "y4", callId, 4, "1234567890abcdef"), server.port());
            assertStatus(481, raw, "INFO");
            raw.send(rawRequest(raw, "OPTIONS", "y5", UUID.randomUUID().toString(), 1, null), server.port());
            assertStatus(200, raw, "OPTIONS");
        }
    }

    /** A BYE for a call this server answered 200 gets 200; the same tag on another call, or another tag, 481. */
    @Test
    void byeForAnAcceptedCall_gets200_butNotWithAnotherTagOrCallId() throws Exception {
        try (RawSip raw = uasWithRawClient()) {
            String callId = UUID.randomUUID().toString();
            String challenge = challengedAndAcknowledged(raw, "a1", callId);
            raw.send(rawInviteAsAlice(raw, "a2", callId, challenge, "c0ffee0b"), server.port());
            String ok = assertStatus(200, raw, "INVITE");
            String tag = RawSip.toTag(ok);
            assertNotNull(tag);
            assertNotEquals(RawSip.toTag(challenge), tag);
            raw.send(rawAck(raw, "a3", callId, 2, tag), server.port());

            raw.send(rawRequest(raw, "BYE", "a4", UUID.randomUUID().toString(), 3, tag), server.port());
            assertStatus(481, raw, "BYE");
            raw.send(rawRequest(raw, "BYE", "a5", callId, 3, RawSip.toTag(challenge)), server.port());
            assertStatus(481, raw, "BYE");
            raw.send(rawRequest(raw, "BYE", "a6", callId, 3, tag), server.port());
            assertStatus(200, raw, "BYE");
        }
    }

    /** The next final response to {@code method} (skipping 2xx retransmissions to the INVITE), which must have {@code status}. */
    private static String assertStatus(int status, RawSip raw, String method) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            String response = raw.receiveFinal(5000);
            assertNotNull(response, "no response to " + method);
            if (response.contains(" " + method + "\r\n")) {
                assertTrue(response.startsWith("SIP/2.0 " + status + " "), response);
                return response;
            }
        }
        throw new AssertionError("no response to " + method);
    }

    private static String rawRequest(RawSip raw, String method, String branch, String callId, int cseq, String toTag) {
        return rawRequest(raw, method, branch, callId, cseq, toTag, "");
    }

    private static String rawRequest(RawSip raw, String method, String branch, String callId, int cseq, String toTag,
                                     String extraHeaders) {
        return method + " " + URI + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + raw.localPort() + ";branch=z9hG4bK" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@" + HOST + ">;tag=late1\r\n"
                + "To: <" + URI + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
    }

    private static String rawInvite(RawSip raw, String branch, String callId, int cseq, String extraHeaders) {
        return rawRequest(raw, "INVITE", branch, callId, cseq, null,
                "Contact: <sip:alice@127.0.0.1:" + raw.localPort() + ">\r\n" + extraHeaders);
    }

    /** The call's second INVITE (CSeq 2), with alice's answer to the SHA-256 challenge of the 401 {@code challenge}. */
    private static String rawInviteAsAlice(RawSip raw, String branch, String callId, String challenge, String cnonce) {
        String auth = authorization(wwwAuthenticate(challenge, "SHA-256"), "alice", PASSWORD, cnonce);
        return rawInvite(raw, branch, callId, 2, "Authorization: " + auth + "\r\n");
    }

    private static String rawAck(RawSip raw, String branch, String callId, int cseq, String toTag) {
        return rawRequest(raw, "ACK", branch, callId, cseq, toTag);
    }

    /** Sends an INVITE without credentials as the call's first transaction, acknowledges its 401 and returns it. */
    private String challengedAndAcknowledged(RawSip raw, String branch, String callId) throws Exception {
        raw.send(rawInvite(raw, branch, callId, 1, ""), server.port());
        String challenge = raw.receiveFinal(5000);
        assertNotNull(challenge);
        assertTrue(challenge.startsWith("SIP/2.0 401"), challenge);
        raw.send(rawAck(raw, branch, callId, 1, RawSip.toTag(challenge)), server.port());
        return challenge;
    }

    private static String wwwAuthenticate(String response, String algorithm) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "WWW-Authenticate:", 0, 17)) {
                String value = line.substring(17).trim();
                if (algorithm.equals(DigestClient.parseChallenge(value).get("algorithm"))) {
                    return value;
                }
            }
        }
        throw new AssertionError("no " + algorithm + " challenge in " + response);
    }
}
