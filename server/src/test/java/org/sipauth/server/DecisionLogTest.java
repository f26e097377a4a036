package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.jainsip.AuthorizationEvent;
import picocli.CommandLine;

/** {@code --decision-log}: which decisions are rejections, and how the option parses. */
class DecisionLogTest {

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
