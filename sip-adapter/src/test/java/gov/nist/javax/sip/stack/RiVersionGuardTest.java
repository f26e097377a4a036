package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Fails when jain-sip-ri is not the version sipauth's classes in its package were written against.
 *
 * <p>Those classes ({@code SipauthMessageProcessorFactory}, {@code SheddingUdpMessageProcessor},
 * {@code LimitedTcpMessageProcessor}, {@code LimitedTcpMessageChannel}, {@code SipauthStreamReplies})
 * extend RI classes and set their protected fields, replace their reader loops and rely on their
 * threading; a new RI version compiles against them and still breaks them. On an upgrade, compare
 * the RI's {@code TCPMessageProcessor}, {@code TCPMessageChannel}, {@code ConnectionOrientedMessageChannel},
 * {@code ConnectionOrientedMessageProcessor}, {@code UDPMessageProcessor} and {@code UDPMessageChannel}
 * with the old ones, adjust sipauth's classes, then update the pin here.
 */
class RiVersionGuardTest {

    private static final String PINNED = "1.3.0-91";

    @Test
    void jainSipRi_isThePinnedVersion() throws Exception {
        // read the version from the jar that actually supplies the RI's classes
        URL location = TCPMessageChannel.class.getProtectionDomain().getCodeSource().getLocation();
        assertNotNull(location, "no code source for the RI");
        try (JarFile jar = new JarFile(location.getPath())) {
            var entry = jar.getEntry("META-INF/maven/javax.sip/jain-sip-ri/pom.properties");
            assertNotNull(entry, "no Maven metadata in " + location);
            Properties pom = new Properties();
            try (InputStream in = jar.getInputStream(entry)) {
                pom.load(in);
            }
            assertEquals(PINNED, pom.getProperty("version"), "jain-sip-ri changed under sipauth's classes in "
                    + "gov.nist.javax.sip.stack: re-check them against the new RI (see this test's Javadoc)");
        }
    }
}
