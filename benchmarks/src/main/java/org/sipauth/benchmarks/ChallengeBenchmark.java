package org.sipauth.benchmarks;

import java.net.InetAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.InviteAuthorizer;

/**
 * (d) Challenge generation: {@code authorize()} of an INVITE without credentials, i.e. target
 * lookup plus one fresh HMAC nonce and one rendered WWW-Authenticate value per offered algorithm
 * ({@code algorithms}: the default pair, or MD5 alone). Target: <= 1 us.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ChallengeBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
public class ChallengeBenchmark extends BenchmarkDefaults {

    @Param({"SHA-256,MD5", "MD5"})
    String algorithms;

    private Population population;
    private InviteAuthorizer authorizer;
    private AuthRequest request;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        population = new Population(1000, 100);
        authorizer = InviteAuthorizer.builder().store(population.store).realm(Population.REALM)
                .algorithms(algorithms.split(",")).build();
        request = AuthRequest.builder().method("INVITE").requestUri(AuthorizeBenchmark.URI)
                .source(InetAddress.getByName("192.0.2.10")).build();
        if (!(authorizer.authorize(request) instanceof AuthDecision.Challenge)) {
            throw new IllegalStateException("setup: no challenge");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        authorizer.close();
    }

    @Benchmark
    public AuthDecision challenge() {
        return authorizer.authorize(request);
    }
}
