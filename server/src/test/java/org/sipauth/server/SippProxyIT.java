package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.authz.Role;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.testing.Await;

/**
 * Proxy mode with real third-party user agents on both sides: SIPp as the caller
 * ({@code uac-proxy-auth.xml}: INVITE, 407, INVITE with credentials, 200, ACK and BYE by the
 * Record-Route) and SIPp as the callee ({@code uas-proxy.xml}, which fails any call whose INVITE
 * still carries credentials).
 */
class SippProxyIT {

    private static final String REALM = "sipauth.test";
    private static final String HOST = "trunk.sipauth.test";
    private static final String SERVICE = "15550001";
    private static final int USERS = 50;
    private static final Path SCENARIOS = Path.of("..", "benchmarks", "load", "scenarios");

    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private InviteAuthorizer engine;
    private SipServer server;
    private Process callee;
    private int calleePort;

    @TempDir
    Path work;

    @BeforeAll
    static void requireSipp() throws Exception {
        InteropFixture.requireTool("sip-tester", "sipp", "-v");
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 1; i <= USERS; i++) {
            users.put(user(i), password(i));
        }
        Provisioning provisioning = InteropFixture.trunkWithUsers(REALM, "sipp-proxy", HOST, users);
        engine = Engines.md5Only(provisioning.store(), REALM, Clock.systemUTC()); // SIPp answers MD5 only
        calleePort = InteropFixture.freePort(true);
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, Role.PROXY, 200, null)
                        .withForwarding(new SipServer.Forwarding(ServerConfig.SipMode.proxy, "sip:127.0.0.1:" + calleePort,
                                true, Duration.ofSeconds(5), null, REALM)),
                engine::authorize, e -> { }, target -> List.of(), (event, status, upstream) -> outcomes.add(event.username()
                        + " " + status));
    }

    @AfterEach
    void stop() {
        if (callee != null) {
            callee.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static String user(int i) {
        return String.format(Locale.ROOT, "proxyuser%03d", i);
    }

    private static String password(int i) {
        return String.format(Locale.ROOT, "Proxy%03dSecret", i);
    }

    private Path csv(boolean rightPasswords) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("SEQUENTIAL");
        for (int i = 1; i <= USERS; i++) {
            String pw = rightPasswords ? password(i) : password(i) + "x";
            lines.add(user(i) + ";" + HOST + ";[authentication username=" + user(i) + " password=" + pw + "]");
        }
        return Files.write(work.resolve(rightPasswords ? "users.csv" : "wrong.csv"), lines, StandardCharsets.UTF_8);
    }

    /** Starts the SIPp callee behind the proxy for {@code calls} calls and waits until it holds its port. */
    private Path startCallee(int calls) throws Exception {
        Path messages = work.resolve("callee-messages.log");
        callee = new ProcessBuilder("sipp", "-sf", SCENARIOS.resolve("uas-proxy.xml").toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(calleePort), "-t", "u1", "-m", Integer.toString(calls),
                "-nostdin", "-trace_msg", "-message_file", messages.toString(), "-trace_err",
                "-error_file", work.resolve("callee-errors.log").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("callee.out").toFile()).start();
        Path output = work.resolve("callee.out");
        Await.until(Duration.ofSeconds(30), () -> udpPortTaken(calleePort) || !callee.isAlive(),
                () -> "SIPp callee to bind " + calleePort);
        if (!callee.isAlive()) {
            throw new AssertionError("the SIPp callee exited with " + callee.exitValue() + ": "
                    + (Files.exists(output) ? Files.readString(output) : "no output"));
        }
        return messages;
    }

    private static boolean udpPortTaken(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    private int caller(Path csv, String transport) throws Exception {
        List<String> cmd = List.of("sipp", "127.0.0.1:" + server.port(),
                "-sf", SCENARIOS.resolve("uac-proxy-auth.xml").toString(), "-inf", csv.toString(),
                "-s", SERVICE, "-auth_uri", SERVICE + "@" + HOST,
                "-t", transport, "-i", "127.0.0.1", "-p", Integer.toString(InteropFixture.freePort(transport.startsWith("u"))),
                "-m", Integer.toString(USERS), "-r", "50", "-l", "20",
                "-recv_timeout", "5000", "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", work.resolve("caller-errors.log").toString());
        return InteropFixture.run(cmd, work.resolve("caller-" + transport + ".out"), 90);
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "t1"})
    void sippCallsThroughTheProxy_completeWithBye_andTheCalleeNeverSeesCredentials(String transport) throws Exception {
        startCallee(USERS);
        assertEquals(0, caller(csv(true), transport), "the SIPp caller reported failed calls");
        assertTrue(callee.waitFor(30, TimeUnit.SECONDS), "the SIPp callee finished its calls");
        assertEquals(0, callee.exitValue(), "the SIPp callee failed calls (credentials seen, or no ACK/BYE)");
        assertEquals(USERS, outcomes.stream().filter(o -> o.endsWith(" 200")).map(o -> o.split(" ")[0]).distinct().count(),
                "each CSV user's call was forwarded and answered 200: " + outcomes);
    }

    @Test
    void wrongPasswords_neverReachTheCallee() throws Exception {
        Path messages = startCallee(1);
        assertEquals(1, caller(csv(false), "u1"), "every call must fail");
        assertTrue(outcomes.isEmpty(), "nothing was forwarded: " + outcomes);
        String seen = Files.exists(messages) ? Files.readString(messages) : "";
        assertFalse(seen.contains("INVITE"), "the callee received an INVITE: " + seen);
    }
}
