package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * Origination URLs over real HTTP: Twilio's trunk resource with its v1 envelope and error JSON, the
 * SIP domain extension in API 2010 style, and the server's {@link SipauthServer#destinations()} following
 * every write. Each test runs on a server of its own.
 */
class OriginationUrlsApiIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final StartedServers servers = new StartedServers();
    private SipauthServer server;
    private AdminHttp http;
    private String acct;
    private String trunk;
    private String domain;

    @BeforeEach
    void newServerAndAccount() throws Exception {
        server = servers.start(new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(),
                new MemoryStore()));
        NewAccount account = server.provisioning().accounts().create("it");
        acct = account.account().sid().value();
        http = new AdminHttp(server.adminPort(), acct, account.authToken());
        trunk = http.created("/v1/Trunks", Map.of("FriendlyName", "pbx"));
        domain = http.created(http.sip2010() + "/Domains.json", Map.of("DomainName", "ou-" + acct.substring(2, 12) + ".example.com"));
    }

    private static Map<String, String> form(String name, String sipUrl, int priority, int weight, boolean enabled) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("FriendlyName", name);
        form.put("SipUrl", sipUrl);
        form.put("Priority", Integer.toString(priority));
        form.put("Weight", Integer.toString(weight));
        form.put("Enabled", Boolean.toString(enabled));
        return form;
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, int code) throws Exception {
        JsonNode body = json(response, status);
        assertEquals(code, body.get("code").asInt(), response.body());
        assertEquals(status, body.get("status").asInt(), response.body());
        assertEquals("https://www.twilio.com/docs/errors/" + code, body.get("more_info").asText());
        assertTrue(body.get("message").asText().length() > 0);
    }

    private List<String> names(Sid target) {
        return server.destinations().of(target).stream().map(OriginationUrl::friendlyName).toList();
    }

    @Test
    void trunkOriginationUrls_crud_withTwiliosShapes() throws Exception {
        String list = "/v1/Trunks/" + trunk + "/OriginationUrls";
        JsonNode created = json(http.call("POST", list, form("primary", "sip:pbx.example.net:5080;transport=tcp", 10, 20,
                true)), 201);
        String ou = created.get("sid").asText();
        assertTrue(ou.matches("OU[0-9a-f]{32}"), ou);
        List<String> fields = new ArrayList<>();
        created.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("account_sid", "sid", "trunk_sid", "weight", "enabled", "sip_url", "friendly_name", "priority",
                "date_created", "date_updated", "url"), fields);
        assertEquals(acct, created.get("account_sid").asText());
        assertEquals(trunk, created.get("trunk_sid").asText());
        assertEquals(20, created.get("weight").asInt());
        assertTrue(created.get("enabled").asBoolean());
        assertEquals("sip:pbx.example.net:5080;transport=tcp", created.get("sip_url").asText());
        assertEquals(10, created.get("priority").asInt());
        assertTrue(created.get("date_created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(server.publicUrl() + list + "/" + ou, created.get("url").asText());

        assertEquals(created, json(http.call("GET", list + "/" + ou, Map.of()), 200));
        JsonNode updated = json(http.call("POST", list + "/" + ou, Map.of("FriendlyName", "renamed", "Enabled", "false")), 200);
        assertEquals("renamed", updated.get("friendly_name").asText());
        assertTrue(!updated.get("enabled").asBoolean());
        assertEquals(20, updated.get("weight").asInt(), "not sent, unchanged");

        json(http.call("POST", list, form("second", "sip:192.0.2.1", 20, 10, true)), 201);
        JsonNode page = json(http.call("GET", list + "?PageSize=1", Map.of()), 200);
        assertEquals(ou, page.get("origination_urls").get(0).get("sid").asText());
        JsonNode meta = page.get("meta");
        assertEquals("origination_urls", meta.get("key").asText());
        assertEquals(server.publicUrl() + list + "?PageSize=1&Page=0", meta.get("first_page_url").asText());
        assertTrue(meta.get("previous_page_url").isNull());
        assertTrue(meta.get("next_page_url").asText().startsWith(server.publicUrl() + list + "?PageSize=1&Page=1&PageToken="));
        assertTrue(!page.has("uri"));

        assertEquals(204, http.call("DELETE", list + "/" + ou, Map.of()).statusCode());
        assertError(http.call("GET", list + "/" + ou, Map.of()), 404, 20404);
        assertEquals(server.publicUrl() + list,
                json(http.call("GET", "/v1/Trunks/" + trunk, Map.of()), 200).get("links").get("origination_urls").asText());
    }

    @Test
    void trunkOriginationUrls_badInput_isTwiliosErrorJson() throws Exception {
        String list = "/v1/Trunks/" + trunk + "/OriginationUrls";
        Map<String, String> noWeight = form("x", "sip:pbx.example.net", 1, 1, true);
        noWeight.remove("Weight");
        assertError(http.call("POST", list, noWeight), 400, 400);
        assertError(http.call("POST", list, form("x", "http://pbx.example.net", 1, 1, true)), 400, 400);
        assertError(http.call("POST", list, form("x", "sip:pbx.example.net", 65536, 1, true)), 400, 400);
        assertError(http.call("POST", list, form("x", "sip:pbx.example.net", 1, 0, true)), 400, 400);
        assertError(http.call("POST", "/v1/Trunks/TK" + "0".repeat(32) + "/OriginationUrls",
                form("x", "sip:pbx.example.net", 1, 1, true)), 404, 20404);
        assertError(http.call("GET", "/v1/Trunks/" + trunk + "/OriginationUrls/OU" + "0".repeat(32), Map.of()), 404, 20404);
        assertError(http.call("GET", "/v1/Trunks/" + domain + "/OriginationUrls", Map.of()), 404, 20404);
        assertError(http.call("PUT", list, Map.of()), 405, 20004);
        assertEquals(0, json(http.call("GET", list, Map.of()), 200).get("origination_urls").size(), "nothing was stored");
    }

    @Test
    void domainOriginationUrls_extension_in2010Style() throws Exception {
        String list = http.sip2010() + "/Domains/" + domain + "/OriginationUrls";
        JsonNode created = json(http.call("POST", list + ".json", form("office", "sips:[2001:db8::5]:5061", 0, 1, true)), 201);
        String ou = created.get("sid").asText();
        List<String> fields = new ArrayList<>();
        created.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("account_sid", "sid", "domain_sid", "weight", "enabled", "sip_url", "friendly_name", "priority",
                "date_created", "date_updated", "uri"), fields);
        assertEquals(domain, created.get("domain_sid").asText());
        assertTrue(created.get("date_created").asText().endsWith(" +0000"), created.get("date_created").asText());
        assertEquals(list + "/" + ou + ".json", created.get("uri").asText());

        assertEquals(created, json(http.call("GET", list + "/" + ou + ".json", Map.of()), 200));
        assertEquals(7, json(http.call("POST", list + "/" + ou + ".json", Map.of("Priority", "7")), 200).get("priority").asInt());
        JsonNode page = json(http.call("GET", list + ".json?PageSize=20", Map.of()), 200);
        List<String> keys = new ArrayList<>();
        page.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("origination_urls", "first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start",
                "next_page_uri", "page"), keys);
        assertEquals(list + ".json?PageSize=20&Page=0", page.get("uri").asText());
        assertEquals(ou, page.get("origination_urls").get(0).get("sid").asText());

        assertError(http.call("POST", list + ".json", form("x", "sip:user@pbx.example.net", 1, 1, true)), 400, 21231);
        assertError(http.call("POST", list + ".json", Map.of("FriendlyName", "x")), 400, 21231);
        assertError(http.call("GET", http.sip2010() + "/Domains/" + trunk + "/OriginationUrls.json", Map.of()), 404, 20404);
        assertEquals(204, http.call("DELETE", list + "/" + ou + ".json", Map.of()).statusCode());
        assertError(http.call("DELETE", list + "/" + ou + ".json", Map.of()), 404, 20404);
    }

    @Test
    void destinations_followEveryWrite_andTheTargetsDelete() throws Exception {
        Sid tk = Sid.of(SidKind.TRUNK, trunk);
        Sid sd = Sid.of(SidKind.SIP_DOMAIN, domain);
        String list = "/v1/Trunks/" + trunk + "/OriginationUrls";
        assertEquals(List.of(), names(tk));
        http.created(list, form("backup", "sip:backup.example.net", 20, 10, true));
        String main = http.created(list, form("main", "sip:main.example.net", 10, 10, true));
        http.created(http.sip2010() + "/Domains/" + domain + "/OriginationUrls.json", form("office", "sip:192.0.2.9", 0, 1, true));
        assertEquals(List.of("main", "backup"), names(tk));
        assertEquals(List.of("office"), names(sd));

        http.call("POST", list + "/" + main, Map.of("Enabled", "false"));
        assertEquals(List.of("backup"), names(tk), "a disabled URL is not a destination");
        http.call("POST", list + "/" + main, Map.of("Enabled", "true", "Priority", "30"));
        assertEquals(List.of("backup", "main"), names(tk));

        assertEquals(204, http.call("DELETE", "/v1/Trunks/" + trunk, Map.of()).statusCode());
        assertEquals(List.of(), names(tk), "deleting a trunk deletes its origination URLs");
        assertTrue(server.store().originationUrlsOf(tk).isEmpty());
        assertEquals(204, http.call("DELETE", http.sip2010() + "/Domains/" + domain + ".json", Map.of()).statusCode());
        assertEquals(List.of(), names(sd));
    }
}
