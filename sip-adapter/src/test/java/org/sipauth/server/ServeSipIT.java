package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.SipTestClient;
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
    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([A-Z]{2}[0-9a-f]{32})\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private SipauthServer server;
    private SipServer sip;

    @BeforeEach
    void start() throws Exception {
        server = new SipauthServer(ServerConfig.defaults().withAdminPort(0).withRealm("serve-sip.test")
                .withAccount(ACCOUNT, TOKEN), new MemoryStore());
        server.start();
        SipListenerOptions options = CommandLine.populateCommand(new SipListenerOptions(),
                "--sip-host", "127.0.0.1", "--sip-port", "0", "--digest-algorithms", "SHA-256,MD5");
        sip = options.start(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> call(String method, String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        if (method.equals("POST")) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String created(String path, Map<String, String> form) throws Exception {
        HttpResponse<String> r = call("POST", path, form);
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = SID.matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no sid in " + r.body());
        }
        return m.group(1);
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
        String sip2010 = "/2010-04-01/Accounts/" + ACCOUNT + "/SIP";
        String list = created(sip2010 + "/CredentialLists.json", Map.of("FriendlyName", "serve-sip"));
        Map<String, String> credential = new LinkedHashMap<>();
        credential.put("Username", "carol");
        credential.put("Password", PASSWORD);
        String cred = created(sip2010 + "/CredentialLists/" + list + "/Credentials.json", credential);
        Map<String, String> trunk = new LinkedHashMap<>();
        trunk.put("FriendlyName", "serve-sip");
        trunk.put("DomainName", HOST);
        String tk = created("/v1/Trunks", trunk);
        created("/v1/Trunks/" + tk + "/CredentialLists", Map.of("CredentialListSid", list));

        try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
            assertEquals(200, authenticatedInvite(uac));
            assertEquals(204, call("DELETE", sip2010 + "/CredentialLists/" + list + "/Credentials/" + cred + ".json", Map.of()).statusCode());
            assertEquals(401, authenticatedInvite(uac));
        }
    }
}
