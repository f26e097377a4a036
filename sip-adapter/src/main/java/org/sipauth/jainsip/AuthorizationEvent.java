package org.sipauth.jainsip;

import java.net.InetAddress;
import java.util.Locale;
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

    /**
     * The event of an accepted request, as an application that acts on it reports it (e.g. with the
     * outcome of forwarding it); the username is empty when the request was accepted by its source
     * address alone (IP access control lists only).
     */
    public static AuthorizationEvent accepted(String method, String host, InetAddress source, String transport,
                                              AuthDecision.Allowed decision) {
        return new AuthorizationEvent(method, host, decision.username() == null ? "" : decision.username(), source,
                transport, decision, null);
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

    /**
     * One log line: {@code outcome=… reason=… status=… method=… target=… username=… source=… transport=…}.
     * A value that holds a space, {@code =}, {@code "}, a backslash or a control character (or is
     * empty) is written as a quoted string with backslash escapes: {@code \"}, {@code \\},
     * {@code \n}, {@code \r}, {@code \t}, and a backslash, {@code u} and four hex digits for any other
     * control or space character. So a value can never end its field or start another, whatever a
     * client puts in the username or Request-URI.
     */
    public String toLogLine() {
        return toLogLine(0);
    }

    /**
     * {@link #toLogLine()} with the status the application answered an accepted request with (for
     * example a responder's 200), so the line shows what the caller got; 0 when not known, which
     * writes {@code status=0} for an accepted request.
     */
    public String toLogLine(int acceptedStatus) {
        StringBuilder b = new StringBuilder(160);
        b.append("outcome=").append(outcome())
                .append(" reason=").append(reason())
                .append(" status=").append(decision instanceof AuthDecision.Allowed ? acceptedStatus : status());
        field(b, "method", method);
        field(b, "target", decision instanceof AuthDecision.Allowed a ? a.targetSid() + "/" + host : host);
        field(b, "username", username.isEmpty() ? "-" : username);
        field(b, "source", source.getHostAddress());
        field(b, "transport", transport);
        if (decision instanceof AuthDecision.Challenge c && c.stale()) {
            b.append(" stale=true");
        }
        return b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append('=');
        if (!needsQuoting(value)) {
            b.append(value);
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c != ' ' && isUnsafe(c)) { // a plain space is harmless inside the quotes
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean needsQuoting(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '=' || c == '"' || c == '\\' || isUnsafe(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Control characters (C0, DEL, C1) and the other characters a log viewer may treat as a line
     * break or a blank (Unicode line/paragraph separators, any other space character).
     */
    private static boolean isUnsafe(char c) {
        if (c > ' ' && c < 0x7f) {
            return false; // printable ASCII, nearly every character of a line: skip the table lookups
        }
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
