package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The admin API over real HTTP with an account's Basic credentials, for integration tests. */
final class AdminHttp {

    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([A-Z]{2}[0-9a-f]{32})\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String account;
    private final String authorization;

    AdminHttp(int port, String account, String token) {
        this.port = port;
        this.account = account;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((account + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /2010-04-01/Accounts/AC…/SIP}. */
    String sip2010() {
        return "/2010-04-01/Accounts/" + account + "/SIP";
    }

    HttpResponse<String> call(String method, String path, Map<String, String> form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization);
        if (method.equals("POST")) {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs, asserts 201 and returns the new resource's SID. */
    String created(String path, Map<String, String> form) throws Exception {
        HttpResponse<String> r = call("POST", path, form);
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = SID.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    /**
     * A credential list {@code name} with one credential, mapped to a new trunk for {@code host};
     * returns the credential's path (for a later DELETE).
     */
    String trunkWithOneCredential(String name, String host, String username, String password) throws Exception {
        String list = created(sip2010() + "/CredentialLists.json", Map.of("FriendlyName", name));
        Map<String, String> credential = new LinkedHashMap<>();
        credential.put("Username", username);
        credential.put("Password", password);
        String cred = created(sip2010() + "/CredentialLists/" + list + "/Credentials.json", credential);
        Map<String, String> trunk = new LinkedHashMap<>();
        trunk.put("FriendlyName", name);
        trunk.put("DomainName", host);
        String tk = created("/v1/Trunks", trunk);
        created("/v1/Trunks/" + tk + "/CredentialLists", Map.of("CredentialListSid", list));
        return sip2010() + "/CredentialLists/" + list + "/Credentials/" + cred + ".json";
    }
}
