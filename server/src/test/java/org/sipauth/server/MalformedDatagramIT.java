package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.authz.Role;
import org.sipauth.testsip.RawSip;
import org.slf4j.LoggerFactory;

/**
 * Malformed datagrams on a real stack: each gets sipauth's well-formed answer (or nothing), never
 * jain-sip-ri's own 400, and the log stays bounded and free of message text (Authorization values
 * included), whatever the volume.
 */
class MalformedDatagramIT {

    private static final String SECRET = "nonce=\"SECRETNONCE\", cnonce=\"SECRETCNONCE\", response=\"SECRETRESPONSE\"";
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private SipServer server;

    MalformedDatagramIT() {
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logged);
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, Role.UAS, 200, null),
                request -> new AuthDecision.Challenge(401,
                        List.of(new DigestChallenge("r", "n", null, "MD5", List.of(), false)), Reason.NO_CREDENTIALS), event -> { });
    }

    private static String request(int clientPort, String requestLine, String cseq, String contentLength, String body) {
        return requestLine + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + clientPort + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@example.org>;tag=f1\r\nTo: <sip:b@trunk.example.com>\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: " + cseq + "\r\n"
                + "Contact: <sip:a@127.0.0.1:" + clientPort + ">\r\n"
                + "Authorization: Digest username=\"a\", realm=\"r\", uri=\"sip:b@trunk.example.com\", " + SECRET + "\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n" + body;
    }

    /** A response sipauth writes: one status line, headers, an empty body, a To-tag. */
    private static void assertWellFormed(String response, int status) {
        assertTrue(response.startsWith("SIP/2.0 " + status + " "), response);
        String head = response.substring(0, response.indexOf("\r\n"));
        assertFalse(head.contains("("), "a plain reason phrase: " + head);
        assertTrue(response.endsWith("Content-Length: 0\r\n\r\n"), "no body: " + response);
        assertEquals(response.length() - 4, response.indexOf("\r\n\r\n"), "one blank line, at the end: " + response);
        assertNotNull(RawSip.toTag(response), "a To-tag: " + response);
        assertFalse(response.contains("SECRET"), response);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Content-Length larger than the body | INVITE sip:b@trunk.example.com SIP/2.0 | 1 INVITE | 50 | abc  | 400",
        "unsupported version                 | INVITE sip:b@trunk.example.com SIP/3.0 | 1 INVITE | 0  |      | 505",
        "CSeq method differs                 | INVITE sip:b@trunk.example.com SIP/2.0 | 1 BYE    | 0  |      | 400",
        "unreadable CSeq                     | INVITE sip:b@trunk.example.com SIP/2.0 | x INVITE | 0  |      | 400",
    })
    void malformedRequest_getsSipauthsWellFormedAnswer(String what, String requestLine, String cseq, String length,
                                                       String body, int status) throws Exception {
        start();
        try (RawSip raw = new RawSip()) {
            raw.send(request(raw.localPort(), requestLine, cseq, length, body == null ? "" : body), server.port());
            String response = raw.receive(5000);
            assertNotNull(response, what);
            assertWellFormed(response, status);
            assertNull(raw.receive(500), "one answer only");
        }
    }

    @Test
    void thousandMalformedDatagrams_logABoundedNumberOfLines_withoutMessageTextOrStackTraces() throws Exception {
        start();
        logged.list.clear(); // the stack's start-up lines
        try (RawSip raw = new RawSip()) {
            String[] kinds = {
                request(raw.localPort(), "INVITE sip:b@trunk.example.com SIP/2.0", "1 INVITE", "50", "abc"),
                request(raw.localPort(), "INVITE sip:b@trunk.example.com SIP/3.0", "1 INVITE", "0", ""),
                request(raw.localPort(), "INVITE sip:b@trunk.example.com SIP/2.0", "1 BYE", "0", ""),
                request(raw.localPort(), "INVITE sip:b@trunk.example.com SIP/2.0", "1 INVITE", "0", "")
                        .replaceFirst("Via: [^\r]*", "Via: SIP/2.0/UDP ;;;"),
                request(raw.localPort(), "INVITE  SIP/2.0", "1 INVITE", "0", ""),
                "\u0001\u0002 garbage " + SECRET + "\r\n\r\n",
            };
            int answered = 0;
            for (int i = 0; i < 1000; i++) {
                raw.send(kinds[i % kinds.length], server.port());
                if (i % 50 == 49) {
                    // pace the client so that its socket buffer keeps every answer
                    while (raw.receive(200) != null) {
                        answered++;
                    }
                }
            }
            while (raw.receive(500) != null) {
                answered++;
            }
            assertTrue(answered >= 600, "the answerable kinds are answered: " + answered);
        }
        List<ILoggingEvent> lines = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
        assertTrue(lines.size() <= 3, "bounded: " + lines.size() + " lines, e.g. "
                + lines.stream().limit(5).map(ILoggingEvent::getFormattedMessage).toList());
        for (ILoggingEvent line : lines) {
            assertFalse(line.getFormattedMessage().contains("SECRET"), line.getFormattedMessage());
            assertNull(line.getThrowableProxy(), "no stack trace: " + line.getFormattedMessage());
        }
    }
}
