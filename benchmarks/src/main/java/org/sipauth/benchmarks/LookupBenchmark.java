package org.sipauth.benchmarks;

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

/**
 * (a) The warm-cache lookup of one INVITE before any hashing: Request-URI host -> trunk (target
 * index) -> its two mapped credential lists (Caffeine HA1 cache) -> the HA1 records of the
 * username. {@code credentials} are spread over 10,000 lists; each call takes the next of
 * {@code workingSet} precomputed (host, username) pairs (512: the structures stay in CPU caches;
 * 65,536: most steps miss the CPU caches, so memory latency dominates).
 * Target: <= 100 ns and 0 B/op.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LookupBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
public class LookupBenchmark extends BenchmarkDefaults {

    @Param({"1000", "1000000"})
    int credentials;

    /** How many distinct (host, username) pairs the calls cycle through: CPU-cache-hot vs spread out. */
    @Param({"512", "65536"})
    int workingSet;

    private CredentialLookup lookup;
    private Population population;
    private String[] hosts;
    private String[] usernames;

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final byte[][] out = new byte[4][];
    }

    @Setup(Level.Trial)
    public void setUp() {
        population = new Population(credentials, 10_000);
        lookup = new CredentialLookup(population.store, Population.REALM, DigestOffer.parse(List.of("MD5")),
                2_000_000, Duration.ofMinutes(10));
        int n = Math.min(workingSet, Integer.highestOneBit(population.pairs.size()));
        hosts = new String[n];
        usernames = new String[n];
        for (int i = 0; i < n; i++) {
            hosts[i] = population.pairs.get(i)[0];
            usernames[i] = population.pairs.get(i)[1];
        }
        byte[][] out = new byte[4][];
        for (String host : population.hosts) {
            lookup.ha1Candidates(host, "INVITE", "warm-up", out, System.currentTimeMillis());
        }
        for (int i = 0; i < n; i++) {
            if (lookup.ha1Candidates(hosts[i], "INVITE", usernames[i], out, System.currentTimeMillis()) != 1) {
                throw new IllegalStateException("setup: " + usernames[i] + " not found on " + hosts[i]);
            }
        }
    }

    @Benchmark
    public byte[] hostTargetHa1Candidates(Cursor cursor) {
        int i = cursor.next++ & (hosts.length - 1);
        int found = lookup.ha1Candidates(hosts[i], "INVITE", usernames[i], cursor.out, System.currentTimeMillis());
        return found > 0 ? cursor.out[0] : null;
    }
}
