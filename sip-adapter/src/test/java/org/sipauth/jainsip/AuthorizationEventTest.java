package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.AuthDecision.Reason;

/** The decision log line: a client-chosen value can never add, end or replace a field. */
class AuthorizationEventTest {

    private static final List<String> KEYS =
            List.of("outcome", "reason", "status", "method", "target", "username", "source", "transport");

    private static AuthorizationEvent denied(String host, String username) {
        return new AuthorizationEvent("INVITE", host, username, InetAddress.getLoopbackAddress(), "UDP",
                new AuthDecision.Challenge(401, List.of(new DigestChallenge("r", "n", null, "MD5", List.of("auth"), false)),
                        Reason.BAD_CREDENTIALS), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x outcome=ALLOWED reason=- status=0",
        "x\" outcome=ALLOWED",
        "x\\\" outcome=ALLOWED",
        "x\\",
        "a=b",
        "\"quoted\"",
        "tab\there",
        "nl\nsource=10.0.0.1",
        "cr\routcome=ALLOWED",
        "nbsp\u00a0outcome=ALLOWED",
        "ls\u2028outcome=ALLOWED",
        "nel\u0085outcome=ALLOWED",
        "del\u007f",
        " ",
        "="
    })
    void hostileUsername_staysInsideItsOwnField(String username) {
        String line = denied("trunk.example.com", username).toLogLine();
        Map<String, String> fields = parse(line);
        assertEquals(KEYS, List.copyOf(fields.keySet()), line);
        assertEquals("CHALLENGED", fields.get("outcome"), line);
        assertEquals(username, fields.get("username"), line);
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028), line);
    }

    @Test
    void hostileRequestUriHost_staysInsideItsOwnField() {
        String host = "example.com username=admin outcome=ALLOWED";
        Map<String, String> fields = parse(denied(host, "alice").toLogLine());
        assertEquals(KEYS, List.copyOf(fields.keySet()));
        assertEquals(host, fields.get("target"));
        assertEquals("alice", fields.get("username"));
    }

    @Test
    void usernameFromAQuotedDigestParameter_withSpacesAndEquals_isEscapedInTheLine() {
        String claimed = AuthRequests.claimedUsername(List.of(
                "Digest username=\"eve outcome=ALLOWED reason=- status=0\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\""));
        String line = denied("trunk.example.com", claimed).toLogLine();
        assertEquals("outcome=CHALLENGED reason=BAD_CREDENTIALS status=401 method=INVITE target=trunk.example.com"
                + " username=\"eve outcome=ALLOWED reason=- status=0\" source=127.0.0.1 transport=UDP", line);
    }

    @Test
    void acceptedRequest_showsTheStatusTheApplicationAnswered_rejectionsTheirOwn() {
        AuthorizationEvent allowed = new AuthorizationEvent("INVITE", "trunk.example.com", "alice",
                InetAddress.getLoopbackAddress(), "UDP",
                new AuthDecision.Allowed("alice", org.sipauth.core.model.Sid.random(org.sipauth.core.model.SidKind.CREDENTIAL_LIST),
                        org.sipauth.core.model.Sid.random(org.sipauth.core.model.SidKind.TRUNK)), null);
        assertEquals("200", parse(allowed.toLogLine(200)).get("status"));
        assertEquals("0", parse(allowed.toLogLine()).get("status"), "unknown to the adapter alone");
        assertEquals("401", parse(denied("trunk.example.com", "alice").toLogLine(200)).get("status"));
    }

    @Test
    void plainValues_areWrittenAsBefore() {
        assertEquals("outcome=CHALLENGED reason=BAD_CREDENTIALS status=401 method=INVITE target=trunk.example.com"
                + " username=alice source=127.0.0.1 transport=UDP", denied("trunk.example.com", "alice").toLogLine());
        assertEquals("-", parse(denied("trunk.example.com", "").toLogLine()).get("username"));
    }

    /**
     * A strict reader of the format: {@code key=value} separated by single spaces, a value either
     * bare (up to the next space) or a quoted string with backslash escapes. Keys in line order.
     */
    private static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 't' -> value.append('\t');
                            case 'u' -> {
                                value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> value.append(e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
            }
            if (fields.put(key, value.toString()) != null) {
                throw new AssertionError("duplicate field " + key + " in " + line);
            }
            if (i < line.length()) {
                assertEquals(' ', line.charAt(i), line);
                i++;
            }
        }
        return fields;
    }
}
