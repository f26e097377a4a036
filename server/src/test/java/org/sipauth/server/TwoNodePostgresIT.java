package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sipauth.core.store.jdbc.PostgresFixture;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.SipTestClient;

/**
 * Two complete nodes (admin API + SIP listener, as {@code serve} assembles them) on one real
 * PostgreSQL with one shared {@code --nonce-secret}: what node A's API deletes stops authorizing on
 * node B within a second (LISTEN/NOTIFY), and a challenge minted by A is accepted by B.
 */
class TwoNodePostgresIT {

    private static final String ACCOUNT = "AC" + "2b".repeat(16);
    private static final String TOKEN = "two-node-token";
    private static final String REALM = "two-node.test";
    private static final String HOST = "pbx.two-node.test";
    private static final String REQUEST_URI = "sip:15550002@" + HOST;
    private static final String PASSWORD = "TwoNode1Secret";
    private static final String NONCE_SECRET = "0123456789abcdef-shared-by-both-nodes";

    @RegisterExtension
    final StartedServers nodes = new StartedServers();
    private PostgresFixture.Database db;
    private SipauthServer nodeA;
    private SipServer sipA;
    private SipServer sipB;

    @BeforeEach
    void startTwoNodes() throws Exception {
        db = PostgresFixture.newDatabase();
        nodeA = node(NONCE_SECRET);
        sipA = nodeA.sip().orElseThrow();
        sipB = node(NONCE_SECRET).sip().orElseThrow();
    }

    /** A node on the shared database, with these nonce secrets (none: a random one of its own). */
    private SipauthServer node(String... nonceSecrets) throws Exception {
        ServerConfig config = ServerConfig.builder().adminPort(0).realm(REALM).account(ACCOUNT, TOKEN)
                .sipHost("127.0.0.1").sipPort(0).digestAlgorithms(List.of("SHA-256", "MD5"))
                .nonceSecrets(List.of(nonceSecrets)).build();
        return nodes.start(new SipauthServer(config, db.storeBuilder().build()));
    }

    @Test
    void deleteOnNodeA_isRejectedOnNodeB_withinOneSecond() throws Exception {
        String credential = provisionThroughNodeA();
        try (SipTestClient toB = new SipTestClient("udp", sipB.port())) {
            assertEquals(200, authenticatedInvite(toB, toB), "node B authorizes what node A provisioned");
            assertEquals(204, nodeAApi().call("DELETE", credential, Map.of()).statusCode());
            long deleted = System.nanoTime();
            int status;
            long elapsedMillis;
            do {
                status = authenticatedInvite(toB, toB);
                elapsedMillis = (System.nanoTime() - deleted) / 1_000_000;
            } while (status == 200 && elapsedMillis < 1_000);
            System.out.printf("TwoNodePostgresIT: delete on A rejected on B after %d ms%n", elapsedMillis);
            assertEquals(401, status, "still authorized on node B " + elapsedMillis + " ms after the delete on A");
            assertTrue(elapsedMillis < 1_000, elapsedMillis + " ms");
        }
    }

    @Test
    void challengeFromNodeA_answeredToNodeB_isAccepted() throws Exception {
        provisionThroughNodeA();
        try (SipTestClient toA = new SipTestClient("udp", sipA.port());
             SipTestClient toB = new SipTestClient("udp", sipB.port())) {
            assertEquals(200, authenticatedInvite(toA, toB));
            assertEquals(200, authenticatedInvite(toB, toA));
        }
    }

    @Test
    void withoutTheSharedSecret_nodeBRechallengesNodeAsNonce() throws Exception {
        // the control experiment: a third node with its own random secret must not accept A's nonce
        provisionThroughNodeA();
        SipServer sipC = node().sip().orElseThrow();
        try (SipTestClient toA = new SipTestClient("udp", sipA.port());
             SipTestClient toC = new SipTestClient("udp", sipC.port())) {
            assertEquals(401, authenticatedInvite(toA, toC));
        }
    }

    /** Challenge through {@code challenger}, answer through {@code answerTo}; the final status. */
    private static int authenticatedInvite(SipTestClient challenger, SipTestClient answerTo) throws Exception {
        Response challenge = challenger.newCall(REQUEST_URI).invite();
        assertEquals(401, challenge.getStatusCode());
        String value = challenge.getHeader("WWW-Authenticate").toString();
        value = value.substring(value.indexOf(':') + 1).trim();
        String auth = DigestClient.authorization(value, "INVITE", REQUEST_URI, "dana", PASSWORD, "2b2b2b2b", 1);
        return answerTo.newCall(REQUEST_URI).invite("Authorization: " + auth).getStatusCode();
    }

    /** A list with one credential mapped to a trunk, all through node A's API; the credential's path. */
    private String provisionThroughNodeA() throws Exception {
        return nodeAApi().trunkWithOneCredential("two-node", HOST, "dana", PASSWORD);
    }

    private AdminHttp nodeAApi() {
        return new AdminHttp(nodeA.adminPort(), ACCOUNT, TOKEN);
    }
}
