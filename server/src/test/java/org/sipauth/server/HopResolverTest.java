package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import org.junit.jupiter.api.Test;

class HopResolverTest {

    private final AtomicInteger srvLookups = new AtomicInteger();
    private final Map<String, List<HopResolver.Srv>> srv = Map.of(
            "_sip._udp.pbx.example.com", List.of(new HopResolver.Srv(20, 0, 5062, "backup.example.com"),
                    new HopResolver.Srv(10, 5, 5060, "main.example.com"), new HopResolver.Srv(10, 50, 5061, "big.example.com.")),
            "_sip._tcp.pbx.example.com", List.of(new HopResolver.Srv(10, 1, 5070, "tcp.example.com")));
    private final Map<String, List<InetAddress>> addresses = Map.of(
            "main.example.com", List.of(address("192.0.2.1")),
            "big.example.com.", List.of(address("192.0.2.2"), address("2001:db8::2")),
            "backup.example.com", List.of(address("192.0.2.3")),
            "tcp.example.com", List.of(address("192.0.2.4")),
            "plain.example.com", List.of(address("192.0.2.9")));
    private final HopResolver resolver = new HopResolver(name -> {
        srvLookups.incrementAndGet();
        return srv.getOrDefault(name, List.of());
    }, name -> addresses.getOrDefault(name, List.of()), Duration.ofMinutes(1));

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> hops(String uri) throws Exception {
        List<String> hops = new ArrayList<>();
        for (Hop hop : resolver.resolve((SipURI) new AddressFactoryImpl().createURI(uri))) {
            hops.add(hop.getHost() + ":" + hop.getPort() + "/" + hop.getTransport());
        }
        return hops;
    }

    @Test
    void addressLiteral_isUsedAsIs_on5060ByDefault() throws Exception {
        assertEquals(List.of("10.0.0.5:5060/udp"), hops("sip:10.0.0.5"));
        assertEquals(List.of("10.0.0.5:5070/tcp"), hops("sip:user@10.0.0.5:5070;transport=TCP"));
        assertEquals(List.of("[2001:db8::1]:5060/udp"), hops("sip:[2001:db8::1]"));
        assertEquals(0, srvLookups.get());
    }

    @Test
    void nameWithoutPort_followsItsSrvRecords_byPriorityThenWeight() throws Exception {
        assertEquals(List.of("192.0.2.2:5061/udp", "[2001:db8:0:0:0:0:0:2]:5061/udp", "192.0.2.1:5060/udp", "192.0.2.3:5062/udp"),
                hops("sip:pbx.example.com"));
        assertEquals(List.of("192.0.2.4:5070/tcp"), hops("sip:pbx.example.com;transport=tcp"));
    }

    @Test
    void nameWithPort_orWithoutSrv_usesItsAddresses() throws Exception {
        assertEquals(List.of("192.0.2.9:5080/udp"), hops("sip:plain.example.com:5080"));
        assertEquals(List.of("192.0.2.9:5060/udp"), hops("sip:plain.example.com"));
        assertTrue(hops("sip:nowhere.example.com").isEmpty());
    }

    @Test
    void resultsAreCached() throws Exception {
        hops("sip:pbx.example.com");
        hops("sip:PBX.example.com");
        assertEquals(1, srvLookups.get());
    }

    @Test
    void secureOrUnknownTransports_resolveToNothing() throws Exception {
        assertTrue(hops("sips:10.0.0.5").isEmpty());
        assertTrue(hops("sip:10.0.0.5;transport=tls").isEmpty());
        assertTrue(hops("sip:10.0.0.5;transport=sctp").isEmpty());
    }
}
