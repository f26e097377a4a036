package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.SipauthMessageProcessorFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.Role;

class ServerConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals("127.0.0.1", c.adminHost());
        assertEquals(8080, c.adminPort());
        assertEquals("sipauth", c.realm());
        assertNull(c.publicUrl());
        assertNull(c.accountSid());
        assertEquals("h2", c.store());
        assertEquals(Path.of("data"), c.dataDir());
        assertTrue(c.sipEnabled());
        assertEquals("0.0.0.0", c.sipHost());
        assertEquals(5060, c.sipPort());
        assertEquals(Role.UAS, c.sipRole());
        assertEquals(ServerConfig.SipMode.respond, c.sipMode());
        assertEquals(200, c.sipRespondStatus());
        assertEquals(ServerConfig.DecisionLog.all, c.decisionLog());
        assertEquals(List.of("MD5"), c.digestAlgorithms());
        assertEquals(List.of("auth"), c.digestQops());
        assertEquals(10, c.throttleMaxFailures());
        assertEquals(List.of(), c.nonceSecrets());
        assertEquals(Duration.ofSeconds(600), c.cacheTtl());
    }

    @Test
    void serveWithoutOptions_isTheDefaultConfiguration() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs();
        assertEquals(ServerConfig.defaults(), serve.config());
    }

    @Test
    void serveOptions_mapEveryStoreSipAndEngineSetting() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--store", "jdbc:postgresql://db/sipauth", "--db-user", "u",
                "--db-password", "p", "--no-sip", "--sip-host", "127.0.0.1", "--sip-port", "0", "--sip-role", "PROXY",
                "--sip-advertised-host", "sip.example.net", "--sip-advertised-port", "5080",
                "--sip-respond-status", "486", "--sip-respond-media", "inactive", "--decision-log", "none", "--sip-udp-readers", "2",
                "--digest-algorithms", "SHA-512-256, MD5", "--digest-qop", "AUTH-INT,auth", "--throttle-max-failures", "3",
                "--nonce-secret", "a".repeat(32) + ",," + "b".repeat(40), "--cache-ttl", "5");
        ServerConfig c = serve.config();
        assertEquals("jdbc:postgresql://db/sipauth", c.store());
        assertEquals("u", c.dbUser());
        assertEquals("p", c.dbPassword());
        assertFalse(c.sipEnabled());
        assertEquals(Role.PROXY, c.sipRole());
        assertEquals(ServerConfig.DecisionLog.none, c.decisionLog());
        assertEquals(List.of("SHA-512-256", "MD5"), c.digestAlgorithms());
        assertEquals(List.of("auth-int", "auth"), c.digestQops());
        assertEquals(3, c.throttleMaxFailures());
        assertEquals(List.of("a".repeat(32), "b".repeat(40)), c.nonceSecrets());
        assertEquals(Duration.ofSeconds(5), c.cacheTtl());
        SipServer.Config listener = c.sipListener();
        assertEquals("127.0.0.1", listener.host());
        assertEquals(0, listener.port());
        assertEquals(Role.PROXY, listener.role());
        assertEquals(486, listener.respondStatus());
        assertEquals("sip.example.net", listener.advertisedHost());
        assertEquals(5080, listener.advertisedPort());
        assertEquals(ServerConfig.RespondMedia.inactive, listener.respondMedia());
        assertEquals("2", listener.stackOverrides().getProperty(SipauthMessageProcessorFactory.UDP_READERS));
        String text = c.toString();
        assertFalse(text.contains("aaaa") || text.contains("bbbb") || text.contains("dbPassword=p"), text);
    }

    @Test
    void badStoreSipAndEngineValues_areRefusedWithTheOptionName() {
        for (String[] args : List.of(new String[] {"--store", "mysql://db"},
                new String[] {"--store", "memory", "--data-key", "0123456789abcdef"},
                new String[] {"--sip-role", "b2bua"}, new String[] {"--sip-udp-readers", "65"},
                new String[] {"--cache-ttl", "0"}, new String[] {"--nonce-secret", "short"},
                new String[] {"--sip-advertised-host", "a b"}, new String[] {"--sip-advertised-port", "70000"})) {
            ServeCommand serve = new ServeCommand();
            new picocli.CommandLine(serve).parseArgs(args);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, serve::config);
            assertTrue(e.getMessage().startsWith(args[args.length - 2]), e.getMessage());
        }
    }

    @Test
    void proxyModeOptions_mapToTheListenersForwarding_andAProxyChallengesWith407() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--sip-mode", "proxy", "--upstream", "sip:10.0.0.5:5070;transport=tcp",
                "--record-route", "false", "--upstream-timeout", "800", "--nonce-secret", "s".repeat(32));
        ServerConfig c = serve.config();
        assertEquals(Role.PROXY, c.sipRole(), "proxy mode challenges with 407 unless --sip-role says otherwise");
        SipServer.Forwarding forwarding = c.sipListener().forwarding();
        assertEquals(ServerConfig.SipMode.proxy, forwarding.mode());
        assertEquals("sip:10.0.0.5:5070;transport=tcp", forwarding.upstream());
        assertFalse(forwarding.recordRoute());
        assertEquals(Duration.ofMillis(800), forwarding.upstreamTimeout());
        assertEquals("s".repeat(32), forwarding.routeSecret(), "routes are signed under the nonce secret");
        assertEquals("sipauth", forwarding.realm());
        assertTrue(java.util.Arrays.equals(forwarding.routeKey(), forwarding.routeKey()),
                "a configured secret gives the same key on every node and after a restart");

        ServeCommand uasProxy = new ServeCommand();
        new picocli.CommandLine(uasProxy).parseArgs("--sip-mode", "proxy", "--sip-role", "uas");
        assertEquals(Role.UAS, uasProxy.config().sipRole());
        ServeCommand redirect = new ServeCommand();
        new picocli.CommandLine(redirect).parseArgs("--sip-mode", "redirect");
        assertEquals(Role.UAS, redirect.config().sipRole());
        assertTrue(ServerConfig.defaults().sipListener().forwarding().recordRoute());
        assertFalse(java.util.Arrays.equals(ServerConfig.defaults().sipListener().forwarding().routeKey(),
                ServerConfig.defaults().sipListener().forwarding().routeKey()), "no secret: a random key per process");
    }

    @Test
    void badForwardingValues_areRefusedWithTheOptionName() {
        for (String[] args : List.of(new String[] {"--upstream", "http://pbx.example.com"},
                new String[] {"--upstream", "sips:pbx.example.com"}, new String[] {"--upstream", "sip:pbx;transport=sctp"},
                new String[] {"--upstream-timeout", "50"}, new String[] {"--upstream-timeout", "40000"})) {
            ServeCommand serve = new ServeCommand();
            new picocli.CommandLine(serve).parseArgs(args);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, serve::config);
            assertTrue(e.getMessage().startsWith(args[0]), e.getMessage());
        }
    }

    @Test
    void publicUrl_isNormalizedAndValidated() {
        assertEquals("https://api.example.com/base", ServerConfig.builder().publicUrl("https://api.example.com/base/").build().publicUrl());
        assertNull(ServerConfig.builder().publicUrl("  ").build().publicUrl());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().publicUrl("ftp://x").build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().publicUrl("/relative").build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().publicUrl("http://x/?q=1").build());
    }

    @Test
    void bootstrapAccount_needsSidAndTokenTogether() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().account("AC" + "0".repeat(32), null).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().account(null, "token").build());
        assertEquals("token", ServerConfig.builder().account("AC" + "0".repeat(32), "token").build().authToken());
    }

    @Test
    void ports_areChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().adminPort(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().adminPort(65536).build());
    }

    @Test
    void toString_hidesTheToken() {
        assertFalse(ServerConfig.builder().account("AC" + "0".repeat(32), "s3cret-token").build().toString().contains("s3cret"));
    }

    @Test
    void serveOptions_parseIntoAConfig() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--admin-host", "::1", "--admin-port", "0", "--realm", "sip.example.com",
                "--public-url", "https://sipauth.example.com/", "--domain-suffix", ".example.com");
        ServerConfig c = serve.config();
        assertEquals("::1", c.adminHost());
        assertEquals(0, c.adminPort());
        assertEquals("sip.example.com", c.realm());
        assertEquals("https://sipauth.example.com", c.publicUrl());
        assertEquals(".example.com", c.domainSuffix());
    }

    @Test
    void sipStackProperties_overrideTheDefaults_andOnlyStackNamesAreTaken() {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--sip-stack-property", "gov.nist.javax.sip.LINGER_TIMER=1",
                "--sip-stack-property", "gov.nist.javax.sip.THREAD_POOL_SIZE = 8");
        SipServer.Config c = serve.config().sipListener();
        assertEquals("1", c.stackOverrides().getProperty("gov.nist.javax.sip.LINGER_TIMER"));
        assertEquals("8", c.stackOverrides().getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));

        for (String bad : List.of("log4j.rootLogger=DEBUG", "javax.sip.STACK_NAME=x")) {
            ServeCommand other = new ServeCommand();
            new picocli.CommandLine(other).parseArgs("--sip-stack-property", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::config);
            assertTrue(e.getMessage().startsWith("--sip-stack-property"), e.getMessage());
        }
    }
}
