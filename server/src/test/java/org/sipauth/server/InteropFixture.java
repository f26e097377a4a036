package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;

/** What the interop tests with third-party clients share: the client must be installed, and one trunk with its users. */
final class InteropFixture {

    private InteropFixture() {
    }

    /** Fails (never skips) when {@code command} cannot be run; {@code pkg} is the Debian package to install. */
    static void requireTool(String pkg, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail(command[0] + " is not installed: apt-get install -y " + pkg + " (" + e.getMessage() + ")");
        }
    }

    /** A memory store holding one trunk for {@code host} with one credential list of {@code users} (name to password). */
    static Provisioning trunkWithUsers(String realm, String name, String host, Map<String, String> users) {
        Provisioning provisioning = Provisioning.builder().store(new MemoryStore()).realm(realm).build();
        Sid account = provisioning.accounts().create(name).account().sid();
        CredentialList list = provisioning.credentialLists().create(account, name + " users");
        users.forEach((user, password) -> provisioning.credentials().create(account, list.sid().value(), user, password));
        Trunk trunk = provisioning.trunks().create(account, TrunkInput.builder().friendlyName(name).domainName(host).build());
        provisioning.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), list.sid().value());
        return provisioning;
    }

    /** Runs {@code command} to completion with its output in {@code output}; fails after {@code timeoutSeconds}. */
    static int run(List<String> command, Path output, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command.get(0) + " did not finish within " + timeoutSeconds + " s");
        }
        return p.exitValue();
    }

    /** A loopback port free at the moment: for UDP when {@code udp}, else for TCP. */
    static int freePort(boolean udp) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        if (udp) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 50, lo)) {
            return s.getLocalPort();
        }
    }
}
