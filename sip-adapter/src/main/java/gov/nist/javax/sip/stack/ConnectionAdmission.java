package gov.nist.javax.sip.stack;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts open incoming connections, in all and per source, and admits a new one only below both
 * limits. Thread-safe (one lock; admitting and releasing are a map update each).
 *
 * <p>A source is an IPv4 address, or the /64 network of an IPv6 address: one IPv6 host usually
 * holds a whole /64, so counting single IPv6 addresses would let it open connections without limit.
 */
final class ConnectionAdmission {

    /** Why a connection was or was not admitted. */
    enum Verdict { ADMITTED, SOURCE_FULL, ALL_FULL }

    private final int maxTotal;
    private final int maxPerSource;
    // guarded by this
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    // guarded by this
    private int total;

    /**
     * @param maxTotal     connections allowed in all; 0 or less for no limit
     * @param maxPerSource connections allowed from one source, at least 1
     */
    ConnectionAdmission(int maxTotal, int maxPerSource) {
        if (maxPerSource < 1) {
            throw new IllegalArgumentException("connections per source must be positive: " + maxPerSource);
        }
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
    }

    /** Admits a connection from {@code peer} (counting it) unless a limit is reached. */
    synchronized Verdict admit(InetAddress peer) {
        InetAddress source = sourceOf(peer);
        int fromSource = perSource.getOrDefault(source, 0);
        if (fromSource >= maxPerSource) {
            return Verdict.SOURCE_FULL;
        }
        if (maxTotal > 0 && total >= maxTotal) {
            return Verdict.ALL_FULL;
        }
        perSource.put(source, fromSource + 1);
        total++;
        return Verdict.ADMITTED;
    }

    /** Uncounts a connection from {@code peer} that {@link #admit} admitted; once per admission. */
    synchronized void release(InetAddress peer) {
        InetAddress source = sourceOf(peer);
        Integer fromSource = perSource.get(source);
        if (fromSource == null) {
            throw new IllegalStateException("no open connection from " + source);
        }
        if (fromSource == 1) {
            perSource.remove(source);
        } else {
            perSource.put(source, fromSource - 1);
        }
        total--;
    }

    /** Connections open now. */
    synchronized int open() {
        return total;
    }

    /** Connections open now from the source of {@code peer}. */
    synchronized int open(InetAddress peer) {
        return perSource.getOrDefault(sourceOf(peer), 0);
    }

    /** The unit counted per source: the address itself, or for IPv6 its /64 network. */
    static InetAddress sourceOf(InetAddress peer) {
        if (!(peer instanceof Inet6Address)) {
            return peer;
        }
        byte[] network = Arrays.copyOf(peer.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
