package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.SipTestClient;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The server as {@code serve} assembles it — admin API and SIP listener over one store — driven
 * through the Twilio-style HTTP API and a JAIN-SIP UAC: what the API provisions is authorized
 * moments later, and what it deletes stops authorizing on the next INVITE.
 */
class ServeSipIT {

    private static final String ACCOUNT = "AC" + "5e".repeat(16);
    private static final String TOKEN = "serve-sip-it-token";
    private static final String HOST = "pbx.serve-sip.test";
    private static final String URI_ = "sip:15550001@" + HOST;
    private static final String PASSWORD = "Serve1SipSecret";

    private final List<SipauthServer> servers = new ArrayList<>();
    private SipauthServer server;
    private SipServer sip;

    @BeforeEach
    void start() throws Exception {
        server = start("--digest-algorithms", "SHA-256,MD5");
        sip = server.sip().orElseThrow();
    }

    /** A server as {@code serve} assembles it from these options, on ephemeral ports over a memory store. */
    private SipauthServer start(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--admin-port", "0", "--realm", "serve-sip.test", "--store", "memory",
                "--sip-host", "127.0.0.1", "--sip-port", "0"));
        args.addAll(List.of(options));
        ServerConfig config = CommandLine.populateCommand(new ServeCommand(), args.toArray(String[]::new)).config()
                .toBuilder().account(ACCOUNT, TOKEN).build();
        SipauthServer started = new SipauthServer(config);
        servers.add(started);
        started.start();
        return started;
    }

    @AfterEach
    void stop() {
        servers.forEach(SipauthServer::close);
    }

    private int authenticatedInvite(SipTestClient uac) throws Exception {
        SipTestClient.Call call = uac.newCall(URI_);
        Response challenge = call.invite();
        assertEquals(401, challenge.getStatusCode());
        String value = challenge.getHeader("WWW-Authenticate").toString();
        value = value.substring(value.indexOf(':') + 1).trim();
        String auth = DigestClient.authorization(value, "INVITE", URI_, "carol", PASSWORD, "5e5e5e5e", 1);
        return call.invite("Authorization: " + auth).getStatusCode();
    }

    @Test
    void provisionedThroughTheApi_authorizesAtOnce_andDeletionRevokesOnTheNextInvite() throws Exception {
        AdminHttp api = new AdminHttp(server.adminPort(), ACCOUNT, TOKEN);
        String credential = api.trunkWithOneCredential("serve-sip", HOST, "carol", PASSWORD);

        try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
            assertEquals(200, authenticatedInvite(uac));
            assertEquals(204, api.call("DELETE", credential, Map.of()).statusCode());
            assertEquals(401, authenticatedInvite(uac));
        }
    }

    /** {@code --digest-qop auth-int}: only body-integrity answers are offered and accepted. */
    @Test
    void digestQopAuthInt_isOffered_andAnAnswerWithQopAuthIsRefused() throws Exception {
        SipauthServer strictServer = start("--digest-algorithms", "MD5", "--digest-qop", "auth-int");
        AdminHttp api = new AdminHttp(strictServer.adminPort(), ACCOUNT, TOKEN);
        api.trunkWithOneCredential("serve-sip", HOST, "carol", PASSWORD);
        SipServer strict = strictServer.sip().orElseThrow();
        try (SipTestClient uac = new SipTestClient("udp", strict.port())) {
            SipTestClient.Call call = uac.newCall(URI_);
            Response challenge = call.invite();
            assertEquals(401, challenge.getStatusCode());
            String value = challenge.getHeader("WWW-Authenticate").toString();
            value = value.substring(value.indexOf(':') + 1).trim();
            assertEquals("auth-int", DigestClient.parseChallenge(value).get("qop"), value);
            String authOnly = DigestClient.authorization(value, "INVITE", URI_, "carol", PASSWORD, "5e5e5e5e", 1);
            // the engine refuses a qop it did not offer as malformed credentials (400), before any hashing
            assertEquals(400, call.invite("Authorization: " + authOnly).getStatusCode(),
                    "the right password with qop=auth is not enough when auth-int is required");
        }
    }

    /** {@code --decision-log}: all decisions by default, only the rejections with {@code rejections}. */
    @Test
    void decisionLog_allByDefault_rejectionsOnlyWhenAsked() throws Exception {
        AdminHttp api = new AdminHttp(server.adminPort(), ACCOUNT, TOKEN);
        api.trunkWithOneCredential("serve-sip", HOST, "carol", PASSWORD);
        ch.qos.logback.classic.Logger decisions = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.sipauth.decisions");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        decisions.addAppender(lines);
        try {
            try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
                assertEquals(200, authenticatedInvite(uac));
            }
            assertEquals(2, lines.list.size(), "challenge and acceptance: " + lines.list);
            assertTrue(lines.list.get(1).getFormattedMessage().startsWith("outcome=ALLOWED reason=- status=200 "),
                    "an accepted call shows the status the caller got: " + lines.list.get(1).getFormattedMessage());
            lines.list.clear();

            SipauthServer quietServer = start("--digest-algorithms", "SHA-256,MD5", "--decision-log", "rejections");
            new AdminHttp(quietServer.adminPort(), ACCOUNT, TOKEN).trunkWithOneCredential("serve-sip", HOST, "carol",
                    PASSWORD);
            SipServer quiet = quietServer.sip().orElseThrow();
            try (SipTestClient uac = new SipTestClient("udp", quiet.port())) {
                assertEquals(200, authenticatedInvite(uac));
                assertEquals(0, lines.list.size(), "a routine call logs nothing: " + lines.list);
                SipTestClient.Call call = uac.newCall(URI_);
                String value = call.invite().getHeader("WWW-Authenticate").toString();
                value = value.substring(value.indexOf(':') + 1).trim();
                String wrong = DigestClient.authorization(value, "INVITE", URI_, "carol", "Wrong1Password", "5e5e5e5e", 1);
                assertEquals(401, call.invite("Authorization: " + wrong).getStatusCode());
            }
            assertEquals(1, lines.list.size(), lines.list.toString());
            assertTrue(lines.list.get(0).getFormattedMessage().contains("reason=BAD_CREDENTIALS"),
                    lines.list.get(0).getFormattedMessage());
        } finally {
            decisions.detachAppender(lines);
        }
    }
}
