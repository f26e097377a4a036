package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.jainsip.AuthorizationEvent;
import picocli.CommandLine;

/** {@code --decision-log} and {@code --decision-log-format}: which decisions are rejections, the JSON line, how the options parse. */
class DecisionLogTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static AuthorizationEvent event(AuthDecision decision) {
        return new AuthorizationEvent("INVITE", "trunk.example.com", "alice", InetAddress.getLoopbackAddress(), "UDP",
                decision, decision == null ? new IllegalStateException("store down") : null);
    }

    private static AuthDecision.Challenge challenge(Reason reason) {
        return new AuthDecision.Challenge(401,
                List.of(new DigestChallenge("r", "n", null, "MD5", List.of(), reason == Reason.STALE_NONCE)), reason);
    }

    @Test
    void rejections_leaveOutAcceptedRequestsAndTheFirstChallengeOnly() {
        assertFalse(SipServer.isRejection(event(new AuthDecision.Allowed("alice", Sid.random(SidKind.CREDENTIAL_LIST),
                Sid.random(SidKind.TRUNK)))));
        assertFalse(SipServer.isRejection(event(challenge(Reason.NO_CREDENTIALS))));
        for (Reason reason : List.of(Reason.BAD_CREDENTIALS, Reason.REPLAY, Reason.STALE_NONCE, Reason.INVALID_NONCE,
                Reason.UNSUPPORTED_ALGORITHM)) {
            assertTrue(SipServer.isRejection(event(challenge(reason))), reason.toString());
        }
        assertTrue(SipServer.isRejection(event(new AuthDecision.Denied(403, Reason.THROTTLED))));
        assertTrue(SipServer.isRejection(event(new AuthDecision.Denied(404, Reason.UNKNOWN_TARGET))));
        assertTrue(SipServer.isRejection(event(null)), "an engine failure");
    }

    @Test
    void json_holdsEveryFieldOnOneLine_withTheSameValuesAsTheTextLine() throws Exception {
        Sid trunk = Sid.random(SidKind.TRUNK);
        AuthorizationEvent accepted = event(new AuthDecision.Allowed("alice", Sid.random(SidKind.CREDENTIAL_LIST), trunk));
        JsonNode json = MAPPER.readTree(DecisionJson.line(accepted, 200, Instant.parse("2026-12-03T17:00:00.123456Z")));
        assertEquals("2026-12-03T17:00:00.123Z", json.get("time").asText());
        assertEquals("ALLOWED", json.get("outcome").asText());
        assertTrue(json.get("reason").isNull());
        assertEquals(200, json.get("status").asInt());
        assertEquals("INVITE", json.get("method").asText());
        assertEquals("trunk.example.com", json.get("target").asText());
        assertEquals(trunk.toString(), json.get("target_sid").asText());
        assertEquals("alice", json.get("username").asText());
        assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), json.get("source").asText());
        assertEquals("UDP", json.get("transport").asText());
        assertFalse(json.get("stale").asBoolean());

        JsonNode stale = MAPPER.readTree(DecisionJson.line(event(challenge(Reason.STALE_NONCE)), 200, Instant.EPOCH));
        assertEquals("CHALLENGED", stale.get("outcome").asText());
        assertEquals("STALE_NONCE", stale.get("reason").asText());
        assertEquals(401, stale.get("status").asInt());
        assertTrue(stale.get("target_sid").isNull());
        assertTrue(stale.get("stale").asBoolean());

        JsonNode failure = MAPPER.readTree(DecisionJson.line(event(null), 200, Instant.EPOCH));
        assertEquals("ERROR", failure.get("outcome").asText());
        assertEquals("ENGINE_FAILURE", failure.get("reason").asText());
        assertEquals(503, failure.get("status").asInt());
    }

    @Test
    void json_keepsHostileValuesInsideTheirStrings() throws Exception {
        String hostile = "eve\"},\"outcome\":\"ALLOWED\n\u2028\\";
        AuthorizationEvent event = new AuthorizationEvent("INVITE", "h\"ost", hostile, InetAddress.getLoopbackAddress(),
                "UDP", new AuthDecision.Denied(403, Reason.THROTTLED), null);
        String line = DecisionJson.line(event, 0, Instant.EPOCH);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonNode json = MAPPER.readTree(line);
        assertEquals(hostile, json.get("username").asText());
        assertEquals("h\"ost", json.get("target").asText());
        assertEquals("DENIED", json.get("outcome").asText());
        assertEquals(12, json.size(), "no injected key: " + line);
        assertTrue(MAPPER.readTree(DecisionJson.line(new AuthorizationEvent("INVITE", "h", "",
                InetAddress.getLoopbackAddress(), "UDP", new AuthDecision.Denied(403, Reason.THROTTLED), null), 0,
                Instant.EPOCH)).get("username").isNull(), "no username: null, as the text line's -");
    }

    @Test
    void formatOption_defaultsToText_acceptsJson_refusesOthers() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        assertEquals(ServerConfig.DecisionLogFormat.text, serve.config().decisionLogFormat());
        ServeCommand json = new ServeCommand();
        new CommandLine(json).parseArgs("--decision-log-format", "json");
        assertEquals(ServerConfig.DecisionLogFormat.json, json.config().decisionLogFormat());
        assertThrows(CommandLine.ParameterException.class,
                () -> new CommandLine(new ServeCommand()).parseArgs("--decision-log-format", "xml"));
    }

    @Test
    void option_defaultsToAll_acceptsTheThreeValues_refusesOthers() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        assertEquals(ServerConfig.DecisionLog.all, serve.config().decisionLog());
        for (ServerConfig.DecisionLog value : ServerConfig.DecisionLog.values()) {
            ServeCommand s = new ServeCommand();
            new CommandLine(s).parseArgs("--decision-log", value.name());
            assertEquals(value, s.config().decisionLog());
        }
        assertThrows(CommandLine.ParameterException.class,
                () -> new CommandLine(new ServeCommand()).parseArgs("--decision-log", "some"));
    }
}
