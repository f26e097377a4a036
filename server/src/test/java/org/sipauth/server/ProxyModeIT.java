package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.ClientTransaction;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.testsip.DigestClient;

/**
 * Proxy mode end to end: real engine and provisioning, the server's JAIN-SIP stack, a JAIN-SIP
 * caller and JAIN-SIP callees on loopback ({@link SipPeer}).
 */
class ProxyModeIT {

    private static final String REALM = "sipauth.test";
    private static final String HOST = "trunk.sipauth.test";
    private static final String URI = "sip:15550001@" + HOST;
    private static final String PASSWORD = "Correct1Horse";

    private final List<AuthorizationEvent> decisions = new CopyOnWriteArrayList<>();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final Map<Sid, List<Destination>> destinations = new ConcurrentHashMap<>();
    private final List<SipPeer> peers = new ArrayList<>();
    private Provisioning provisioning;
    private Sid trunk;
    private SipServer server;

    @BeforeEach
    void provision() {
        provisioning = Provisioning.builder().store(new MemoryStore()).realm(REALM).build();
        Sid account = provisioning.accounts().create("proxy-it").account().sid();
        CredentialList list = provisioning.credentialLists().create(account, "proxy-it");
        provisioning.credentials().create(account, list.sid().value(), "alice", PASSWORD);
        Trunk t = provisioning.trunks().create(account, TrunkInput.builder().friendlyName("it").domainName(HOST).build());
        provisioning.mappings().create(account, MappingKind.TRUNK, t.sid().value(), list.sid().value());
        trunk = t.sid();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        peers.forEach(SipPeer::close);
    }

    private SipPeer peer(String transport) throws Exception {
        SipPeer peer = new SipPeer(transport);
        peers.add(peer);
        return peer;
    }

    private void startProxy(SipServer.Forwarding forwarding) throws Exception {
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, Role.PROXY, 200, null).withForwarding(forwarding),
                Engines.authorizer(provisioning.store(), REALM, Clock.systemUTC())::authorize, decisions::add,
                target -> destinations.getOrDefault(target, List.of()),
                (event, status, upstream) -> outcomes.add(status + " " + upstream));
    }

    private static SipServer.Forwarding proxy(Duration upstreamTimeout) {
        return new SipServer.Forwarding(ServerConfig.SipMode.proxy, null, true, upstreamTimeout, null, REALM);
    }

    private void routeTo(Destination... to) {
        destinations.put(trunk, List.of(to));
    }

    /** INVITE -> 407 -> INVITE with alice's credentials (password {@code password}); returns the authorized INVITE's transaction. */
    private ClientTransaction authorizedInvite(SipPeer caller, String password, String... extraHeaders) throws Exception {
        Request first = caller.invite(URI, server.port(), extraHeaders);
        caller.send(first);
        Response challenge = caller.awaitResponse(Response.PROXY_AUTHENTICATION_REQUIRED);
        String value = challenge.getHeader("Proxy-Authenticate").toString();
        value = value.substring(value.indexOf(':') + 1).trim();
        String credentials = DigestClient.authorization(value, Request.INVITE, URI, "alice", password,
                Long.toHexString(System.nanoTime()), 1);
        List<String> headers = new ArrayList<>(List.of(extraHeaders));
        headers.add("Proxy-Authorization: " + credentials);
        return caller.send(caller.reinvite(first, headers.toArray(String[]::new)));
    }

    private static List<String> values(javax.sip.message.Message m, String name) {
        List<String> values = new ArrayList<>();
        for (ListIterator<Header> it = m.getHeaders(name); it.hasNext(); ) {
            String text = it.next().toString();
            values.add(text.substring(text.indexOf(':') + 1).trim());
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void authorizedCall_reachesTheUpstreamWithoutCredentials_andItsDialogFollowsTheRecordRoute(String callerTransport)
            throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer(callerTransport);
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        ClientTransaction tx = authorizedInvite(caller, PASSWORD);
        Request forwarded = callee.awaitRequest(Request.INVITE);
        Response ok = caller.awaitResponse(Response.OK);

        assertTrue(values(forwarded, "Proxy-Authorization").isEmpty(), "credentials consumed: " + forwarded);
        assertEquals("sip:15550001@127.0.0.1:" + callee.port, forwarded.getRequestURI().toString(),
                "the destination, with the caller's user part");
        assertEquals(69, ((MaxForwardsHeader) forwarded.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        List<String> vias = values(forwarded, ViaHeader.NAME);
        assertEquals(2, vias.size(), "the proxy's Via on top of the caller's: " + vias);
        assertTrue(vias.get(0).contains(":" + server.port()) && vias.get(0).contains("branch=z9hG4bK"), vias.get(0));
        List<String> recordRoutes = values(forwarded, RecordRouteHeader.NAME);
        assertEquals(callerTransport.equals("udp") ? 1 : 2, recordRoutes.size(),
                "one Record-Route, two when the legs' transports differ (RFC 5658): " + recordRoutes);
        assertTrue(recordRoutes.get(0).contains(";lr") && recordRoutes.get(0).contains(";sa="), recordRoutes.get(0));
        assertEquals(recordRoutes, values(ok, RecordRouteHeader.NAME), "the caller learns the route set");
        assertEquals(1, values(ok, ViaHeader.NAME).size(), "the proxy's Via is removed from the response");
        assertEquals(List.of("200 sip:127.0.0.1:" + callee.port), outcomes, "outcome: status and upstream");
        assertTrue(decisions.stream().noneMatch(e -> e.outcome().equals("ALLOWED")),
                "the accepted INVITE is reported with its outcome, not at decision time");

        caller.sendStateless(caller.inDialog(Request.ACK, tx.getRequest(), ok));
        Request ack = callee.awaitRequest(Request.ACK);
        assertTrue(values(ack, "Route").isEmpty(), "the proxy pops its own Route: " + ack);
        caller.send(caller.inDialog(Request.BYE, tx.getRequest(), ok));
        Request bye = callee.awaitRequest(Request.BYE);
        assertEquals(((ToHeader) ok.getHeader(ToHeader.NAME)).getTag(), ((ToHeader) bye.getHeader(ToHeader.NAME)).getTag());
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode(), "the BYE's 200 relayed");
    }

    @Test
    void retransmitted2xx_isRelayedWithoutItsTransaction() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        callee.repeat2xx();
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD);
        Response first = caller.awaitResponse(Response.OK);
        Response second = caller.awaitResponse(Response.OK);
        assertEquals(first.getHeader(ToHeader.NAME).toString(), second.getHeader(ToHeader.NAME).toString());
        assertEquals(1, values(second, ViaHeader.NAME).size(), "the copy, too, without the proxy's Via");
        assertEquals(1, outcomes.size(), "one outcome per call: " + outcomes);
    }

    @Test
    void wrongPassword_neverReachesTheUpstream() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD + "x");
        caller.awaitResponse(Response.PROXY_AUTHENTICATION_REQUIRED); // the second 407
        caller.send(caller.invite(URI, server.port())); // and one more without credentials
        caller.awaitResponse(Response.PROXY_AUTHENTICATION_REQUIRED);
        assertTrue(callee.receivedSoFar().isEmpty(), "nothing reached the upstream: " + callee.receivedSoFar());
        assertTrue(outcomes.isEmpty());
    }

    @Test
    void upstreamBusy_isRelayedToTheCaller() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        callee.answerInvitesWith(request -> List.of(Response.RINGING, Response.BUSY_HERE));
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD);
        // Sent back to back by the callee, and relayed in that order: one call's messages are
        // handled by one thread of the proxy.
        assertEquals(Response.RINGING, caller.awaitResponse().getStatusCode());
        assertEquals(Response.BUSY_HERE, caller.awaitFinal().getStatusCode());
        assertEquals(List.of("486 sip:127.0.0.1:" + callee.port), outcomes);
    }

    @Test
    void cancelBeforeAnswer_reachesTheUpstream_andTheCallerGets487() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        callee.answerInvitesWith(request -> List.of(Response.RINGING)); // rings until cancelled
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        ClientTransaction invite = authorizedInvite(caller, PASSWORD);
        caller.awaitResponse(Response.RINGING);
        caller.cancel(invite);
        assertNotNull(callee.awaitRequest(Request.CANCEL));
        assertEquals(Response.REQUEST_TERMINATED, caller.awaitResponse(Response.REQUEST_TERMINATED).getStatusCode());
    }

    @Test
    void silentDestination_failsOverToTheNextByPriority() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        int silent = SipPeer.freePort("udp"); // nothing listens there: no answer at all
        routeTo(new Destination(callee.uri(), 20, 1), new Destination("sip:127.0.0.1:" + silent, 10, 1));
        startProxy(proxy(Duration.ofMillis(300)));

        authorizedInvite(caller, PASSWORD);
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode());
        assertEquals(List.of("200 sip:127.0.0.1:" + callee.port), outcomes);
    }

    @Test
    void destinationAnswering503_failsOverToTheNext() throws Exception {
        SipPeer unavailable = peer("udp");
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        unavailable.answerInvitesWith(request -> List.of(Response.SERVICE_UNAVAILABLE));
        routeTo(new Destination(unavailable.uri(), 10, 1), new Destination(callee.uri(), 20, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD);
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode());
        assertNotNull(unavailable.awaitRequest(Request.INVITE));
        assertEquals(List.of("200 sip:127.0.0.1:" + callee.port), outcomes);
    }

    @Test
    void allDestinationsDown_theCallerGets503WithRetryAfter() throws Exception {
        SipPeer unavailable = peer("udp");
        SipPeer caller = peer("udp");
        unavailable.answerInvitesWith(request -> List.of(Response.SERVICE_UNAVAILABLE));
        int closedTcp = SipPeer.freePort("tcp"); // connection refused
        routeTo(new Destination("sip:127.0.0.1:" + closedTcp + ";transport=tcp", 10, 1),
                new Destination(unavailable.uri(), 20, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD);
        Response response = caller.awaitFinal();
        assertEquals(Response.SERVICE_UNAVAILABLE, response.getStatusCode());
        assertNotNull(response.getHeader("Retry-After"), "Retry-After: " + response);
        assertEquals(List.of("503 null"), outcomes, "answered by the proxy itself");
    }

    @Test
    void targetWithoutDestination_gets480() throws Exception {
        SipPeer caller = peer("udp");
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD);
        assertEquals(Response.TEMPORARILY_UNAVAILABLE, caller.awaitFinal().getStatusCode());
    }

    @Test
    void serverWideUpstream_takesCallsOfTargetsWithoutDestinations() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        startProxy(new SipServer.Forwarding(ServerConfig.SipMode.proxy, callee.uri(), true, Duration.ofSeconds(5), null, REALM));

        authorizedInvite(caller, PASSWORD);
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode());
        assertNotNull(callee.awaitRequest(Request.INVITE));
    }

    @Test
    void maxForwardsZero_gets483_andNothingIsForwarded() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        authorizedInvite(caller, PASSWORD, "Max-Forwards: 0");
        assertEquals(Response.TOO_MANY_HOPS, caller.awaitFinal().getStatusCode());
        assertTrue(callee.receivedSoFar().isEmpty());
    }

    @Test
    void requestLoopingBackToTheProxy_gets482() throws Exception {
        SipPeer caller = peer("udp");
        startProxy(proxy(Duration.ofSeconds(5)));
        routeTo(new Destination("sip:127.0.0.1:" + server.port(), 10, 1)); // the proxy itself

        authorizedInvite(caller, PASSWORD);
        assertEquals(Response.LOOP_DETECTED, caller.awaitFinal().getStatusCode());
    }

    @Test
    void inDialogRequestWithoutTheProxysRoute_gets481_andOneWithAForgedToken403Or481() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        Request bye = caller.invite(URI, server.port());
        bye.setMethod(Request.BYE);
        bye.setHeader(caller.headers.createCSeqHeader(2L, Request.BYE));
        ((ToHeader) bye.getHeader(ToHeader.NAME)).setTag("not-ours");
        caller.send(bye);
        assertEquals(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, caller.awaitFinal().getStatusCode());

        Request forged = caller.invite(URI, server.port());
        forged.setMethod(Request.BYE);
        forged.setHeader(caller.headers.createCSeqHeader(2L, Request.BYE));
        ((ToHeader) forged.getHeader(ToHeader.NAME)).setTag("not-ours");
        forged.removeHeader("Route");
        forged.addHeader(caller.headers.createHeader("Route", "<sip:127.0.0.1:" + server.port() + ";lr;sa=0123456789abcdef>"));
        caller.send(forged);
        assertEquals(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, caller.awaitFinal().getStatusCode());
        assertTrue(callee.receivedSoFar().isEmpty(), "nothing forwarded: " + callee.receivedSoFar());
    }

    @Test
    void reInviteInTheDialog_passesWithoutANewChallenge() throws Exception {
        SipPeer callee = peer("udp");
        SipPeer caller = peer("udp");
        routeTo(new Destination(callee.uri(), 10, 1));
        startProxy(proxy(Duration.ofSeconds(5)));

        ClientTransaction tx = authorizedInvite(caller, PASSWORD);
        Response ok = caller.awaitResponse(Response.OK);
        callee.awaitRequest(Request.INVITE);
        caller.sendStateless(caller.inDialog(Request.ACK, tx.getRequest(), ok));
        Request reinvite = caller.inDialog(Request.INVITE, tx.getRequest(), ok);
        caller.send(reinvite);
        Request received = callee.awaitRequest(Request.INVITE);
        assertNotNull(((ToHeader) received.getHeader(ToHeader.NAME)).getTag(), "the re-INVITE, in its dialog");
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode(), "no 407 for the re-INVITE");
    }

    @Test
    void redirectMode_answers302WithTheDestinations() throws Exception {
        SipPeer caller = peer("udp");
        routeTo(new Destination("sip:10.0.0.7:5070", 20, 1), new Destination("sip:pbx@10.0.0.5;transport=tcp", 10, 1));
        startProxy(SipServer.Forwarding.redirect(null));

        authorizedInvite(caller, PASSWORD);
        Response response = caller.awaitFinal();
        assertEquals(Response.MOVED_TEMPORARILY, response.getStatusCode());
        assertEquals(List.of("<sip:pbx@10.0.0.5;transport=tcp>;q=1.000", "<sip:15550001@10.0.0.7:5070>;q=0.999"),
                values(response, "Contact"), "by priority; the caller's user where the destination has none");
        assertEquals(List.of("302 sip:pbx@10.0.0.5;transport=tcp"), outcomes);
        assertNull(response.getHeader("Record-Route"));
        assertFalse(decisions.stream().anyMatch(e -> e.outcome().equals("ALLOWED")));
    }
}
