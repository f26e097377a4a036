package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    final StartedServers servers = new StartedServers();
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
        return servers.start(new SipauthServer(config));
    }

    /** The WWW-Authenticate values of a response, in the order received. */
    private static List<String> challenges(Response response) {
        List<String> values = new ArrayList<>();
        for (ListIterator<?> it = response.getHeaders("WWW-Authenticate"); it.hasNext(); ) {
            String line = ((Header) it.next()).toString();
            values.add(line.substring(line.indexOf(':') + 1).trim());
        }
        return values;
    }

    private static List<String> algorithms(List<String> challenges) {
        return challenges.stream().map(c -> DigestClient.parseChallenge(c).get("algorithm")).toList();
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

    /**
     * {@code DigestAlgorithms} of a trunk or SIP domain (sipauth's extension parameter): that target is
     * challenged with its own list, one header per algorithm in its order, over UDP (answered from the
     * datagram) and TCP; a trunk without one keeps the server-wide MD5; an update applies at once.
     */
    @Test
    void aTargetsOwnDigestAlgorithms_areOfferedInItsOrder_andAnotherTrunkKeepsTheServerWideMd5() throws Exception {
        SipauthServer md5Server = start("--digest-algorithms", "MD5"); // the default server-wide offer
        SipServer md5Sip = md5Server.sip().orElseThrow();
        AdminHttp api = new AdminHttp(md5Server.adminPort(), ACCOUNT, TOKEN);
        String list = api.created(api.sip2010() + "/CredentialLists.json", Map.of("FriendlyName", "staff"));
        Map<String, String> carol = new LinkedHashMap<>();
        carol.put("Username", "carol");
        carol.put("Password", PASSWORD);
        api.created(api.sip2010() + "/CredentialLists/" + list + "/Credentials.json", carol);
        String modernHost = "modern.serve-sip.test";
        String legacyHost = "legacy.serve-sip.test";
        String officeHost = "office.serve-sip.test";
        String modern = api.created("/v1/Trunks", Map.of("DomainName", modernHost, "DigestAlgorithms", "SHA-256,MD5"));
        String legacy = api.created("/v1/Trunks", Map.of("DomainName", legacyHost));
        String office = api.created(api.sip2010() + "/Domains.json",
                Map.of("DomainName", officeHost, "DigestAlgorithms", "SHA-512-256"));
        api.created("/v1/Trunks/" + modern + "/CredentialLists", Map.of("CredentialListSid", list));
        api.created("/v1/Trunks/" + legacy + "/CredentialLists", Map.of("CredentialListSid", list));
        api.created(api.sip2010() + "/Domains/" + office + "/Auth/Calls/CredentialListMappings.json",
                Map.of("CredentialListSid", list));

        for (String transport : List.of("udp", "tcp")) {
            try (SipTestClient uac = new SipTestClient(transport, md5Sip.port())) {
                String modernUri = "sip:15550001@" + modernHost;
                SipTestClient.Call call = uac.newCall(modernUri);
                Response challenge = call.invite();
                assertEquals(401, challenge.getStatusCode());
                List<String> offered = challenges(challenge);
                assertEquals(List.of("SHA-256", "MD5"), algorithms(offered), transport + ": " + offered);
                String sha256 = DigestClient.authorization(offered.get(0), "INVITE", modernUri, "carol", PASSWORD,
                        "5e5e5e5e", 1);
                assertTrue(sha256.contains("algorithm=SHA-256"), sha256);
                assertEquals(200, call.invite("Authorization: " + sha256).getStatusCode(), transport);

                Response legacyChallenge = uac.newCall("sip:15550001@" + legacyHost).invite();
                assertEquals(401, legacyChallenge.getStatusCode());
                assertEquals(List.of("MD5"), algorithms(challenges(legacyChallenge)), transport);

                String officeUri = "sip:100@" + officeHost;
                SipTestClient.Call officeCall = uac.newCall(officeUri);
                List<String> officeOffer = challenges(officeCall.invite());
                assertEquals(List.of("SHA-512-256"), algorithms(officeOffer), transport);
                String sha512256 = DigestClient.authorization(officeOffer.get(0), "INVITE", officeUri, "carol",
                        PASSWORD, "5e5e5e5e", 1);
                assertEquals(200, officeCall.invite("Authorization: " + sha512256).getStatusCode(), transport);
            }
        }

        // back to the server-wide offer: the next INVITE sees it
        assertEquals(200, api.call("POST", "/v1/Trunks/" + modern, Map.of("DigestAlgorithms", "")).statusCode());
        try (SipTestClient uac = new SipTestClient("udp", md5Sip.port())) {
            assertEquals(List.of("MD5"), algorithms(challenges(uac.newCall("sip:15550001@" + modernHost).invite())));
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
