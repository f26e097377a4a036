package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.jainsip.AuthorizationEvent;

/**
 * Interop with a real third-party client: SIPp (Debian {@code sip-tester}) runs the scenarios of
 * the load harness ({@code benchmarks/load/scenarios}) against the listener for many users from a
 * CSV. Fails loudly when {@code sipp} is not installed.
 */
class SippInteropIT extends InteropServerTest {

    private static final String REALM = "sipauth.test";
    private static final String HOST = "trunk.sipauth.test";
    private static final String SERVICE = "15550001";
    private static final int USERS = 100;
    private static final Path SCENARIOS = Path.of("..", "benchmarks", "load", "scenarios");


    @BeforeAll
    static void requireSipp() throws Exception {
        InteropFixture.requireTool("sip-tester", "sipp", "-v");
    }

    @BeforeEach
    void startServer() throws Exception {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= USERS; i++) {
            users.put(user(i), password(i));
        }
        Provisioning provisioning = InteropFixture.trunkWithUsers(REALM, "sipp", HOST, users);
        // SIPp answers only the first challenge header and only with MD5.
        start(Engines.md5Only(provisioning.store(), REALM, Clock.systemUTC()));
    }

    private static String user(int i) {
        return String.format(java.util.Locale.ROOT, "sippuser%03d", i);
    }

    private static String password(int i) {
        return String.format(java.util.Locale.ROOT, "Sipp%03dSecret", i);
    }

    private Path csv(boolean rightPasswords) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("SEQUENTIAL");
        for (int i = 1; i <= USERS; i++) {
            String pw = rightPasswords ? password(i) : password(i) + "x";
            lines.add(user(i) + ";" + HOST + ";[authentication username=" + user(i) + " password=" + pw + "]");
        }
        Path file = work.resolve(rightPasswords ? "users.csv" : "wrong.csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Runs SIPp to completion and returns its exit code (0: every call succeeded, 1: some failed). */
    private int sipp(String scenario, Path csv, String transport) throws Exception {
        Path errors = work.resolve(scenario + "-" + transport + ".errors.log");
        List<String> cmd = List.of("sipp", "127.0.0.1:" + server.port(),
                "-sf", SCENARIOS.resolve(scenario).toString(), "-inf", csv.toString(),
                "-s", SERVICE, "-auth_uri", SERVICE + "@" + HOST,
                "-t", transport, "-i", "127.0.0.1", "-p", Integer.toString(InteropFixture.freePort(transport.startsWith("u"))),
                "-m", Integer.toString(USERS), "-r", "50", "-l", "20",
                "-recv_timeout", "5000", "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", errors.toString());
        return InteropFixture.run(cmd, work.resolve(scenario + "-" + transport + ".out"), 90);
    }

    private Set<String> allowedUsers() {
        return events.stream().filter(e -> e.outcome().equals("ALLOWED")).map(AuthorizationEvent::username)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "t1"})
    void sipp_authenticatesEveryUserFromTheCsv(String transport) throws Exception {
        int exit = sipp("uac-auth.xml", csv(true), transport);
        assertEquals(0, exit, "sipp reported failed calls");
        assertEquals(USERS, allowedUsers().size(), "each CSV user was authorized");
    }

    @Test
    void sipp_wrongPasswords_failEveryCall() throws Exception {
        Path wrong = csv(false);
        assertEquals(1, sipp("uac-auth.xml", wrong, "u1"), "the authenticated flow must fail");
        assertTrue(allowedUsers().isEmpty(), "nobody may be authorized with a wrong password");
        assertEquals(0, sipp("uac-auth-rejected.xml", wrong, "u1"), "every call is challenged again");
    }
}
