package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.provisioning.Provisioning;

/**
 * Interop with sipsak (Debian {@code sipsak}), a client that answers only the first challenge header
 * and only MD5: one INVITE with digest authentication against the engine's default offer, over UDP.
 * Fails loudly when {@code sipsak} is not installed ({@code .ci/run} installs it).
 */
class SipsakInteropIT extends InteropServerTest {

    private static final String REALM = "sipauth.test";
    private static final String HOST = "trunk.sipauth.test";
    private static final String USER = "sipsakuser";
    private static final String PASSWORD = "Sipsak1Secret";


    @BeforeAll
    static void requireSipsak() throws Exception {
        InteropFixture.requireTool("sipsak", "sipsak", "-V");
    }

    @BeforeEach
    void startServer() throws Exception {
        Provisioning provisioning = InteropFixture.trunkWithUsers(REALM, "sipsak", HOST, Map.of(USER, PASSWORD));
        // the engine's defaults: what a new server offers
        start(InviteAuthorizer.builder().store(provisioning.store()).realm(REALM).build());
    }

    /** Runs sipsak for one INVITE with digest credentials; returns its exit code and keeps its output. */
    private int sipsak(String password) throws Exception {
        int port = InteropFixture.freePort(true);
        String invite = "INVITE sip:15550001@" + HOST + " SIP/2.0\r\n"
                + "From: <sip:" + USER + "@" + HOST + ">;tag=sipsak" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <sip:15550001@" + HOST + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:" + USER + "@127.0.0.1:" + port + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        Path file = work.resolve("invite.txt");
        Files.writeString(file, invite, StandardCharsets.US_ASCII);
        // sipsak sends to the host of -s; the Request-URI stays the file's
        List<String> cmd = List.of("sipsak", "-vv", "-f", file.toString(), "-s", "sip:15550001@127.0.0.1:" + server.port(),
                "-l", Integer.toString(port), "-H", "127.0.0.1", "-u", USER, "-a", password);
        return InteropFixture.run(cmd, work.resolve("sipsak.out"), 60);
    }

    private String output() throws IOException {
        return Files.readString(work.resolve("sipsak.out"), StandardCharsets.UTF_8);
    }

    @Test
    void sipsak_authenticatesAgainstTheDefaultOffer() throws Exception {
        int exit = sipsak(PASSWORD);
        assertEquals(0, exit, "sipsak: " + output());
        assertTrue(events.stream().anyMatch(e -> e.outcome().equals("ALLOWED") && e.username().equals(USER)),
                "the server accepted the call: " + events);
    }

    @Test
    void sipsak_wrongPassword_isNeverAccepted() throws Exception {
        assertNotEquals(0, sipsak(PASSWORD + "x"), "sipsak must report the failure");
        assertTrue(events.stream().noneMatch(e -> e.outcome().equals("ALLOWED")), "nobody accepted: " + events);
        assertTrue(events.stream().anyMatch(e -> "BAD_CREDENTIALS".equals(e.reason())), events.toString());
    }
}
