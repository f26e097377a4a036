package org.sipauth.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

class IpRangesTest {

    private static final Sid ACCOUNT = Sid.random(SidKind.ACCOUNT);
    private static final Sid LIST = Sid.random(SidKind.IP_ACCESS_CONTROL_LIST);

    private static IpRanges ranges(String... blocks) {
        List<IpAddress> entries = new ArrayList<>();
        for (String block : blocks) {
            int slash = block.indexOf('/');
            entries.add(new IpAddress(Sid.random(SidKind.IP_ADDRESS), ACCOUNT, LIST, "e", block.substring(0, slash),
                    Integer.parseInt(block.substring(slash + 1)), Instant.EPOCH, Instant.EPOCH));
        }
        return IpRanges.of(entries);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void ipv4Prefixes_matchTheirBlockOnly_includingBothEdges() throws Exception {
        IpRanges r = ranges("10.0.0.0/8", "192.0.2.7/32");
        assertTrue(r.contains(ip("10.0.0.0")));
        assertTrue(r.contains(ip("10.255.255.255")));
        assertFalse(r.contains(ip("9.255.255.255")));
        assertFalse(r.contains(ip("11.0.0.0")));
        assertTrue(r.contains(ip("192.0.2.7")));
        assertFalse(r.contains(ip("192.0.2.6")));
        assertFalse(r.contains(ip("192.0.2.8")));
        assertFalse(r.contains(ip("::1")));
    }

    @Test
    void prefixZero_matchesEveryAddressOfItsFamily() throws Exception {
        IpRanges v4 = ranges("203.0.113.9/0");
        assertTrue(v4.contains(ip("0.0.0.0")));
        assertTrue(v4.contains(ip("255.255.255.255")));
        assertFalse(v4.contains(ip("2001:db8::1")));
        IpRanges v6 = ranges("2001:db8::/0");
        assertTrue(v6.contains(ip("::")));
        assertTrue(v6.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertFalse(v6.contains(ip("127.0.0.1")));
    }

    @Test
    void hostBitsBeyondThePrefix_areIgnored() throws Exception {
        IpRanges r = ranges("10.1.2.3/8");
        assertTrue(r.contains(ip("10.200.0.1")));
    }

    @Test
    void ipv6Prefixes_acrossTheWordBoundary_and128() throws Exception {
        IpRanges r = ranges("2001:db8::/32", "2001:db9:0:0:8000::/65", "::1/128", "2001:dba::/64");
        assertTrue(r.contains(ip("2001:db8::")));
        assertTrue(r.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertTrue(r.contains(ip("2001:db9::8000:0:0:1")));
        assertTrue(r.contains(ip("2001:db9::ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("2001:db9::7fff:ffff:ffff:ffff")));
        assertTrue(r.contains(ip("::1")));
        assertFalse(r.contains(ip("::2")));
        assertFalse(r.contains(ip("::")));
        assertTrue(r.contains(ip("2001:dba::ffff:ffff:ffff:ffff")));
        assertFalse(r.contains(ip("2001:dba:0:1::")));
    }

    @Test
    void ipv4MappedSources_areCheckedAsIpv4_andMappedEntriesAsTheirIpv4Block() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}, null);
        assertTrue(ranges("127.0.0.0/8").contains(mapped));
        assertFalse(ranges("10.0.0.0/8").contains(mapped));
        IpRanges mappedEntry = ranges("::ffff:127.0.0.0/104");
        assertTrue(mappedEntry.contains(ip("127.1.2.3")));
        assertFalse(mappedEntry.contains(ip("128.0.0.1")));
    }

    @Test
    void overlappingAndAdjacentBlocks_merge_andUnionCombinesLists() throws Exception {
        IpRanges a = ranges("10.0.0.0/25", "10.0.0.128/25", "10.0.0.0/24", "2001:db8::/33", "2001:db8:8000::/33");
        assertEquals(2, a.size());
        IpRanges b = ranges("192.0.2.0/24", "::/128");
        IpRanges both = IpRanges.union(List.of(a, b));
        assertEquals(4, both.size());
        assertTrue(both.contains(ip("10.0.0.200")));
        assertTrue(both.contains(ip("2001:db8:ffff::1")));
        assertTrue(both.contains(ip("192.0.2.1")));
        assertTrue(both.contains(ip("::")));
        assertFalse(both.contains(ip("10.0.1.0")));
    }

    @Test
    void noEntries_allowNoSource_andUnparseableEntriesAreSkipped() throws Exception {
        assertFalse(IpRanges.EMPTY.contains(ip("127.0.0.1")));
        assertTrue(ranges().isEmpty());
        IpRanges r = ranges("not-an-ip/8", "127.0.0.1/40");
        assertTrue(r.isEmpty());
        assertFalse(r.contains(ip("127.0.0.1")));
    }

    @Test
    void manyBlocks_eachFoundByTheSearch() throws Exception {
        String[] blocks = new String[100];
        for (int i = 0; i < 100; i++) {
            blocks[i] = "10." + (2 * i) + ".0.0/16";
        }
        IpRanges r = ranges(blocks);
        for (int i = 0; i < 100; i++) {
            assertTrue(r.contains(ip("10." + (2 * i) + ".1.1")));
            assertFalse(r.contains(ip("10." + (2 * i + 1) + ".1.1")));
        }
    }
}
