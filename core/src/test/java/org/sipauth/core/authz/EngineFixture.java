package org.sipauth.core.authz;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.core.testing.TestClock;

/**
 * A MemoryStore provisioned through the real services (one trunk, one mapped list with alice and
 * bob), a controllable clock and an authorizer over them; plus a client that answers challenges.
 */
final class EngineFixture implements AutoCloseable {

    static final String REALM = "sip.example.com";
    static final String HOST = "trunk.example.com";
    static final String URI = "sip:+15551234567@trunk.example.com";
    static final String ALICE_PASSWORD = "Alice-Passw0rd";
    static final String BOB_PASSWORD = "B0b-Passw0rd-Long";
    static final InetAddress SOURCE = address("192.0.2.10");

    final TestClock clock = TestClock.manual();
    final MemoryStore store = new MemoryStore();
    final Provisioning provisioning;
    final Sid account;
    final Trunk trunk;
    final CredentialList list;
    final InviteAuthorizer authorizer;

    EngineFixture() {
        this(b -> { });
    }

    EngineFixture(Consumer<InviteAuthorizer.Builder> settings) {
        provisioning = Provisioning.builder().store(store).clock(Clock.systemUTC()).realm(REALM).build();
        account = provisioning.accounts().ensure("AC" + "a".repeat(32), "token-engine").sid();
        trunk = provisioning.trunks().create(account, TrunkInput.builder().friendlyName("t").domainName(HOST).build());
        list = provisioning.credentialLists().create(account, "staff");
        provisioning.credentials().create(account, list.sid().value(), "alice", ALICE_PASSWORD);
        provisioning.credentials().create(account, list.sid().value(), "bob", BOB_PASSWORD);
        provisioning.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), list.sid().value());
        // both hash families offered, so tests can answer with either; the default offer is MD5 alone
        InviteAuthorizer.Builder builder = InviteAuthorizer.builder().provisioning(provisioning).clock(clock)
                .algorithms("SHA-256", "MD5");
        settings.accept(builder);
        authorizer = builder.build();
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static AuthRequest invite(List<String> credentials) {
        return request("INVITE", URI, HOST, SOURCE, credentials);
    }

    static AuthRequest request(String method, String uri, String host, InetAddress source, List<String> credentials) {
        return AuthRequest.builder().method(method).requestUri(uri).requestUriHost(host).source(source)
                .credentials(credentials).build();
    }

    /** The nonce of the challenge header for {@code algorithm}. */
    static String nonceOf(AuthDecision decision, DigestAlgorithm algorithm) {
        AuthDecision.Challenge c = (AuthDecision.Challenge) decision;
        for (DigestChallenge h : c.challenges()) {
            if (h.algorithm().equals(algorithm.token())) {
                return h.nonce();
            }
        }
        throw new AssertionError("no " + algorithm + " challenge in " + c.challenges());
    }

    /** HA1 bytes computed here from the password, independently of the store. */
    static byte[] ha1(DigestAlgorithm algorithm, String username, String password) {
        try {
            return MessageDigest.getInstance(algorithm.jdkName())
                    .digest((username + ":" + REALM + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Authorization value answering {@code nonce} with qop=auth. */
    static String answer(DigestAlgorithm algorithm, String username, String password, String nonce, String nc, String cnonce) {
        return answer(algorithm, username, password, nonce, nc, cnonce, URI);
    }

    /** Authorization value answering {@code nonce} with qop=auth, for an INVITE to {@code uri}. */
    static String answer(DigestAlgorithm algorithm, String username, String password, String nonce, String nc, String cnonce,
                         String uri) {
        String response = DigestResponse.compute(algorithm, ha1(algorithm, username, password), "INVITE", uri, nonce,
                nc, cnonce, DigestHeaders.QOP_AUTH, new byte[0]);
        return DigestHeaders.credentials(new DigestCredentials(username, REALM, nonce, uri, response, algorithm,
                algorithm.token(), cnonce, nc, DigestHeaders.QOP_AUTH, null));
    }

    /** Challenge, answer, and return the decision on the answer. */
    AuthDecision login(DigestAlgorithm algorithm, String username, String password) {
        String nonce = nonceOf(authorizer.authorize(invite(List.of())), algorithm);
        return authorizer.authorize(invite(List.of(answer(algorithm, username, password, nonce, "00000001", "0a4f113b"))));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        authorizer.close();
        store.close();
    }
}
