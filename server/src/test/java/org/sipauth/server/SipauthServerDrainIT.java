package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.jdbc.JdbcStore;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.core.testing.Await;

/**
 * {@code GET /ready} and {@link SipauthServer#drain} on real servers in process: starting while the
 * SIP listener is not bound, ready, store unreachable once the store is gone; and in proxy mode a
 * call the callee holds keeps the drain waiting while new INVITEs (UDP and TCP) get 503 with
 * Retry-After, and its 200, ACK and BYE still pass.
 */
class SipauthServerDrainIT {

    private final List<SipPeer> peers = new ArrayList<>();
    private SipauthServer server;
    private SipPeer callee;

    @BeforeEach
    void start() throws Exception {
        callee = peer("udp");
        server = new SipauthServer(ServerConfig.builder().adminPort(0).sipHost("127.0.0.1").sipPort(0)
                .sipMode(ServerConfig.SipMode.proxy).sipUpstream(callee.uri()).build(), new MemoryStore());
        server.start();
        var provisioning = server.provisioning();
        Sid account = provisioning.accounts().create("drain").account().sid();
        var list = provisioning.credentialLists().create(account, "drain");
        provisioning.credentials().create(account, list.sid().value(), DrainFixture.USER, DrainFixture.PASSWORD);
        var trunk = provisioning.trunks().create(account, org.sipauth.core.provisioning.TrunkInput.builder()
                .friendlyName("pbx").domainName(DrainFixture.HOST).build());
        provisioning.mappings().create(account, org.sipauth.core.model.MappingKind.TRUNK, trunk.sid().value(),
                list.sid().value());
    }

    @AfterEach
    void stop() {
        peers.forEach(SipPeer::close);
        if (server != null) {
            server.close();
        }
    }

    private SipPeer peer(String transport) throws Exception {
        SipPeer peer = new SipPeer(transport);
        peers.add(peer);
        return peer;
    }

    @Test
    void ready_isOkOnceStarted_withoutCredentials_andHealthStaysLiveness() throws Exception {
        var ready = DrainFixture.get(server.adminPort(), "/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\"}", ready.body());
        assertEquals(200, DrainFixture.get(server.adminPort(), "/health").statusCode());
    }

    @Test
    void ready_isStarting_whileTheSipListenerIsNotBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SipauthServer blocked = new SipauthServer(ServerConfig.builder().adminPort(0).sipHost("127.0.0.1")
                     .sipPort(taken.getLocalPort()).build(), new MemoryStore())) {
            assertThrows(IOException.class, blocked::start, "the SIP port is taken");
            var ready = DrainFixture.get(blocked.adminPort(), "/ready");
            assertEquals(503, ready.statusCode(), "the admin API serves, the SIP listener is not bound");
            assertEquals("{\"status\":\"starting\"}", ready.body());
            assertEquals(200, DrainFixture.get(blocked.adminPort(), "/health").statusCode());
        }
    }

    @Test
    void ready_failsOnceTheStoreIsUnreachable(@TempDir Path dataDir) throws Exception {
        try (SipauthServer h2 = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(),
                JdbcStore.h2(dataDir))) {
            h2.start();
            assertEquals(200, DrainFixture.get(h2.adminPort(), "/ready").statusCode());
            h2.store().close(); // the database goes away under the running server
            Await.until(Duration.ofSeconds(10), () -> readyStatus(h2) == 503, "/ready fails within about a second");
            assertEquals("{\"status\":\"store unreachable\"}", DrainFixture.get(h2.adminPort(), "/ready").body());
            assertEquals(200, DrainFixture.get(h2.adminPort(), "/health").statusCode(), "alive: a restart would not help");
        }
    }

    @Test
    void drain_refusesNewInvites_waitsForTheCallInProgress_andLetsItsDialogFinish() throws Exception {
        int sipPort = server.sip().orElseThrow().port();
        callee.answerInvitesWith(request -> List.of(Response.RINGING));
        SipPeer caller = peer("udp");
        Request invite = DrainFixture.authenticatedInvite(caller, sipPort);
        caller.awaitResponse(Response.RINGING);

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return server.drain(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        Await.until(Duration.ofSeconds(10), () -> readyStatus() == 503, "/ready answers 503 while draining");
        var ready = DrainFixture.get(server.adminPort(), "/ready");
        assertEquals("{\"status\":\"draining\"}", ready.body());
        assertEquals(200, DrainFixture.get(server.adminPort(), "/health").statusCode(), "still alive");

        DrainFixture.assertRefused(peer("udp"), sipPort);
        DrainFixture.assertRefused(peer("tcp"), sipPort);
        assertFalse(drained.isDone(), "the held call is still in progress");

        callee.answerHeld(Response.OK);
        Response ok = DrainFixture.answeredAndAcknowledged(caller, invite);
        caller.send(caller.inDialog(Request.BYE, invite, ok));
        assertEquals(Response.OK, caller.awaitFinal().getStatusCode(), "the BYE of the answered call passes");
        assertTrue(drained.get(30, TimeUnit.SECONDS), "nothing left in progress");
        assertEquals(0, server.sip().orElseThrow().inProgress());
    }

    private int readyStatus() {
        return readyStatus(server);
    }

    private static int readyStatus(SipauthServer of) {
        try {
            return DrainFixture.get(of.adminPort(), "/ready").statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
