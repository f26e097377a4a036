package org.sipauth.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.lookup.CredentialLookup;

/**
 * Heap held by the engine for IP access control lists: {@code lists} lists (default 1,000, Twilio's
 * per-account limit) of 100 random CIDR blocks each (Twilio's per-list limit), one list per trunk;
 * heap after full GC with the store populated, minus the same after the target index was built (its
 * trunks and their prebuilt ranges). IPv4 blocks, or IPv6 with {@code ipv6} as second argument.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar org.sipauth.benchmarks.IpAclFootprint [lists] [ipv6]</pre>
 */
public final class IpAclFootprint {

    private IpAclFootprint() {
    }

    public static void main(String[] args) {
        int lists = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        boolean ipv6 = args.length > 1 && args[1].equals("ipv6");
        AclPopulation population = new AclPopulation(lists, 100, 1, ipv6, 2);
        CredentialLookup lookup = new CredentialLookup(population.store, Population.REALM,
                DigestOffer.parse(List.of("MD5")), 1_000, Duration.ofMinutes(10));
        long before = HeapFootprint.usedAfterGc();
        int reachable = 0;
        for (String host : population.hosts) {
            reachable += lookup.target(host) != null ? 1 : 0;
        }
        long after = HeapFootprint.usedAfterGc();
        System.out.printf(Locale.ROOT, "%s: %,d lists x 100 entries on %,d trunks%n", ipv6 ? "IPv6" : "IPv4", lists,
                reachable);
        System.out.printf(Locale.ROOT, "target index with prebuilt ranges: %.1f MB (%.0f bytes per list)%n",
                (after - before) / 1e6, (after - before) / (double) lists);
    }
}
