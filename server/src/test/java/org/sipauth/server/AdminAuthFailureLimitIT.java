package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.testsip.MutableClock;

/**
 * Issue 15, finding 9: failed admin authentications are limited per source. After the budget, a
 * wrong and a right token alike get 429 with Twilio's error JSON until the window passes.
 */
class AdminAuthFailureLimitIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "limit-it-token-0123456789";
    private static final int BUDGET = AuthFailureLimiter.DEFAULT_MAX_FAILURES;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdminApi api;

    @BeforeEach
    void start() {
        Provisioning provisioning = Provisioning.builder().store(new MemoryStore()).realm("limit.test").build();
        provisioning.accounts().ensure(ACCOUNT, TOKEN);
        api = new AdminApi(provisioning, "127.0.0.1", 0, null, new AuthFailureLimiter(clock));
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> trunks(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/Trunks"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((ACCOUNT + ":" + token).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertTooManyRequests(HttpResponse<String> r, long retryAfter) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        JsonNode body = MAPPER.readTree(r.body());
        assertEquals(20429, body.get("code").asInt());
        assertEquals(429, body.get("status").asInt());
        assertEquals("Too Many Requests", body.get("message").asText());
        assertEquals("https://www.twilio.com/docs/errors/20429", body.get("more_info").asText());
        assertEquals(String.valueOf(retryAfter), r.headers().firstValue("Retry-After").orElse(null));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    }

    @Test
    void wrongTokens_past_theBudget_get429_andSoDoesTheRightOne_untilTheWindowPasses() throws Exception {
        assertEquals(200, trunks(TOKEN).statusCode());
        for (int i = 0; i < BUDGET; i++) {
            assertEquals(401, trunks("wrong-" + i).statusCode(), "failure " + (i + 1));
            clock.advance(Duration.ofSeconds(1));
        }
        long left = AuthFailureLimiter.DEFAULT_WINDOW.toSeconds() - BUDGET;
        assertTooManyRequests(trunks("wrong-again"), left);
        assertTooManyRequests(trunks(TOKEN), left);

        clock.advance(Duration.ofSeconds(left - 1));
        assertTooManyRequests(trunks(TOKEN), 1);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, trunks(TOKEN).statusCode(), "the window has passed");
        assertEquals(401, trunks("wrong").statusCode(), "and a new budget starts");
    }

    @Test
    void successesInBetween_doNotResetTheBudget() throws Exception {
        for (int i = 0; i < BUDGET - 1; i++) {
            assertEquals(401, trunks("wrong-" + i).statusCode());
            assertEquals(200, trunks(TOKEN).statusCode(), "still within the budget after " + (i + 1));
        }
        assertEquals(401, trunks("wrong-last").statusCode());
        assertTooManyRequests(trunks(TOKEN), AuthFailureLimiter.DEFAULT_WINDOW.toSeconds());
    }

    @Test
    void health_isNeverLimited() throws Exception {
        for (int i = 0; i < BUDGET; i++) {
            trunks("wrong-" + i);
        }
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }
}
