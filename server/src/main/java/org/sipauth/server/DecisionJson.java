package org.sipauth.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.jainsip.AuthorizationEvent;

/**
 * A decision as one JSON object on one line ({@code --decision-log-format json}), with the fields of
 * the text line ({@link AuthorizationEvent#toLogLine(int)}) plus the time, so a log collector (Loki,
 * Elastic, Vector…) ingests it without parsing rules:
 *
 * <pre>{"time":"2026-12-03T17:00:00.123Z","outcome":"ALLOWED","reason":null,"status":200,"method":"INVITE",
 * "target":"pbx.example.com","target_sid":"TK…","username":"alice","source":"127.0.0.1","transport":"UDP","stale":false,
 * "upstream":"sip:10.0.0.5:5060"}</pre>
 * ({@code upstream}: in proxy and redirect mode, the destination that answered an accepted call; else null)
 *
 * Every key is always present (null where the text line writes {@code -}), so the schema does not
 * depend on the outcome. Strings are escaped by Jackson's encoder: whatever a client puts in its
 * username or Request-URI stays inside its string and on its line.
 */
final class DecisionJson {

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private DecisionJson() {
    }

    /** The line for {@code event}; {@code acceptedStatus} as in {@link AuthorizationEvent#toLogLine(int)}. */
    static String line(AuthorizationEvent event, int acceptedStatus, Instant time) {
        return line(event, acceptedStatus, null, time);
    }

    /** {@link #line(AuthorizationEvent, int, Instant)} with the destination that answered an accepted call (nullable). */
    static String line(AuthorizationEvent event, int acceptedStatus, String upstream, Instant time) {
        AuthDecision decision = event.decision();
        StringBuilder b = new StringBuilder(256).append('{');
        string(b, "time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.MILLIS))).append(',');
        string(b, "outcome", event.outcome()).append(',');
        string(b, "reason", decision instanceof AuthDecision.Allowed ? null : event.reason()).append(',');
        b.append("\"status\":").append(decision instanceof AuthDecision.Allowed ? acceptedStatus : event.status()).append(',');
        string(b, "method", event.method()).append(',');
        string(b, "target", event.host()).append(',');
        string(b, "target_sid", decision instanceof AuthDecision.Allowed a ? a.targetSid().toString() : null).append(',');
        string(b, "username", event.username().isEmpty() ? null : event.username()).append(',');
        string(b, "source", event.source().getHostAddress()).append(',');
        string(b, "transport", event.transport()).append(',');
        b.append("\"stale\":").append(decision instanceof AuthDecision.Challenge c && c.stale()).append(',');
        string(b, "upstream", upstream);
        return b.append('}').toString();
    }

    private static StringBuilder string(StringBuilder b, String key, String value) {
        b.append('"').append(key).append("\":");
        if (value == null) {
            return b.append("null");
        }
        b.append('"');
        ENCODER.quoteAsString(value, b);
        return b.append('"');
    }
}
