package org.sipauth.jainsip;

import java.net.InetAddress;
import java.util.Objects;
import org.sipauth.core.authz.AuthDecision;

/**
 * One authorization decision taken by {@link AuthorizingSipListener}, for logs and metrics. Carries
 * no secret: the username is the one the client claimed (bounded, control characters replaced).
 *
 * @param method    the request's method
 * @param host      the Request-URI host the request was addressed to
 * @param username  the claimed digest username, empty when none
 * @param source    the packet's source address
 * @param transport UDP, TCP, …
 * @param decision  the engine's decision; null when {@code failure} is set
 * @param failure   set when the engine threw (e.g. store outage) and the request was answered 503; then {@code decision} is null
 */
public record AuthorizationEvent(String method, String host, String username, InetAddress source, String transport,
                                 AuthDecision decision, RuntimeException failure) {

    public AuthorizationEvent {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(transport, "transport");
        if ((decision == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of decision and failure must be set");
        }
    }

    /** {@code ALLOWED}, {@code CHALLENGED}, {@code DENIED} or {@code ERROR}. */
    public String outcome() {
        if (decision instanceof AuthDecision.Allowed) {
            return "ALLOWED";
        }
        if (decision instanceof AuthDecision.Challenge) {
            return "CHALLENGED";
        }
        return decision instanceof AuthDecision.Denied ? "DENIED" : "ERROR";
    }

    /** The reason, or {@code -} for an allowed request. */
    public String reason() {
        if (decision instanceof AuthDecision.Challenge c) {
            return c.reason().name();
        }
        if (decision instanceof AuthDecision.Denied d) {
            return d.reason().name();
        }
        return failure != null ? "ENGINE_FAILURE" : "-";
    }

    /** The SIP status the request was answered with, or 0 when it went on to the application. */
    public int status() {
        if (decision instanceof AuthDecision.Challenge c) {
            return c.status();
        }
        if (decision instanceof AuthDecision.Denied d) {
            return d.status();
        }
        return failure != null ? 503 : 0;
    }

    /** One log line: {@code outcome=… reason=… status=… method=… target=… username=… source=… transport=…}. */
    public String toLogLine() {
        StringBuilder b = new StringBuilder(160);
        b.append("outcome=").append(outcome())
                .append(" reason=").append(reason())
                .append(" status=").append(status())
                .append(" method=").append(method)
                .append(" target=").append(decision instanceof AuthDecision.Allowed a ? a.targetSid() + "/" + host : host)
                .append(" username=").append(username.isEmpty() ? "-" : username)
                .append(" source=").append(source.getHostAddress())
                .append(" transport=").append(transport);
        if (decision instanceof AuthDecision.Challenge c && c.stale()) {
            b.append(" stale=true");
        }
        return b.toString();
    }
}
