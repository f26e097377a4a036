package org.sipauth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.Store;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * The README's "Core alone" example, line for line (only the public API), and a check that the README
 * still shows these lines: change both together.
 */
class ReadmeEmbeddingTest {

    private final InetAddress packetSource = InetAddress.getLoopbackAddress();
    private final List<String> authorizationHeaderValues = List.of();
    private final List<String> replies = new ArrayList<>();

    private void reply(int status, List<String> headerValues) {
        replies.add(status + " " + headerValues.size());
    }

    @Test
    void coreAlone_compilesAndChallenges() throws Exception {
        Store store = new MemoryStore();                                   // or JdbcStore.h2(Path.of("data"))
        Provisioning p = Provisioning.builder().store(store).realm("sip.example.com").build();
        Sid ac = p.accounts().ensure("AC0123456789abcdef0123456789abcdef", "my-token").sid();
        CredentialList staff = p.credentialLists().create(ac, "staff");
        p.credentials().create(ac, staff.sid().value(), "alice", "Str0ngPassw0rd");
        Trunk trunk = p.trunks().create(ac, TrunkInput.builder().domainName("pbx.example.com").build());
        p.mappings().create(ac, MappingKind.TRUNK, trunk.sid().value(), staff.sid().value());

        InviteAuthorizer authorizer = InviteAuthorizer.builder().provisioning(p).build();   // p's store and realm
        AuthDecision d = authorizer.authorize(AuthRequest.builder().method("INVITE")
                .requestUri("sip:15550001@pbx.example.com").source(packetSource)    // host read from the URI
                .credentials(authorizationHeaderValues).build());
        if (d instanceof AuthDecision.Challenge c) {
            reply(c.status(), c.headerValues());                           // 401 + one WWW-Authenticate per value
        }                                                                  // Allowed: let it through; Denied: reply(status)

        assertEquals(List.of("401 1"), replies);
        assertTrue(assertInstanceOf(AuthDecision.Challenge.class, d).headerValues().get(0)
                .startsWith("Digest realm=\"sip.example.com\", nonce=\""));
        authorizer.close();
        store.close();
    }

    @Test
    void theReadmeShowsTheseLines() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/test/java/org/sipauth/core/ReadmeEmbeddingTest.java"),
                StandardCharsets.UTF_8);
        int from = source.indexOf("        Store store = new MemoryStore();");
        int to = source.indexOf("\n\n        assertEquals(List.of(\"401 1\")");
        for (String line : source.substring(from, to).split("\n")) {
            String shown = line.length() >= 8 ? line.substring(8) : line.strip();
            assertTrue(readme.contains(shown), "README.md lacks the example line: " + shown);
        }
    }
}
