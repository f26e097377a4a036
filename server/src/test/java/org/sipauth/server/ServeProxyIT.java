package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.OriginationUrlInput;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.testsip.DigestClient;

/**
 * The whole server in proxy mode: a trunk's origination URLs, provisioned as the admin API does,
 * decide where its calls go, and a change to them applies to the next call.
 */
class ServeProxyIT {

    private static final String HOST = "pbx.sipauth.test";
    private static final String URI = "sip:15550001@" + HOST;
    private static final String PASSWORD = "Correct1Horse";

    private final List<SipPeer> peers = new ArrayList<>();
    private SipauthServer server;
    private Provisioning provisioning;
    private Sid account;
    private Trunk trunk;

    @BeforeEach
    void start() throws Exception {
        server = new SipauthServer(ServerConfig.builder().adminPort(0).sipHost("127.0.0.1").sipPort(0)
                .sipMode(ServerConfig.SipMode.proxy).sipUpstreamTimeout(java.time.Duration.ofMillis(500)).build(),
                new MemoryStore());
        server.start();
        provisioning = server.provisioning();
        account = provisioning.accounts().create("serve-proxy").account().sid();
        CredentialList list = provisioning.credentialLists().create(account, "serve-proxy");
        provisioning.credentials().create(account, list.sid().value(), "alice", PASSWORD);
        trunk = provisioning.trunks().create(account, TrunkInput.builder().friendlyName("pbx").domainName(HOST).build());
        provisioning.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), list.sid().value());
    }

    @AfterEach
    void stop() {
        peers.forEach(SipPeer::close);
        if (server != null) {
            server.close();
        }
    }

    private SipPeer peer() throws Exception {
        SipPeer peer = new SipPeer("udp");
        peers.add(peer);
        return peer;
    }

    private OriginationUrl originationUrl(String sipUrl, int priority, boolean enabled) {
        return provisioning.originationUrls().create(account, SidKind.TRUNK, trunk.sid().value(), OriginationUrlInput.builder()
                .friendlyName("pbx " + priority).sipUrl(sipUrl).priority(priority).weight(1).enabled(enabled).build());
    }

    /** One authenticated call from {@code caller}; its final status. */
    private int call(SipPeer caller) throws Exception {
        int port = server.sip().orElseThrow().port();
        Request first = caller.invite(URI, port);
        caller.send(first);
        String challenge = caller.awaitResponse(Response.PROXY_AUTHENTICATION_REQUIRED).getHeader("Proxy-Authenticate").toString();
        challenge = challenge.substring(challenge.indexOf(':') + 1).trim();
        caller.send(caller.reinvite(first, "Proxy-Authorization: " + DigestClient.authorization(challenge, Request.INVITE, URI,
                "alice", PASSWORD, Long.toHexString(System.nanoTime()), 1)));
        return caller.awaitFinal().getStatusCode();
    }

    @Test
    void callsGoToTheTrunksOriginationUrls_andFollowTheirChanges() throws Exception {
        SipPeer first = peer();
        SipPeer second = peer();
        SipPeer caller = peer();
        OriginationUrl primary = originationUrl(first.uri(), 10, true);
        originationUrl(second.uri(), 20, false);

        assertEquals(Response.OK, call(caller));
        assertNotNull(first.awaitRequest(Request.INVITE), "the enabled URL of the lowest priority");

        provisioning.originationUrls().update(account, SidKind.TRUNK, trunk.sid().value(), primary.sid().value(),
                OriginationUrlInput.builder().enabled(false).build());
        provisioning.originationUrls().create(account, SidKind.TRUNK, trunk.sid().value(), OriginationUrlInput.builder()
                .friendlyName("backup").sipUrl(second.uri()).priority(30).weight(1).enabled(true).build());
        assertEquals(Response.OK, call(caller));
        assertNotNull(second.awaitRequest(Request.INVITE), "the change applies to the next call");
        assertEquals(List.of(), first.receivedSoFar());
    }

    @Test
    void trunkWithoutOriginationUrls_andNoUpstream_gets480() throws Exception {
        assertEquals(Response.TEMPORARILY_UNAVAILABLE, call(peer()));
    }
}
