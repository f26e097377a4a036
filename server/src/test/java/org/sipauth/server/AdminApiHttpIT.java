package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * Raw HTTP against the real server: the malformed, oversized and unauthenticated requests an SDK
 * never sends. Every answer must be Twilio error JSON with {@code status} equal to the HTTP
 * status, and never a 5xx.
 */
class AdminApiHttpIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "it-token-0123456789";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static SipauthServer server;
    private static HttpClient http;
    private static String base;
    private static String sip;

    @BeforeAll
    static void start() throws Exception {
        server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).account(ACCOUNT, TOKEN).build(), new MemoryStore());
        server.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + server.adminPort();
        sip = "/2010-04-01/Accounts/" + ACCOUNT + "/SIP";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic(ACCOUNT, TOKEN));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertTrue(response.statusCode() < 500, () -> "server error: " + response.statusCode() + " " + response.body());
            assertFalse(response.body().contains("Exception") || response.body().contains("at org."), response.body());
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    private static HttpResponse<String> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    private static HttpResponse<String> postForm(String path, String body) {
        return post(path, FORM, body.getBytes(StandardCharsets.US_ASCII));
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "content type of " + response.body());
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Asserts Twilio's error shape, exactly its four keys, and returns the message. */
    private static String assertError(HttpResponse<String> response, int status, int code) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(Set.of("code", "message", "more_info", "status"), names(body));
        assertEquals(code, body.get("code").asInt(), response.body());
        assertEquals(status, body.get("status").asInt());
        assertEquals("https://www.twilio.com/docs/errors/" + code, body.get("more_info").asText());
        return body.get("message").asText();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void health_needsNoAuth() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build());
        assertEquals(200, r.statusCode());
        assertEquals("ok", json(r).get("status").asText());
    }

    @Test
    void missingOrBadCredentials_are401WithChallenge() {
        for (String header : new String[] {null, "Bearer x", "Basic %%%", basic(ACCOUNT, "wrong"), basic("ACnope", TOKEN),
                basic(ACCOUNT, TOKEN + TOKEN), basic(ACCOUNT.toUpperCase(java.util.Locale.ROOT), "x")}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/Trunks")).GET();
            if (header != null) {
                b.header("Authorization", header);
            }
            HttpResponse<String> r = send(b.build());
            assertError(r, 401, 20003);
            assertEquals("Basic realm=\"sipauth API\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        // unknown paths are not revealed before authentication
        assertError(send(HttpRequest.newBuilder(URI.create(base + "/nope")).GET().build()), 401, 20003);
    }

    @Test
    void accountSidInThePath_isCaseInsensitiveAndMustBeTheCallers() {
        assertEquals(200, get("/2010-04-01/Accounts/AC0123456789ABCDEF0123456789ABCDEF/SIP/Domains.json").statusCode());
        NewAccount other = server.provisioning().accounts().create("other");
        String otherPath = "/2010-04-01/Accounts/" + other.account().sid() + "/SIP/CredentialLists.json";
        assertTrue(assertError(get(otherPath), 404, 20404).contains(otherPath));
        assertError(get("/2010-04-01/Accounts/ACnot-a-sid/SIP/CredentialLists.json"), 404, 20404);
    }

    @Test
    void unknownPaths_are404WithThePathInTheMessage() {
        assertEquals("The requested resource /v1/Nope was not found", assertError(get("/v1/Nope"), 404, 20404));
        assertError(get(sip + "/Domains"), 404, 20404); // 2010 paths need .json
        assertError(get(sip + "/IpAccessControlLists"), 404, 20404);
        assertEquals("The requested resource /v1/Trunks/TKxyz was not found", assertError(get("/v1/Trunks/TKxyz"), 404, 20404));
        assertError(get(sip + "/Domains/CL0123456789abcdef0123456789abcdef.json"), 404, 20404);
    }

    @Test
    void wrongMethods_are405() {
        assertError(send(request("/v1/Trunks").PUT(HttpRequest.BodyPublishers.noBody()).build()), 405, 20004);
        assertError(send(request("/v1/Trunks").DELETE().build()), 405, 20004);
        assertError(send(request(sip + "/CredentialLists.json").method("PATCH", HttpRequest.BodyPublishers.noBody()).build()),
                405, 20004);
    }

    @Test
    void malformedFormBodies_are400() {
        String lists = sip + "/CredentialLists.json";
        assertTrue(assertError(postForm(lists, "FriendlyName=%ZZ"), 400, 400).contains("percent"));
        assertTrue(assertError(postForm(lists, "FriendlyName=%FF%FE"), 400, 400).contains("UTF-8"));
        assertError(post(lists, FORM, new byte[] {'F', 'r', 'i', 'e', 'n', 'd', 'l', 'y', 'N', 'a', 'm', 'e', '=', (byte) 0xE9}), 400, 400);
        assertError(postForm(lists, "=x"), 400, 400);
        assertError(postForm(lists, "FriendlyName=" + "x".repeat(FormParams.MAX_VALUE_LENGTH + 1)), 400, 400);
        assertError(postForm(lists, "FriendlyName=" + "x".repeat(65)), 400, 21240);
    }

    @Test
    void nonFormBodies_are415() {
        String lists = sip + "/CredentialLists.json";
        assertError(post(lists, "application/json", "{\"FriendlyName\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 415, 415);
        assertError(post(lists, FORM + "; charset=ISO-8859-1", "FriendlyName=x".getBytes(StandardCharsets.UTF_8)), 415, 415);
        assertError(post(lists, null, "FriendlyName=x".getBytes(StandardCharsets.UTF_8)), 415, 415);
        assertEquals(201, post(lists, FORM + ";charset=utf-8", "FriendlyName=utf8-list".getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    @Test
    void oversizedRequests_areRejectedWithJson() {
        byte[] huge = ("FriendlyName=" + "x".repeat((int) AdminApi.MAX_BODY_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertError(post(sip + "/CredentialLists.json", FORM, huge), 413, 413);
        assertError(send(request("/v1/Trunks").header("X-Padding", "p".repeat(20_000)).GET().build()), 431, 431);
        assertError(get("/v1/Trunks?PageSize=1&x=" + "y".repeat(20_000)), 414, 414);
    }

    @Test
    void badQueryParameters_are400() {
        assertError(get("/v1/Trunks?PageSize=0"), 400, 400);
        assertError(get("/v1/Trunks?PageSize=1001"), 400, 400);
        assertError(get("/v1/Trunks?PageSize=abc"), 400, 400);
        assertError(get("/v1/Trunks?Page=-1"), 400, 400);
        assertError(get(sip + "/Domains.json?PageToken=garbage"), 400, 400);
        assertError(get(sip + "/Domains.json?PageSize=%FF"), 400, 400);
        assertEquals(200, get("/v1/Trunks?PageSize=1000").statusCode());
    }

    @Test
    void badValues_getTheResourceCode() {
        assertError(postForm("/v1/Trunks", "Secure=maybe"), 400, 400);
        assertError(postForm(sip + "/Domains.json", "DomainName=a.example.com&SipRegistration=yes"), 400, 21231);
        assertError(postForm(sip + "/Domains.json", "DomainName=bad_name.example.com"), 400, 21231);
        assertError(postForm("/v1/Trunks", "TransferMode=sometimes"), 400, 400);
    }

    @Test
    void missingRequiredParameters_getTheResourceCodeAndName() {
        String list = json(postForm(sip + "/CredentialLists.json", "FriendlyName=required-check")).get("sid").asText();
        String trunk = json(postForm("/v1/Trunks", "FriendlyName=required-check")).get("sid").asText();
        String domain = json(postForm(sip + "/Domains.json", "DomainName=required-check.example.com")).get("sid").asText();
        byte[] none = new byte[0];
        assertTrue(assertError(post(sip + "/CredentialLists.json", null, none), 400, 21240).contains("FriendlyName"));
        assertTrue(assertError(postForm(sip + "/CredentialLists/" + list + "/Credentials.json", "Username=alice"), 400, 21243)
                .contains("Password"));
        assertTrue(assertError(postForm(sip + "/CredentialLists/" + list + "/Credentials.json", "Password=Str0ngPassw0rd"),
                400, 21243).contains("Username"));
        assertTrue(assertError(post(sip + "/Domains.json", null, none), 400, 21231).contains("DomainName"));
        assertTrue(assertError(post("/v1/Trunks/" + trunk + "/CredentialLists", null, none), 400, 400)
                .contains("CredentialListSid"));
        for (String kind : new String[] {"/Auth/Calls", "/Auth/Registrations", ""}) {
            assertTrue(assertError(post(sip + "/Domains/" + domain + kind + "/CredentialListMappings.json", null, none), 400, 21231)
                    .contains("CredentialListSid"));
        }
    }

    @Test
    void representations_haveExactKeysAndNoSecrets() {
        CredentialList list = server.provisioning().credentialLists().create(Sid.of(org.sipauth.core.model.SidKind.ACCOUNT, ACCOUNT), "keys");
        String creds = sip + "/CredentialLists/" + list.sid() + "/Credentials.json";
        HttpResponse<String> created = postForm(creds, "Username=alice&Password=Str0ngPassw0rd");
        assertEquals(201, created.statusCode());
        JsonNode credential = json(created);
        assertEquals(Set.of("sid", "account_sid", "credential_list_sid", "username", "date_created", "date_updated", "uri"),
                names(credential));
        assertFalse(created.body().contains("Str0ngPassw0rd"));

        HttpResponse<String> page = get(creds);
        assertFalse(page.body().contains("Str0ngPassw0rd"));
        assertFalse(page.body().toLowerCase(java.util.Locale.ROOT).contains("ha1"));
        assertEquals(Set.of("credentials", "first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start",
                "next_page_uri", "page"), names(json(page)));

        JsonNode trunks = json(get("/v1/Trunks"));
        assertEquals(Set.of("trunks", "meta"), names(trunks));

        String domain = json(postForm(sip + "/Domains.json", "DomainName=keys.example.com")).get("sid").asText();
        String mapping = sip + "/Domains/" + domain + "/Auth/Calls/CredentialListMappings.json";
        assertEquals(Set.of("account_sid", "date_created", "date_updated", "friendly_name", "sid"),
                names(json(postForm(mapping, "CredentialListSid=" + list.sid()))));
        JsonNode contents = json(get(mapping));
        assertTrue(contents.has("contents"));
        assertEquals(Set.of("account_sid", "date_created", "date_updated", "domain_sid", "friendly_name", "sid", "uri"),
                names(json(get(sip + "/Domains/" + domain + "/CredentialListMappings/" + list.sid() + ".json"))));
    }

    @Test
    void ipAccessControlResources_haveExactKeys_andTheirErrors() {
        HttpResponse<String> createdList = postForm(sip + "/IpAccessControlLists.json", "FriendlyName=office");
        assertEquals(201, createdList.statusCode());
        JsonNode acl = json(createdList);
        assertEquals(Set.of("sid", "account_sid", "friendly_name", "date_created", "date_updated", "subresource_uris",
                "uri"), names(acl));
        String al = acl.get("sid").asText();
        String addresses = sip + "/IpAccessControlLists/" + al + "/IpAddresses.json";
        JsonNode address = json(postForm(addresses, "FriendlyName=lan&IpAddress=10.0.0.0&CidrPrefixLength=8"));
        assertEquals(Set.of("sid", "account_sid", "friendly_name", "ip_address", "cidr_prefix_length",
                "ip_access_control_list_sid", "date_created", "date_updated", "uri"), names(address));
        assertTrue(address.get("cidr_prefix_length").isInt());
        assertEquals(Set.of("ip_addresses", "first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start",
                "next_page_uri", "page"), names(json(get(addresses))));
        assertTrue(json(get(sip + "/IpAccessControlLists.json")).has("ip_access_control_lists"));

        String trunk = json(postForm("/v1/Trunks", "FriendlyName=acl-keys")).get("sid").asText();
        assertEquals(Set.of("account_sid", "sid", "trunk_sid", "friendly_name", "date_created", "date_updated", "url"),
                names(json(postForm("/v1/Trunks/" + trunk + "/IpAccessControlLists", "IpAccessControlListSid=" + al))));
        JsonNode trunkPage = json(get("/v1/Trunks/" + trunk + "/IpAccessControlLists"));
        assertEquals("ip_access_control_lists", trunkPage.get("meta").get("key").asText());
        String domain = json(postForm(sip + "/Domains.json", "DomainName=acl-keys.example.com")).get("sid").asText();
        String calls = sip + "/Domains/" + domain + "/Auth/Calls/IpAccessControlListMappings.json";
        assertEquals(Set.of("account_sid", "date_created", "date_updated", "friendly_name", "sid"),
                names(json(postForm(calls, "IpAccessControlListSid=" + al))));
        assertTrue(json(get(calls)).has("contents"));
        assertTrue(json(get(sip + "/Domains/" + domain + "/IpAccessControlListMappings.json"))
                .has("ip_access_control_list_mappings"));
        assertEquals(Set.of("account_sid", "date_created", "date_updated", "domain_sid", "friendly_name", "sid", "uri"),
                names(json(get(sip + "/Domains/" + domain + "/IpAccessControlListMappings/" + al + ".json"))));

        byte[] none = new byte[0];
        assertTrue(assertError(post(sip + "/IpAccessControlLists.json", null, none), 400, 400).contains("FriendlyName"));
        assertTrue(assertError(postForm(addresses, "FriendlyName=x"), 400, 400).contains("IpAddress"));
        assertError(postForm(addresses, "FriendlyName=x&IpAddress=10.0.0.1&CidrPrefixLength=abc"), 400, 400);
        assertError(postForm(addresses, "FriendlyName=x&IpAddress=10.0.0.300"), 400, 400);
        assertTrue(assertError(post("/v1/Trunks/" + trunk + "/IpAccessControlLists", null, none), 400, 400)
                .contains("IpAccessControlListSid"));
        assertTrue(assertError(post(calls, null, none), 400, 21231).contains("IpAccessControlListSid"));
        assertError(postForm(calls, "IpAccessControlListSid=AL" + "0".repeat(32)), 404, 20404);
    }

    @Test
    void emptyUpdatesAndDeletesWithFormContentType_work() {
        String sid = json(postForm("/v1/Trunks", "FriendlyName=empty")).get("sid").asText();
        HttpResponse<String> unchanged = send(request("/v1/Trunks/" + sid).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, unchanged.statusCode());
        assertEquals("empty", json(unchanged).get("friendly_name").asText());
        HttpResponse<String> deleted = send(request("/v1/Trunks/" + sid).header("Content-Type", FORM)
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
    }

    /** Sends raw bytes (requests java.net.http refuses to build) and returns status line and body. */
    private static String[] raw(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.adminPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            return new String[] {response.substring(0, response.indexOf("\r\n")), response.substring(split + 4)};
        }
    }

    private static void assertRawError(String request, int status, int code) throws IOException {
        String[] response = raw(request);
        assertTrue(response[0].startsWith("HTTP/1.1 " + status + " "), response[0]);
        JsonNode body = MAPPER.readTree(response[1]);
        assertEquals(code, body.get("code").asInt(), response[1]);
        assertEquals(status, body.get("status").asInt(), response[1]);
    }

    @Test
    void malformedRequestLinesAndPaths_getJsonErrors() throws IOException {
        String auth = "Authorization: " + basic(ACCOUNT, TOKEN) + "\r\n";
        assertRawError("GET /v1/Trunks/% HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", 400, 400);
        assertRawError("GET /v1/%00 HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", 400, 400);
        assertRawError("GET /v1/Trunks/TK%FF HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", 404, 20404);
        assertRawError("GET /v1/Trunks HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: abc\r\nConnection: close\r\n\r\n",
                400, 400);
        assertRawError("POST " + sip + "/CredentialLists.json HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: " + FORM + "\r\nContent-Length: 9\r\nConnection: close\r\n\r\nA=\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 400, 400);
    }

    @Test
    void chunkedBodies_areBoundedAndMalformedChunksRejected() throws IOException {
        String auth = "Authorization: " + basic(ACCOUNT, TOKEN) + "\r\n";
        String head = "POST " + sip + "/CredentialLists.json HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: " + FORM
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        // Content-Length absent: the limit must hold while reading, not only from the header.
        String chunk = "a".repeat(16 * 1024);
        StringBuilder big = new StringBuilder(head).append("d\r\nFriendlyName=\r\n");
        for (int i = 0; i < 5; i++) {
            big.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        big.append("0\r\n\r\n");
        assertRawError(big.toString(), 413, 413);
        assertRawError(head + "zz\r\nFriendlyName=x\r\n0\r\n\r\n", 400, 400);
        String[] ok = raw(head + "f\r\nFriendlyName=ch\r\n0\r\n\r\n");
        assertTrue(ok[0].startsWith("HTTP/1.1 201 "), ok[0] + " " + ok[1]);
    }
}
