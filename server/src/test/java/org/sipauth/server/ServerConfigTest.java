package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals("127.0.0.1", c.adminHost());
        assertEquals(8080, c.adminPort());
        assertEquals("sipauth", c.realm());
        assertNull(c.publicUrl());
        assertNull(c.accountSid());
    }

    @Test
    void publicUrl_isNormalizedAndValidated() {
        assertEquals("https://api.example.com/base", ServerConfig.defaults().withPublicUrl("https://api.example.com/base/").publicUrl());
        assertNull(ServerConfig.defaults().withPublicUrl("  ").publicUrl());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPublicUrl("ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPublicUrl("/relative"));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPublicUrl("http://x/?q=1"));
    }

    @Test
    void bootstrapAccount_needsSidAndTokenTogether() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withAccount("AC" + "0".repeat(32), null));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withAccount(null, "token"));
        assertEquals("token", ServerConfig.defaults().withAccount("AC" + "0".repeat(32), "token").authToken());
    }

    @Test
    void ports_areChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withAdminPort(-1));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withAdminPort(65536));
    }

    @Test
    void toString_hidesTheToken() {
        assertFalse(ServerConfig.defaults().withAccount("AC" + "0".repeat(32), "s3cret-token").toString().contains("s3cret"));
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
        SipServer.Config c = serve.sip.config();
        assertEquals("1", c.stackOverrides().getProperty("gov.nist.javax.sip.LINGER_TIMER"));
        assertEquals("8", c.stackOverrides().getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));

        for (String bad : List.of("log4j.rootLogger=DEBUG", "javax.sip.STACK_NAME=x")) {
            ServeCommand other = new ServeCommand();
            new picocli.CommandLine(other).parseArgs("--sip-stack-property", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other.sip::config);
            assertTrue(e.getMessage().startsWith("--sip-stack-property"), e.getMessage());
        }
    }
}
