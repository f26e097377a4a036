package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthRequestTest {

    private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "sip:alice@pbx.example.com                                  | pbx.example.com",
        "SIP:Alice@PBX.Example.COM:5060;transport=tcp               | pbx.example.com",
        "sips:pbx.example.com                                       | pbx.example.com",
        "Sips:pbx.example.com:5061                                  | pbx.example.com",
        "sip:pbx.example.com;lr                                     | pbx.example.com",
        "sip:alice@pbx.example.com?Subject=hi%20there&Priority=urgent | pbx.example.com",
        "sip:+15550001;phone-context=example.com@trunk.example.com;user=phone | trunk.example.com",
        "sip:alice:secret@pbx.example.com:5070                      | pbx.example.com",
        "sip:a%40b@pbx.example.com                                  | pbx.example.com",
        "sip:alice@[2001:DB8::1]:5060;transport=udp                 | 2001:db8::1",
        "sip:[::1]                                                  | ::1",
        "sip:192.0.2.10:5060                                        | 192.0.2.10",
        "sip:pbx.example.com.                                       | pbx.example.com.",
        "tel:+15550001                                              | ''",
        "urn:service:sos                                            | ''",
        "sipx:pbx.example.com                                       | ''",
        "sip:alice@                                                 | ''",
        "sip:alice@[::1                                             | ''",
        "sip:                                                       | ''",
    })
    void builder_derivesTheHostFromTheRequestUri(String uri, String host) {
        AuthRequest r = AuthRequest.builder().method("INVITE").requestUri(uri).source(SOURCE).build();
        assertEquals(host, r.requestUriHost());
        assertEquals(uri, r.requestUri(), "the Request-URI is kept as received");
    }

    @Test
    void builder_defaults_udpUasNoCredentialsEmptyBody() {
        AuthRequest r = AuthRequest.builder().method("INVITE").requestUri("sip:bob@pbx.example.com").source(SOURCE).build();
        assertEquals(new AuthRequest("INVITE", "sip:bob@pbx.example.com", "pbx.example.com", SOURCE, "UDP", List.of(),
                Role.UAS, null), r);
        assertArrayEquals(new byte[0], r.body().bytes());
    }

    @Test
    void builder_takesAGivenHostAndEverySetting() {
        byte[] body = {1, 2, 3};
        AuthRequest r = AuthRequest.builder().method("REGISTER").requestUri("sip:example.com").requestUriHost("other.example.com")
                .source(SOURCE).transport("TLS").credentials("Digest a", "Digest b").role(Role.PROXY).body(body).build();
        assertEquals("other.example.com", r.requestUriHost());
        assertEquals("TLS", r.transport());
        assertEquals(List.of("Digest a", "Digest b"), r.credentials());
        assertEquals(Role.PROXY, r.role());
        assertArrayEquals(body, r.body().bytes());
    }

    @Test
    void builder_refusesMissingRequiredFacts_withTheirName() {
        assertEquals("method is required", assertThrows(IllegalStateException.class,
                () -> AuthRequest.builder().requestUri("sip:h").source(SOURCE).build()).getMessage());
        assertEquals("requestUri is required", assertThrows(IllegalStateException.class,
                () -> AuthRequest.builder().method("INVITE").source(SOURCE).build()).getMessage());
        assertEquals("source is required", assertThrows(IllegalStateException.class,
                () -> AuthRequest.builder().method("INVITE").requestUri("sip:h").build()).getMessage());
        assertThrows(NullPointerException.class, () -> AuthRequest.builder().role(null));
    }
}
