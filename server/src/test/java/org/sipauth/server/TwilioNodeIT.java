package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * Runs {@code src/test/node/twilio-node-check.js} — every admin API endpoint driven by the official
 * twilio-node SDK — against the real server on an ephemeral loopback port, in a fresh account.
 *
 * <p>Needs Node.js ≥ 20 and an installed {@code twilio} package, which the Maven build cannot fetch
 * by itself. The {@code node_modules} directory comes from {@code -Dsipauth.twilioNode=DIR} or the
 * environment variable {@code SIPAUTH_TWILIO_NODE_MODULES} ({@code .ci/run} installs twilio@6.2.0 and
 * sets it). Without either, the test runs only where {@code CI=true} — and there it fails, so CI can
 * never pass without exercising the SDK:
 * <pre>
 * npm install --prefix ~/.cache/sipauth/twilio-node twilio@6.2.0
 * SIPAUTH_TWILIO_NODE_MODULES=~/.cache/sipauth/twilio-node/node_modules ./mvnw -B verify
 * </pre>
 */
@EnabledIf("requested")
class TwilioNodeIT {

    static boolean requested() {
        return modulesSetting() != null || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String modulesSetting() {
        String dir = System.getProperty("sipauth.twilioNode");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("SIPAUTH_TWILIO_NODE_MODULES");
        }
        return dir == null || dir.isBlank() ? null : dir;
    }

    @Test
    void everyEndpoint_throughTwilioNode() throws IOException, InterruptedException {
        String setting = modulesSetting();
        assertNotNull(setting, "CI=true but neither SIPAUTH_TWILIO_NODE_MODULES nor -Dsipauth.twilioNode names"
                + " the node_modules with twilio@6.2.0 (.ci/run installs it)");
        Path modules = Path.of(setting).toAbsolutePath();
        assertTrue(Files.isDirectory(modules.resolve("twilio")), "no twilio package in " + modules);
        Path script = Path.of("src", "test", "node", "twilio-node-check.js").toAbsolutePath();
        try (SipauthServer server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(), new MemoryStore())) {
            server.start();
            NewAccount account = server.provisioning().accounts().create("twilio-node");
            ProcessBuilder builder = new ProcessBuilder(System.getProperty("sipauth.node", "node"), script.toString(),
                    "http://127.0.0.1:" + server.adminPort(), account.account().sid().value(), account.authToken())
                    .redirectErrorStream(true);
            builder.environment().put("NODE_PATH", modules.toString());
            Path log = Files.createTempFile("twilio-node", ".log");
            try {
                Process node = builder.redirectOutput(log.toFile()).start();
                if (!node.waitFor(120, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    throw new AssertionError("twilio-node check did not finish in 120 s");
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertEquals(0, node.exitValue(), output);
                assertTrue(output.contains("twilio-node check passed"), output);
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }
}
