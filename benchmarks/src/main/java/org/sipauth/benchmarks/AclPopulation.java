package org.sipauth.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * A provisioned MemoryStore for the IP access control list benchmarks: {@code lists} lists of
 * {@code entries} random CIDR blocks each (IPv4 /8../32 or IPv6 /16../128, fixed seed), mapped
 * {@code listsPerTrunk} at a time to trunks {@code acl0.bench.example.com}, {@code acl1…}; and
 * sources, half inside a block of trunk 0 and half random (almost always outside).
 */
final class AclPopulation {

    final MemoryStore store = new MemoryStore();
    final List<String> hosts = new ArrayList<>();
    final List<InetAddress> sources = new ArrayList<>();

    AclPopulation(int lists, int entries, int listsPerTrunk, boolean ipv6, int sourceCount) {
        Provisioning p = Provisioning.builder().store(store).clock(Clock.systemUTC()).realm(Population.REALM).build();
        Sid account = p.accounts().ensure("AC" + "c".repeat(32), "bench-token").sid();
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> trunk0Blocks = new ArrayList<>();
        String trunk = null;
        for (int l = 0; l < lists; l++) {
            if (l % listsPerTrunk == 0) {
                String host = "acl" + hosts.size() + ".bench.example.com";
                trunk = p.trunks().create(account, TrunkInput.builder().domainName(host).build()).sid().value();
                hosts.add(host);
            }
            IpAccessControlList list = p.ipAccessControlLists().create(account, "list " + l);
            for (int e = 0; e < entries; e++) {
                byte[] address = randomAddress(random, ipv6);
                int prefix = ipv6 ? 16 + random.nextInt(113) : 8 + random.nextInt(25);
                p.ipAddresses().create(account, list.sid().value(), "e" + e, text(address), Integer.toString(prefix));
                if (hosts.size() == 1) {
                    trunk0Blocks.add(address);
                }
            }
            p.ipAccessControlListMappings().create(account, MappingKind.TRUNK, trunk, list.sid().value());
        }
        for (int i = 0; i < sourceCount; i++) {
            byte[] address = i % 2 == 0 ? trunk0Blocks.get(random.nextInt(trunk0Blocks.size()))
                    : randomAddress(random, ipv6);
            sources.add(address(address));
        }
    }

    private static byte[] randomAddress(SplittableRandom random, boolean ipv6) {
        byte[] address = new byte[ipv6 ? 16 : 4];
        for (int i = 0; i < address.length; i++) {
            address[i] = (byte) random.nextInt(256);
        }
        if (ipv6 && (address[0] & 0xff) == 0) {
            address[0] = 0x20; // not ::ffff:…, which would be matched as IPv4
        }
        return address;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dotted decimal or eight hex groups: the text the admin API takes. */
    private static String text(byte[] address) {
        if (address.length == 4) {
            return String.format(Locale.ROOT, "%d.%d.%d.%d", address[0] & 0xff, address[1] & 0xff, address[2] & 0xff,
                    address[3] & 0xff);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            b.append(i == 0 ? "" : ":").append(Integer.toHexString((address[i] & 0xff) << 8 | (address[i + 1] & 0xff)));
        }
        return b.toString();
    }
}
