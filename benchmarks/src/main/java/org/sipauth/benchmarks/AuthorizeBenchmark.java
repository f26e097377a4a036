package org.sipauth.benchmarks;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestCredentials;
import org.sipauth.core.digest.DigestFields;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestResponse;

/**
 * (b)/(c) A full {@code authorize()} of a valid qop=auth INVITE that is accepted, with MD5 or
 * SHA-256 ({@code algorithm}): parse the Authorization value, resolve the target, verify the nonce
 * MAC and age, check the nonce-count, look up the HA1, hash and compare, record the nc.
 *
 * <ul>
 *   <li>{@code acceptFreshNc}: replay protection on (the default). Each invocation answers with
 *       the next nonce-count, prepared in a per-invocation setup (not measured; JMH adds its
 *       timestamp overhead of a few tens of ns). Its B/op includes building that request; subtract
 *       {@code baselinePrepareOnly}.</li>
 *   <li>{@code acceptReplayOff}: the same valid request over and over with replay protection off:
 *       the pure verification path.</li>
 * </ul>
 * Target: <= 1 us.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AuthorizeBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
public class AuthorizeBenchmark extends BenchmarkDefaults {

    static final String URI = "sip:+15551234567@trunk0.bench.example.com";

    @Param({"MD5", "SHA-256"})
    String algorithm;

    private Population population;
    InviteAuthorizer authorizer;
    private InviteAuthorizer noReplay;
    private DigestAlgorithm alg;
    private byte[] ha1;
    private InetAddress source;
    String nonce;
    long nc;
    private AuthRequest fixed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        population = new Population(1000, 100);
        authorizer = InviteAuthorizer.builder().store(population.store).realm(Population.REALM).build();
        noReplay = InviteAuthorizer.builder().store(population.store).realm(Population.REALM).replayProtection(false).build();
        alg = DigestAlgorithm.forToken(algorithm);
        ha1 = MessageDigest.getInstance(alg.jdkName())
                .digest(("alice:" + Population.REALM + ":" + Population.PASSWORD).getBytes(StandardCharsets.UTF_8));
        source = InetAddress.getByName("192.0.2.10");
        nonce = nonceFor(authorizer);
        fixed = request(nonceFor(noReplay), 1);
        if (!(noReplay.authorize(fixed) instanceof AuthDecision.Allowed)) {
            throw new IllegalStateException("setup: fixed request not accepted");
        }
    }

    String nonceFor(InviteAuthorizer a) {
        AuthDecision.Challenge c = (AuthDecision.Challenge) a.authorize(
                AuthRequest.builder().method("INVITE").requestUri(URI).source(source).build());
        for (DigestChallenge h : c.challenges()) {
            if (h.algorithm().equals(alg.token())) {
                return h.nonce();
            }
        }
        throw new IllegalStateException("no challenge for " + alg);
    }

    AuthRequest request(String forNonce, long count) {
        String ncHex = String.format(Locale.ROOT, "%08x", count);
        String response = DigestResponse.compute(alg, ha1, "INVITE", URI, forNonce, ncHex, "0a4f113b", "auth", null);
        String value = DigestHeaders.credentials(new DigestCredentials("alice", Population.REALM, forNonce, URI, response,
                alg, alg.token(), "0a4f113b", ncHex, "auth", null));
        return AuthRequest.builder().method("INVITE").requestUri(URI).source(source).credentials(value).build();
    }

    /** The next request with a fresh nonce-count, prepared outside the measurement (only for the benchmarks that take it). */
    @State(Scope.Thread)
    public static class FreshNc {
        AuthRequest next;
        /** The instance JMH injected here (it may differ from the one running the benchmark method). */
        AuthorizeBenchmark owner;

        @Setup(Level.Invocation)
        public void prepareNext(AuthorizeBenchmark b) {
            owner = b;
            if (++b.nc > 0xffff_fff0L) {
                b.nonce = b.nonceFor(b.authorizer);
                b.nc = 1;
            }
            next = b.request(b.nonce, b.nc);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        authorizer.close();
        noReplay.close();
    }

    @Benchmark
    public AuthDecision acceptFreshNc(FreshNc fresh) {
        AuthDecision d = fresh.owner.authorizer.authorize(fresh.next);
        if (!(d instanceof AuthDecision.Allowed)) {
            throw new IllegalStateException("not accepted: " + d);
        }
        return d;
    }

    @Benchmark
    public AuthDecision acceptReplayOff() {
        return noReplay.authorize(fixed);
    }

    @Benchmark
    public AuthRequest baselinePrepareOnly(FreshNc fresh) {
        return fresh.next;
    }

    /** The Authorization header scan alone (positions, no strings): what authorize() does first. */
    @Benchmark
    public DigestFields scanOnly() {
        return DigestFields.scan(fixed.credentials().get(0));
    }

    /** The Authorization header parsed into strings (tools' path; authorize() scans instead). */
    @Benchmark
    public DigestHeaders.ParseResult parseOnly() {
        return DigestHeaders.parse(fixed.credentials().get(0));
    }
}
