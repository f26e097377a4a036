package org.sipauth.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a destination URI into the addresses to send to, as RFC 3263 4.2 orders them (NAPTR is not
 * consulted: the transport is the URI's {@code transport} parameter, UDP by default):
 * <ul>
 * <li>an IP address: that address, the URI's port or 5060;</li>
 * <li>a name with a port: its A and AAAA records, on that port;</li>
 * <li>a name without a port: its SRV records ({@code _sip._udp.name} or {@code _sip._tcp.name}),
 *     by priority and then weight, each target's addresses on the record's port; without SRV
 *     records, the name's A and AAAA records on 5060.</li>
 * </ul>
 * Results, empty ones included, are cached for a minute, so a call costs no lookup once its
 * destination has been used. {@code sips:} and {@code transport=tls} resolve to nothing (the
 * listener has no TLS transport): such a destination fails over to the next. Thread-safe.
 */
final class HopResolver {

    private static final Logger LOG = LoggerFactory.getLogger(HopResolver.class);
    static final int DEFAULT_PORT = 5060;

    /** One SRV record. */
    record Srv(int priority, int weight, int port, String target) {
    }

    private final Function<String, List<Srv>> srvLookup;
    private final Function<String, List<InetAddress>> addressLookup;
    private final Cache<String, List<Hop>> cache;

    HopResolver() {
        this(HopResolver::dnsSrv, HopResolver::dnsAddresses, Duration.ofSeconds(60));
    }

    HopResolver(Function<String, List<Srv>> srvLookup, Function<String, List<InetAddress>> addressLookup,
                Duration ttl) {
        this.srvLookup = srvLookup;
        this.addressLookup = addressLookup;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    /** The hops for {@code uri}, in the order to try them; empty when it resolves to nothing usable. */
    List<Hop> resolve(SipURI uri) {
        String transport = transportOf(uri);
        if (transport == null) {
            return List.of();
        }
        String host = unbracketed(uri.getHost());
        int port = uri.getPort();
        return cache.get(host.toLowerCase(Locale.ROOT) + "|" + port + "|" + transport, k -> lookup(host, port, transport));
    }

    /** {@code udp} or {@code tcp} for the URI, null for a transport this listener cannot send on. */
    static String transportOf(SipURI uri) {
        if (uri.isSecure()) {
            return null;
        }
        String transport = uri.getTransportParam();
        if (transport == null) {
            return "udp";
        }
        transport = transport.toLowerCase(Locale.ROOT);
        return transport.equals("udp") || transport.equals("tcp") ? transport : null;
    }

    private List<Hop> lookup(String host, int port, String transport) {
        if (isAddressLiteral(host)) {
            return List.of(new HopImpl(host, port > 0 ? port : DEFAULT_PORT, transport));
        }
        List<Hop> hops = new ArrayList<>();
        if (port <= 0) {
            List<Srv> records = new ArrayList<>(srvLookup.apply("_sip._" + transport + "." + host));
            records.sort(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()));
            for (Srv srv : records) {
                addAll(hops, srv.target(), srv.port(), transport);
            }
            if (!records.isEmpty()) {
                return List.copyOf(hops);
            }
        }
        addAll(hops, host, port > 0 ? port : DEFAULT_PORT, transport);
        return List.copyOf(hops);
    }

    private void addAll(List<Hop> hops, String name, int port, String transport) {
        for (InetAddress address : addressLookup.apply(name)) {
            String text = address.getHostAddress();
            hops.add(new HopImpl(address instanceof Inet6Address ? "[" + text + "]" : text, port, transport));
        }
    }

    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static List<InetAddress> dnsAddresses(String name) {
        try {
            return List.of(InetAddress.getAllByName(name));
        } catch (UnknownHostException e) {
            LOG.warn("destination host {} does not resolve", name);
            return List.of();
        }
    }

    /** SRV records through the JDK's DNS naming provider; none on any failure. */
    private static List<Srv> dnsSrv(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {"SRV"});
            Attribute srv = attributes.get("SRV");
            if (srv == null) {
                return List.of();
            }
            List<Srv> records = new ArrayList<>();
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                String[] fields = values.next().toString().trim().split("\\s+");
                if (fields.length == 4) {
                    String target = fields[3].endsWith(".") ? fields[3].substring(0, fields[3].length() - 1) : fields[3];
                    if (!target.isEmpty()) { // "." means the service is not offered
                        records.add(new Srv(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]),
                                Integer.parseInt(fields[2]), target));
                    }
                }
            }
            return records;
        } catch (NamingException | RuntimeException e) {
            return List.of(); // no SRV records (NXDOMAIN, no data, no DNS): the A/AAAA fallback applies
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing held
                }
            }
        }
    }
}
