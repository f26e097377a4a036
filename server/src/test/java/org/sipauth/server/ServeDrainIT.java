package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.testing.Await;

/**
 * SIGTERM to a real {@code serve} process (the shaded jar, {@link ServeProcess}) in proxy mode while
 * a call is in progress (its callee holds the INVITE): {@code /ready} fails, new INVITEs get 503 with
 * Retry-After, the held call is answered and its ACK reaches the callee through the proxy, and the
 * process then exits 0 on its own, long before its drain timeout; a second SIGTERM stops it at once,
 * and {@code SIPAUTH_DRAIN_TIMEOUT=0} does not drain at all.
 */
class ServeDrainIT {

    private static final String ACCOUNT = "AC" + "d7".repeat(16);
    private static final String TOKEN = "drain-token-123";
    private static final Pattern SIP_PORT = Pattern.compile("SIP listening on \\S+ port (\\d+)");
    /** Far beyond what the tests wait: an exit they see is the drain's end or the second signal, never the timeout. */
    private static final String DRAIN_TIMEOUT = "300";

    private final List<SipPeer> peers = new ArrayList<>();
    private ServeProcess serve;

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null && serve.process().isAlive()) {
            serve.process().destroyForcibly();
            serve.process().waitFor(10, TimeUnit.SECONDS);
        }
        peers.forEach(SipPeer::close);
    }

    private SipPeer peer(String transport) throws Exception {
        SipPeer peer = new SipPeer(transport);
        peers.add(peer);
        return peer;
    }

    /** {@code serve} in proxy mode towards {@code callee}, provisioned, with a long drain timeout; returns its SIP port. */
    private int serveInFrontOf(SipPeer callee) throws Exception {
        return serveInFrontOf(callee, Map.of(), "--drain-timeout", DRAIN_TIMEOUT);
    }

    private int serveInFrontOf(SipPeer callee, Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("SIPAUTH_ACCOUNT_SID", ACCOUNT);
        all.put("SIPAUTH_AUTH_TOKEN", TOKEN);
        List<String> options = new ArrayList<>(List.of("--store", "memory", "--admin-port", "0", "--sip-host", "127.0.0.1",
                "--sip-port", "0", "--sip-mode", "proxy", "--upstream", callee.uri()));
        options.addAll(List.of(args));
        serve = ServeProcess.start(all, options);
        Await.until(Duration.ofSeconds(30), () -> serve.find(SIP_PORT) != null, () -> "SIP port printed: " + serve.lines());
        new AdminHttp(serve.port(), ACCOUNT, TOKEN).trunkWithOneCredential("drain", DrainFixture.HOST, DrainFixture.USER,
                DrainFixture.PASSWORD);
        assertEquals(200, DrainFixture.get(serve.port(), "/ready").statusCode());
        return Integer.parseInt(serve.find(SIP_PORT));
    }

    /** A call the callee holds (180, no final response): in progress until the test answers it. */
    private Request heldCall(SipPeer caller, SipPeer callee, int sipPort) throws Exception {
        callee.answerInvitesWith(request -> List.of(Response.RINGING));
        Request invite = DrainFixture.authenticatedInvite(caller, sipPort);
        caller.awaitResponse(Response.RINGING);
        return invite;
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} sends the same signal but also
     * closes the pipes, and the lines the server prints while draining would be lost.
     */
    private void sigterm() {
        assertTrue(serve.process().toHandle().destroy(), "SIGTERM sent");
    }

    /**
     * The process exits with 0 well within the tests' bound (a generous one: the drain timeout is far
     * longer), having printed {@code line}.
     */
    private void assertExitsZero(String why, String line) throws InterruptedException {
        assertTrue(serve.process().waitFor(60, TimeUnit.SECONDS), why);
        assertEquals(0, serve.process().exitValue());
        serve.drain().join(10_000);
        assertTrue(serve.lines().stream().anyMatch(printed -> printed.contains(line)), serve.lines().toString());
    }

    private void awaitDraining() {
        Await.until(Duration.ofSeconds(30), () -> readyStatus() == 503, () -> "/ready fails while draining: " + serve.lines());
    }

    private int readyStatus() {
        try {
            return DrainFixture.get(serve.port(), "/ready").statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sigterm_refusesNewInvites_finishesTheCallInProgress_thenExitsZero() throws Exception {
        SipPeer callee = peer("udp");
        int sipPort = serveInFrontOf(callee);
        SipPeer caller = peer("udp");
        Request invite = heldCall(caller, callee, sipPort);

        sigterm();
        awaitDraining();
        assertEquals("{\"status\":\"draining\"}", DrainFixture.get(serve.port(), "/ready").body());
        DrainFixture.assertRefused(peer("udp"), sipPort);
        DrainFixture.assertRefused(peer("tcp"), sipPort);
        assertTrue(serve.process().isAlive(), "the call in progress keeps the process draining");

        callee.answerHeld(Response.OK);
        DrainFixture.answeredAndAcknowledged(caller, invite);
        callee.awaitRequest(Request.ACK); // the call is set up end to end: the 200 reached the caller, its ACK the callee
        assertExitsZero("exits once nothing is in progress", "drained: no call in progress");
    }

    @Test
    void secondSigterm_duringTheDrain_stopsAtOnce() throws Exception {
        SipPeer callee = peer("udp");
        int sipPort = serveInFrontOf(callee);
        heldCall(peer("udp"), callee, sipPort);

        sigterm();
        awaitDraining();
        assertTrue(serve.process().isAlive(), "the held call keeps the first drain waiting");
        sigterm();
        assertExitsZero("the second signal does not wait for the call", "drain cut short");
    }

    @Test
    void drainTimeoutZero_fromTheEnvironment_stopsWithoutWaitingForTheCall() throws Exception {
        SipPeer callee = peer("udp");
        int sipPort = serveInFrontOf(callee, Map.of("SIPAUTH_DRAIN_TIMEOUT", "0"));
        heldCall(peer("udp"), callee, sipPort);

        sigterm();
        assertExitsZero("no drain: the held call does not keep it", "SIGTERM: stopping (--drain-timeout 0)");
        assertTrue(serve.lines().stream().noneMatch(line -> line.contains("draining")), serve.lines().toString());
    }
}
