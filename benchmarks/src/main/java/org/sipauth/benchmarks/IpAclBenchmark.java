package org.sipauth.benchmarks;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.lookup.CredentialLookup;
import org.sipauth.core.lookup.IndexedTarget;
import org.sipauth.core.lookup.IpRanges;

/**
 * The IP access control list decision of one INVITE on a warm index: Request-URI host -> trunk
 * (target index) -> the prebuilt union of its 10 mapped lists of 100 random CIDR blocks each -> is
 * the packet's source inside? Each call takes the next of 1,024 precomputed sources, half inside a
 * block, half random (outside). {@code family} is IPv4 or IPv6 (sources and blocks alike).
 * Target: <= 100 ns and 0 B/op.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar IpAclBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
public class IpAclBenchmark extends BenchmarkDefaults {

    private static final int SOURCES = 1024;

    @Param({"ipv4", "ipv6"})
    String family;

    private CredentialLookup lookup;
    private String host;
    private InetAddress[] sources;

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup(Level.Trial)
    public void setUp() {
        AclPopulation population = new AclPopulation(10, 100, 10, family.equals("ipv6"), SOURCES);
        lookup = new CredentialLookup(population.store, Population.REALM, DigestOffer.parse(List.of("MD5")), 1_000,
                Duration.ofMinutes(10));
        host = population.hosts.get(0);
        sources = population.sources.toArray(InetAddress[]::new);
        int inside = 0;
        for (InetAddress source : sources) {
            inside += sourceAllowed(source) ? 1 : 0;
        }
        if (inside < SOURCES / 2) {
            throw new IllegalStateException("setup: only " + inside + " of " + SOURCES + " sources inside");
        }
    }

    private boolean sourceAllowed(InetAddress source) {
        IndexedTarget target = lookup.target(host);
        IpRanges allowed = CredentialLookup.sources(target, "INVITE");
        return allowed == null || allowed.contains(source);
    }

    @Benchmark
    public boolean hostTargetSourceAllowed(Cursor cursor) {
        return sourceAllowed(sources[cursor.next++ & (SOURCES - 1)]);
    }
}
