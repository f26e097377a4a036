package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * sipauth's extension of the trunk and SIP domain resources over plain HTTP (no SDK): the
 * {@code DigestAlgorithms} form parameter on create and update, the {@code digest_algorithms} field
 * (an array of tokens, or null for the server-wide offer), and Twilio's error JSON for bad values.
 */
class DigestAlgorithmsApiIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "AC" + "d1".repeat(16);
    private static final String TOKEN = "digest-algorithms-it-token";
    private static SipauthServer server;
    private static AdminHttp api;

    @BeforeAll
    static void start() throws Exception {
        server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).account(ACCOUNT, TOKEN).build(),
                new MemoryStore());
        server.start();
        api = new AdminHttp(server.adminPort(), ACCOUNT, TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private static JsonNode call(String method, String path, Map<String, String> form, int status) throws Exception {
        return json(api.call(method, path, form), status);
    }

    /** The field is present: an array of strings, or JSON null. */
    private static List<String> algorithms(JsonNode resource) {
        assertTrue(resource.has("digest_algorithms"), resource.toString());
        JsonNode field = resource.get("digest_algorithms");
        if (field.isNull()) {
            return null;
        }
        assertTrue(field.isArray(), field.toString());
        return MAPPER.convertValue(field, MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Twilio's error body, exactly its four keys; returns the message. */
    private static String error(HttpResponse<String> response, int code) throws Exception {
        JsonNode body = json(response, 400);
        Set<String> names = new HashSet<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("code", "message", "more_info", "status"), names, response.body());
        assertEquals(code, body.get("code").asInt());
        assertEquals(400, body.get("status").asInt());
        assertEquals("https://www.twilio.com/docs/errors/" + code, body.get("more_info").asText());
        return body.get("message").asText();
    }

    @Test
    void trunk_createFetchListUpdateAndClear() throws Exception {
        JsonNode created = call("POST", "/v1/Trunks", Map.of("DomainName", "modern.api.test",
                "DigestAlgorithms", "sha-256, MD5"), 201);
        assertEquals(List.of("SHA-256", "MD5"), algorithms(created));
        String path = "/v1/Trunks/" + created.get("sid").asText();
        assertEquals(List.of("SHA-256", "MD5"), algorithms(call("GET", path, Map.of(), 200)));

        JsonNode plain = call("POST", "/v1/Trunks", Map.of("DomainName", "plain.api.test"), 201);
        assertNull(algorithms(plain), "no list of its own: null, the server-wide offer");

        JsonNode page = call("GET", "/v1/Trunks?PageSize=50", Map.of(), 200);
        int withOffer = 0;
        for (JsonNode trunk : page.get("trunks")) {
            if (trunk.get("sid").asText().equals(created.get("sid").asText())) {
                assertEquals(List.of("SHA-256", "MD5"), algorithms(trunk));
                withOffer++;
            }
        }
        assertEquals(1, withOffer, page.toString());

        assertEquals(List.of("SHA-256", "MD5"), algorithms(call("POST", path, Map.of("FriendlyName", "renamed"), 200)),
                "an update without the parameter keeps the list");
        assertEquals(List.of("MD5", "SHA-512-256"),
                algorithms(call("POST", path, Map.of("DigestAlgorithms", "MD5,SHA-512-256"), 200)));
        assertNull(algorithms(call("POST", path, Map.of("DigestAlgorithms", ""), 200)));
        assertNull(algorithms(call("GET", path, Map.of(), 200)));
    }

    @Test
    void trunk_invalidValues_are400WithTheTrunkCode_andChangeNothing() throws Exception {
        String sid = call("POST", "/v1/Trunks", Map.of("DigestAlgorithms", "MD5"), 201).get("sid").asText();
        for (String bad : List.of("MD5,MD4", "MD5,md5", "MD5,", "SHA-1")) {
            String message = error(api.call("POST", "/v1/Trunks", Map.of("DigestAlgorithms", bad)), 400);
            assertTrue(message.startsWith("DigestAlgorithms"), message);
            error(api.call("POST", "/v1/Trunks/" + sid, Map.of("DigestAlgorithms", bad, "FriendlyName", "x")), 400);
        }
        JsonNode unchanged = call("GET", "/v1/Trunks/" + sid, Map.of(), 200);
        assertEquals(List.of("MD5"), algorithms(unchanged));
        assertTrue(unchanged.get("friendly_name").isNull(), unchanged.toString());
    }

    @Test
    void sipDomain_createUpdateAndClear_andInvalidValuesAre21231() throws Exception {
        String domains = api.sip2010() + "/Domains.json";
        JsonNode created = call("POST", domains, Map.of("DomainName", "office.api.test",
                "DigestAlgorithms", "SHA-512-256,SHA-256"), 201);
        assertEquals(List.of("SHA-512-256", "SHA-256"), algorithms(created));
        String path = api.sip2010() + "/Domains/" + created.get("sid").asText() + ".json";
        assertEquals(List.of("SHA-512-256", "SHA-256"), algorithms(call("GET", path, Map.of(), 200)));
        assertNull(algorithms(call("POST", domains, Map.of("DomainName", "plain-office.api.test"), 201)));

        String message = error(api.call("POST", path, Map.of("DigestAlgorithms", "AKAv1-MD5")), 21231);
        assertTrue(message.contains("AKAv1-MD5"), message);
        error(api.call("POST", domains, Map.of("DomainName", "other.api.test", "DigestAlgorithms", "MD5,MD5")), 21231);
        assertEquals(List.of("SHA-512-256", "SHA-256"), algorithms(call("GET", path, Map.of(), 200)));

        assertNull(algorithms(call("POST", path, Map.of("DigestAlgorithms", ""), 200)));
    }

    /** Twilio's fields, in Twilio's order, then the one extension field. */
    @Test
    void theExtensionAddsOneFieldAfterTwiliosOnes() throws Exception {
        JsonNode trunk = call("POST", "/v1/Trunks", Map.of("DigestAlgorithms", "MD5"), 201);
        assertEquals(List.of("sid", "account_sid", "domain_name", "disaster_recovery_method", "disaster_recovery_url",
                "friendly_name", "secure", "recording", "transfer_mode", "transfer_caller_id", "cnam_lookup_enabled",
                "auth_type", "symmetric_rtp_enabled", "auth_type_set", "date_created", "date_updated", "url", "links",
                "digest_algorithms"), fieldNames(trunk));
        JsonNode domain = call("POST", api.sip2010() + "/Domains.json", Map.of("DomainName", "shape.api.test"), 201);
        assertEquals(List.of("account_sid", "api_version", "auth_type", "date_created", "date_updated", "domain_name",
                "friendly_name", "sid", "uri", "voice_fallback_method", "voice_fallback_url", "voice_method",
                "voice_status_callback_method", "voice_status_callback_url", "voice_url", "subresource_uris",
                "sip_registration", "emergency_calling_enabled", "secure", "byoc_trunk_sid", "emergency_caller_sid",
                "digest_algorithms"), fieldNames(domain));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
