package org.sipauth.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.lookup.CredentialLookup;

/**
 * Heap used by the HA1 cache for N cached credentials (default 1,000,000 across 10,000 lists):
 * heap after full GC with the store populated and the cache cold, minus the same after every list
 * was loaded into the cache. Target: <= 300 MB for 1,000,000.
 *
 * <pre>java -Xmx3g -cp benchmarks/target/benchmarks.jar org.sipauth.benchmarks.HeapFootprint [credentials]</pre>
 */
public final class HeapFootprint {

    private HeapFootprint() {
    }

    public static void main(String[] args) {
        int credentials = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Population population = new Population(credentials, 10_000);
        CredentialLookup lookup = new CredentialLookup(population.store, Population.REALM,
                DigestOffer.parse(List.of("MD5")), 2L * credentials + 10_000, Duration.ofMinutes(10));
        byte[][] out = new byte[4][];
        lookup.ha1Candidates(population.hosts.get(0), "INVITE", "x", out, System.currentTimeMillis()); // build the target index
        long before = usedAfterGc();
        for (String host : population.hosts) {
            lookup.ha1Candidates(host, "INVITE", "x", out, System.currentTimeMillis());
        }
        long after = usedAfterGc();
        int found = 0;
        for (String[] pair : population.pairs) {
            found += Math.max(0, lookup.ha1Candidates(pair[0], "INVITE", pair[1], out, System.currentTimeMillis()));
        }
        System.out.printf(Locale.ROOT, "cached credentials: %,d in %,d lists (%,d sampled lookups found)%n",
                credentials, population.hosts.size() * 2, found);
        System.out.printf(Locale.ROOT, "HA1 cache heap: %.1f MB (%.0f bytes per credential)%n",
                (after - before) / 1e6, (after - before) / (double) credentials);
    }

    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
