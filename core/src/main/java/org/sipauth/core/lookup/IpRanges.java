package org.sipauth.core.lookup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.sipauth.core.model.IpAddress;

/*
 * Design
 * ------
 * The union of the CIDR blocks of the IP access control lists mapped to one target, prebuilt when
 * the target is indexed so that a request's check is a binary search over primitive arrays:
 *
 * - IPv4: each block is the closed range [first, last] of unsigned 32-bit values, held as longs;
 *   ranges are sorted by start and merged (overlapping or adjacent ranges become one), so the
 *   search finds the last range starting at or below the address and compares with its end.
 * - IPv6: the same with 128-bit values as (high, low) pairs of longs compared unsigned, four longs
 *   per range in one array (start high, start low, end high, end low) for locality.
 * - IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4: a source in that form is checked against the IPv4
 *   ranges, and an entry in that form with a prefix of at least 96 is stored as its IPv4 block, so a
 *   dual-stack socket and an IPv4 socket give the same answer.
 * - A host part beyond the prefix is ignored (10.1.2.3/8 is 10.0.0.0/8), as routers read it.
 *
 * Immutable and thread-safe. contains() reads the source through InetAddress.getAddress(), the only
 * public way to its bytes: for an IPv4 source the JIT removes that copy (a 4-byte array built from an
 * int), so the check allocates nothing; an IPv6 source's copy (a clone of its 16 bytes) stays, 32
 * bytes per check (IpAclBenchmark -prof gc). The search itself allocates nothing.
 */
/** An immutable set of IPv4 and IPv6 ranges built from IP access control list entries. <b>Internal</b>. */
public final class IpRanges {

    /** No range: every source is outside. */
    public static final IpRanges EMPTY = new IpRanges(new long[0], new long[0], new long[0]);

    private static final long V4_MASK = 0xFFFF_FFFFL;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private final long[] v4Starts;
    private final long[] v4Ends;
    /** Stride 4: start high, start low, end high, end low. */
    private final long[] v6;

    private IpRanges(long[] v4Starts, long[] v4Ends, long[] v6) {
        this.v4Starts = v4Starts;
        this.v4Ends = v4Ends;
        this.v6 = v6;
    }

    /**
     * The ranges of {@code entries}; an entry whose address does not parse (a store edited by hand) is
     * skipped, so it can only narrow what is allowed.
     */
    public static IpRanges of(Collection<IpAddress> entries) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (IpAddress entry : entries) {
            add(entry.ipAddress(), entry.cidrPrefixLength(), v4, v6);
        }
        return build(v4, v6);
    }

    /** The union of several sets (a target's mapped lists). */
    public static IpRanges union(Collection<IpRanges> sets) {
        if (sets.size() == 1) {
            return sets.iterator().next();
        }
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (IpRanges set : sets) {
            for (int i = 0; i < set.v4Starts.length; i++) {
                v4.add(new long[] {set.v4Starts[i], set.v4Ends[i]});
            }
            for (int i = 0; i < set.v6.length; i += 4) {
                v6.add(Arrays.copyOfRange(set.v6, i, i + 4));
            }
        }
        return build(v4, v6);
    }

    /** Adds the block {@code address/prefix}; false when the address does not parse or the prefix does not fit. */
    static boolean add(String address, int prefix, List<long[]> v4, List<long[]> v6) {
        byte[] bytes = IpText.parse(address);
        if (bytes == null || prefix < 0 || prefix > bytes.length * 8) {
            return false;
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes) && prefix >= 96) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            prefix -= 96;
        }
        if (bytes.length == 4) {
            long value = readV4(bytes, 0);
            long hostMask = prefix == 0 ? V4_MASK : (1L << (32 - prefix)) - 1;
            v4.add(new long[] {value & ~hostMask & V4_MASK, (value | hostMask) & V4_MASK});
        } else {
            long hi = readLong(bytes, 0);
            long lo = readLong(bytes, 8);
            long hiHost = prefix >= 64 ? 0 : prefix == 0 ? -1L : -1L >>> prefix;
            long loHost = prefix >= 128 ? 0 : prefix <= 64 ? -1L : -1L >>> (prefix - 64);
            v6.add(new long[] {hi & ~hiHost, lo & ~loHost, hi | hiHost, lo | loHost});
        }
        return true;
    }

    private static IpRanges build(List<long[]> v4, List<long[]> v6) {
        v4.sort(Comparator.comparingLong(r -> r[0]));
        long[] starts = new long[v4.size()];
        long[] ends = new long[v4.size()];
        int n = 0;
        for (long[] r : v4) {
            if (n > 0 && r[0] <= ends[n - 1] + 1) {
                ends[n - 1] = Math.max(ends[n - 1], r[1]);
            } else {
                starts[n] = r[0];
                ends[n++] = r[1];
            }
        }
        v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        long[] six = new long[v6.size() * 4];
        int m = 0;
        for (long[] r : v6) {
            if (m > 0 && adjacentOrOverlapping(six, m - 4, r)) {
                if (compare(r[2], r[3], six[m - 2], six[m - 1]) > 0) {
                    six[m - 2] = r[2];
                    six[m - 1] = r[3];
                }
            } else {
                System.arraycopy(r, 0, six, m, 4);
                m += 4;
            }
        }
        return new IpRanges(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), Arrays.copyOf(six, m));
    }

    /** True when range {@code r} starts at or before the end + 1 of the range at {@code at}. */
    private static boolean adjacentOrOverlapping(long[] six, int at, long[] r) {
        long endHi = six[at + 2];
        long endLo = six[at + 3];
        if (endHi == -1L && endLo == -1L) {
            return true;
        }
        long nextLo = endLo + 1;
        long nextHi = nextLo == 0 ? endHi + 1 : endHi;
        return compare(r[0], r[1], nextHi, nextLo) <= 0;
    }

    /** True when {@code source} lies in one of the ranges. Allocation-free; see the design note. */
    public boolean contains(InetAddress source) {
        if (source instanceof Inet4Address) {
            return containsV4(readV4(source.getAddress(), 0));
        }
        byte[] bytes = source.getAddress();
        if (bytes.length != 16) {
            return false;
        }
        if (isIpv4Mapped(bytes)) {
            return containsV4(readV4(bytes, 12));
        }
        return containsV6(readLong(bytes, 0), readLong(bytes, 8));
    }

    private boolean containsV4(long value) {
        long[] starts = v4Starts;
        int low = 0;
        int high = starts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && value <= v4Ends[high];
    }

    private boolean containsV6(long hi, long lo) {
        long[] six = v6;
        int low = 0;
        int high = six.length / 4 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(six[4 * mid], six[4 * mid + 1], hi, lo) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && compare(hi, lo, six[4 * high + 2], six[4 * high + 3]) <= 0;
    }

    /** Unsigned comparison of two 128-bit values given as (high, low). */
    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static long readV4(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    private static long readLong(byte[] b, int at) {
        return (long) BIG_ENDIAN_LONG.get(b, at);
    }

    /** Number of merged ranges (IPv4 + IPv6); for tests and footprint reports. */
    public int size() {
        return v4Starts.length + v6.length / 4;
    }

    /** True when no source is inside. */
    public boolean isEmpty() {
        return size() == 0;
    }
}
