package org.sipauth.server;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The address the server puts where a peer must reach it again (Contact): the configured one
 * ({@code --sip-advertised-host}, {@code --sip-advertised-port}) when set, for NAT, containers and
 * load balancers; otherwise the address the request arrived on.
 *
 * <p>Why the route lookup: a socket bound to the wildcard does not tell on which local address a
 * datagram arrived, and writing the wildcard into Contact leaves the peer nowhere to send its ACK.
 * The local address the kernel would send from to reach the peer is the one the peer reached
 * (routes are symmetric for a host on the path), so it is asked once per peer address by
 * connecting an unbound datagram socket, which sends nothing. Thread-safe.
 */
final class AdvertisedAddress {

    private static final int MAX_CACHED = 4096;

    private final String host;
    private final int port;
    private final Map<InetAddress, String> routes = new ConcurrentHashMap<>();

    /** {@code host} null: the receiving address; {@code port} 0: the receiving port. */
    AdvertisedAddress(String host, int port) {
        this.host = host == null || host.isBlank() ? null : bracketed(host.trim());
        this.port = port;
    }

    /** Host for a SIP URI (IPv6 in brackets) towards {@code peer} for a request received on {@code local}. */
    String host(InetAddress local, InetAddress peer) {
        if (host != null) {
            return host;
        }
        if (local != null && !local.isAnyLocalAddress()) {
            return bracketed(local.getHostAddress());
        }
        if (peer == null) {
            return "127.0.0.1";
        }
        String cached = routes.get(peer);
        if (cached != null) {
            return cached;
        }
        String found = bracketed(sourceTowards(peer).getHostAddress());
        if (routes.size() >= MAX_CACHED) {
            routes.clear(); // bounded: peers are many, lookups are cheap
        }
        routes.put(peer, found);
        return found;
    }

    /** Port for a SIP URI: the configured one, else {@code localPort}. */
    int port(int localPort) {
        return port > 0 ? port : localPort;
    }

    /** {@link #host} without brackets, for SDP. */
    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static InetAddress sourceTowards(InetAddress peer) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer, 9); // no datagram is sent: connect only selects the route
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local;
            }
        } catch (IOException | RuntimeException e) {
            // no route: fall through
        }
        return peer.isLoopbackAddress() ? peer : InetAddress.getLoopbackAddress();
    }
}
