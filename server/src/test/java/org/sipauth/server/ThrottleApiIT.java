package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.SipTestClient;
import picocli.CommandLine;

/**
 * {@code /v1/sipauth/Throttle} on the server as {@code serve} assembles it: wrong passwords sent over
 * real SIP get a source refused, the operator sees and releases it, and the next right INVITE is
 * accepted; a tenant sees only the keys of its own trunks; without valid Basic credentials, 401.
 */
class ThrottleApiIT {

    private static final String ACCOUNT = "AC" + "7a".repeat(16);
    private static final String TOKEN = "throttle-api-it-token";
    private static final String HOST = "pbx.throttle.test";
    private static final String TENANT_HOST = "tenant.throttle.test";
    private static final String PASSWORD = "Thr0ttle-Secret";
    private static final String TENANT_PASSWORD = "Tenant-Secret-9";
    private static final String PATH = "/v1/sipauth/Throttle";

    private final ObjectMapper json = new ObjectMapper();
    private SipauthServer server;
    private SipServer sip;
    private AdminHttp operator;
    private AdminHttp tenant;

    @BeforeEach
    void start() throws Exception {
        // Budgets of 2 per address and 1 per username from one address. The counts drain continuously
        // (2 a minute), so two guesses a round trip apart stay just under 2: the third refuses the address.
        ServerConfig config = CommandLine.populateCommand(new ServeCommand(), "--admin-port", "0", "--realm",
                "throttle.test", "--store", "memory", "--sip-host", "127.0.0.1", "--sip-port", "0",
                "--digest-algorithms", "MD5", "--throttle-max-failures", "2").config()
                .toBuilder().account(ACCOUNT, TOKEN).build();
        server = new SipauthServer(config);
        server.start();
        sip = server.sip().orElseThrow();
        operator = new AdminHttp(server.adminPort(), ACCOUNT, TOKEN);
        operator.trunkWithOneCredential("operator", HOST, "carol", PASSWORD);
        NewAccount other = server.provisioning().accounts().create("tenant");
        tenant = new AdminHttp(server.adminPort(), other.account().sid().value(), other.authToken());
        tenant.trunkWithOneCredential("tenant", TENANT_HOST, "erin", TENANT_PASSWORD);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The final status of an INVITE to {@code host} answered with {@code password} for {@code username}. */
    private static int invite(SipTestClient uac, String host, String username, String password) throws Exception {
        String uri = "sip:15550001@" + host;
        SipTestClient.Call call = uac.newCall(uri);
        Response first = call.invite();
        if (first.getStatusCode() != 401) {
            return first.getStatusCode();
        }
        String challenge = first.getHeader("WWW-Authenticate").toString();
        challenge = challenge.substring(challenge.indexOf(':') + 1).trim();
        String auth = DigestClient.authorization(challenge, "INVITE", uri, username, password, "7a7a7a7a", 1);
        return call.invite("Authorization: " + auth).getStatusCode();
    }

    private List<JsonNode> blocked(AdminHttp api) throws Exception {
        HttpResponse<String> r = api.call("GET", PATH, Map.of());
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> entries = new ArrayList<>();
        json.readTree(r.body()).get("blocked").forEach(entries::add);
        return entries;
    }

    private static JsonNode entry(List<JsonNode> entries, String kind) {
        return entries.stream().filter(e -> e.get("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " entry in " + entries));
    }

    private static JsonNode entry(List<JsonNode> entries, String kind, String username) {
        return entries.stream().filter(e -> e.get("kind").asText().equals(kind) && e.get("username").asText().equals(username))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " entry for " + username + " in " + entries));
    }

    private static String path(JsonNode entry) {
        return URI.create(entry.get("url").asText()).getPath();
    }

    @Test
    void wrongPasswordsOverSip_refuseTheSource_theOperatorSeesAndClearsIt_andTheNextRightInviteIsAccepted() throws Exception {
        try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
            assertEquals(401, invite(uac, HOST, "carol", "Wrong-Passw0rd"), "a wrong password is challenged again");
            assertEquals(401, invite(uac, TENANT_HOST, "erin", "Wrong-Passw0rd"));
            assertEquals(401, invite(uac, HOST, "dave", "Wrong-Passw0rd"));
            assertEquals(403, invite(uac, HOST, "frank", PASSWORD), "the address has spent its budget");

            List<JsonNode> seen = blocked(operator);
            assertEquals(3, seen.size(), seen.toString());
            JsonNode source = entry(seen, "source");
            assertEquals("127.0.0.1", source.get("source").asText());
            assertTrue(source.get("target_sid").isNull() && source.get("username").isNull(), source.toString());
            assertEquals(3, source.get("failures").asLong());
            long remaining = source.get("seconds_remaining").asLong();
            assertTrue(remaining > 0 && remaining <= 60, source.toString());
            assertTrue(source.get("date_released").asText().endsWith("Z"), source.toString());
            JsonNode carol = entry(seen, "source_username", "carol");
            assertEquals("127.0.0.1", carol.get("source").asText());
            assertEquals(1, carol.get("failures").asLong());
            entry(seen, "source_username", "dave");
            assertTrue(carol.get("target_sid").asText().startsWith("TK"), carol.toString());
            assertFalse(seen.toString().contains("erin"), "another account's username: " + seen);

            List<JsonNode> tenantSees = blocked(tenant);
            assertEquals(1, tenantSees.size(), tenantSees.toString());
            entry(tenantSees, "source_username", "erin");
            assertEquals(404, tenant.call("DELETE", path(carol), Map.of()).statusCode(), "not the tenant's key");
            assertEquals(404, tenant.call("DELETE", path(source), Map.of()).statusCode(), "per-source keys are the operator's");
            assertEquals(204, tenant.call("DELETE", PATH, Map.of()).statusCode());
            assertEquals(List.of(), blocked(tenant));
            assertEquals(3, blocked(operator).size(), "the tenant's DELETE cleared only its own keys");

            assertEquals(204, operator.call("DELETE", path(source), Map.of()).statusCode());
            assertEquals(403, invite(uac, HOST, "carol", PASSWORD), "carol's own key is still refused");
            assertEquals(404, operator.call("DELETE", path(source), Map.of()).statusCode(), "already released");
            assertEquals(204, operator.call("DELETE", path(carol), Map.of()).statusCode());
            assertEquals(200, invite(uac, HOST, "carol", PASSWORD));
            List<JsonNode> left = blocked(operator);
            assertEquals(1, left.size(), left.toString());
            entry(left, "source_username", "dave");
        }
    }

    @Test
    void deleteAll_releasesEveryEntryTheOperatorSees() throws Exception {
        try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
            assertEquals(401, invite(uac, HOST, "carol", "Wrong-Passw0rd"));
            assertEquals(401, invite(uac, HOST, "dave", "Wrong-Passw0rd"));
            assertEquals(401, invite(uac, HOST, "frank", "Wrong-Passw0rd"));
            assertEquals(4, blocked(operator).size(), "the address and the three usernames");
            assertEquals(204, operator.call("DELETE", PATH, Map.of()).statusCode());
            assertEquals(List.of(), blocked(operator));
            assertEquals(200, invite(uac, HOST, "carol", PASSWORD));
        }
    }

    @Test
    void withoutValidBasicCredentials_401_andNothingIsCleared() throws Exception {
        try (SipTestClient uac = new SipTestClient("udp", sip.port())) {
            assertEquals(401, invite(uac, HOST, "carol", "Wrong-Passw0rd"));
        }
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + PATH)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals(AdminApi.CHALLENGE, anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(20003, json.readTree(anonymous.body()).get("code").asInt(), anonymous.body());
        assertFalse(anonymous.body().contains("carol"), anonymous.body());

        AdminHttp wrongToken = new AdminHttp(server.adminPort(), ACCOUNT, "not-the-token");
        assertEquals(401, wrongToken.call("GET", PATH, Map.of()).statusCode());
        assertEquals(401, wrongToken.call("DELETE", PATH, Map.of()).statusCode());
        assertEquals(1, blocked(operator).size(), "carol's key is still refused");
    }
}
