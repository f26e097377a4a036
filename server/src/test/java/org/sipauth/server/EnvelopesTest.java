package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.Page;
import org.sipauth.core.provisioning.PageRequest;

class EnvelopesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String V1 = "http://127.0.0.1:8080/v1/Trunks";
    private static final String URI = "/2010-04-01/Accounts/AC00000000000000000000000000000000/SIP/Domains.json";

    private static JsonNode json(Object value) {
        return MAPPER.valueToTree(value);
    }

    @Test
    void v1_firstPageWithMore_hasEveryMetaKeyAndAbsoluteLinks() {
        PageRequest request = PageRequest.first(2);
        Page<String> page = new Page<>(List.of("a", "b"), request, new PageRequest(2, 1, "PAxyz"), null);
        JsonNode body = json(Envelopes.v1("trunks", List.of(Map.of("sid", "a"), Map.of("sid", "b")), page, V1));

        assertEquals(Set.of("trunks", "meta"), fieldNames(body));
        JsonNode meta = body.get("meta");
        assertEquals(Set.of("page", "page_size", "first_page_url", "previous_page_url", "url", "next_page_url", "key"),
                fieldNames(meta));
        assertEquals(0, meta.get("page").asInt());
        assertEquals(2, meta.get("page_size").asInt());
        assertEquals(V1 + "?PageSize=2&Page=0", meta.get("first_page_url").asText());
        assertEquals(V1 + "?PageSize=2&Page=0", meta.get("url").asText());
        assertTrue(meta.get("previous_page_url").isNull());
        assertEquals(V1 + "?PageSize=2&Page=1&PageToken=PAxyz", meta.get("next_page_url").asText());
        assertEquals("trunks", meta.get("key").asText());
        assertEquals(2, body.get("trunks").size());
    }

    @Test
    void v1_lastPage_hasNullNextAndAPrevious() {
        PageRequest request = new PageRequest(2, 1, "PAxyz");
        Page<String> page = new Page<>(List.of("c"), request, null, new PageRequest(2, 0, "PBabc"));
        JsonNode meta = json(Envelopes.v1("trunks", List.of(), page, V1)).get("meta");
        assertTrue(meta.get("next_page_url").isNull());
        assertEquals(V1 + "?PageSize=2&Page=0&PageToken=PBabc", meta.get("previous_page_url").asText());
        assertEquals(V1 + "?PageSize=2&Page=1&PageToken=PAxyz", meta.get("url").asText());
        assertEquals(V1 + "?PageSize=2&Page=0", meta.get("first_page_url").asText());
    }

    @Test
    void v2010_hasOnlyTheSpecKeysAndRelativeUris() {
        PageRequest request = new PageRequest(1, 1, "PAxyz");
        Page<String> page = new Page<>(List.of("b"), request, new PageRequest(1, 2, "PAnext"), new PageRequest(1, 0, "PBprev"));
        JsonNode body = json(Envelopes.v2010("contents", List.of(Map.of("sid", "b")), page, URI));
        assertEquals(Set.of("contents", "first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start",
                "next_page_uri", "page"), fieldNames(body));
        assertEquals(URI + "?PageSize=1&Page=0", body.get("first_page_uri").asText());
        assertEquals(URI + "?PageSize=1&Page=1&PageToken=PAxyz", body.get("uri").asText());
        assertEquals(URI + "?PageSize=1&Page=2&PageToken=PAnext", body.get("next_page_uri").asText());
        assertEquals(URI + "?PageSize=1&Page=0&PageToken=PBprev", body.get("previous_page_uri").asText());
        assertEquals(1, body.get("start").asInt());
        assertEquals(1, body.get("end").asInt());
        assertEquals(1, body.get("page").asInt());
        assertEquals(1, body.get("page_size").asInt());
    }

    @Test
    void v2010_emptyPage_keepsTheRecordKeyAndNullLinks() {
        Page<String> page = new Page<>(List.of(), PageRequest.first(), null, null);
        JsonNode body = json(Envelopes.v2010("domains", List.of(), page, URI));
        assertTrue(body.get("domains").isArray());
        assertEquals(0, body.get("domains").size());
        assertTrue(body.get("next_page_uri").isNull());
        assertTrue(body.get("previous_page_uri").isNull());
        assertEquals(0, body.get("start").asInt());
        assertEquals(0, body.get("end").asInt());
        assertEquals(50, body.get("page_size").asInt());
    }

    @Test
    void query_encodesTheToken() {
        assertEquals("PageSize=5&Page=3&PageToken=PA%2B%2F%3D", Envelopes.query(new PageRequest(5, 3, "PA+/=")));
        assertEquals("PageSize=50&Page=0", Envelopes.query(PageRequest.first()));
    }

    private static Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
