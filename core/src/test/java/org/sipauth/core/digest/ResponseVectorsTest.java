package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 2617 / RFC 7616 vectors and openssl-computed cases from {@code digest/response-vectors.txt}. */
class ResponseVectorsTest {

    static Stream<Map<String, String>> vectors() throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : resource("response-vectors.txt").split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    cases.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            current.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!current.isEmpty()) {
            cases.add(current);
        }
        assertTrue(cases.size() >= 12, "vector file has all cases");
        return cases.stream();
    }

    private static String resource(String name) throws IOException {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = ResponseVectorsTest.class.getResourceAsStream("/digest/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    private static byte[] ha1(DigestAlgorithm algorithm, Map<String, String> v) throws Exception {
        String input = v.get("username") + ":" + v.get("realm") + ":" + v.get("password");
        return MessageDigest.getInstance(algorithm.jdkName()).digest(input.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void computedResponse_equalsVector(Map<String, String> v) throws Exception {
        DigestAlgorithm algorithm = DigestAlgorithm.forToken(v.get("algorithm"));
        byte[] body = v.containsKey("body") ? bytes(v.get("body")) : new byte[0];
        String response = DigestResponse.compute(algorithm, ha1(algorithm, v), v.get("method"), v.get("uri"),
                v.get("nonce"), v.get("nc"), v.get("cnonce"), v.get("qop"), body);
        assertEquals(v.get("response"), response, v.get("name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void parsedHeader_matchesVector_andNotAnotherBody(Map<String, String> v) throws Exception {
        DigestAlgorithm algorithm = DigestAlgorithm.forToken(v.get("algorithm"));
        StringBuilder header = new StringBuilder("Digest username=\"" + v.get("username") + "\", realm=\"" + v.get("realm")
                + "\", nonce=\"" + v.get("nonce") + "\", uri=\"" + v.get("uri") + "\", response=\""
                + v.get("response").toUpperCase(java.util.Locale.ROOT) + "\", algorithm=" + v.get("algorithm"));
        if (v.containsKey("qop")) {
            header.append(", qop=").append(v.get("qop")).append(", nc=").append(v.get("nc"))
                    .append(", cnonce=\"").append(v.get("cnonce")).append('"');
        }
        DigestHeaders.ParseResult parsed = DigestHeaders.parse(header.toString());
        assertEquals(DigestHeaders.Status.OK, parsed.status(), parsed.problem());
        byte[] body = v.containsKey("body") ? bytes(v.get("body")) : new byte[0];
        byte[] packed = new byte[DigestAlgorithm.PACKED_HA1_LENGTH];
        byte[] ha1 = ha1(algorithm, v);
        System.arraycopy(ha1, 0, packed, algorithm.ha1Offset(), ha1.length);
        assertTrue(DigestResponse.matches(parsed.credentials(), v.get("method"), packed, algorithm.ha1Offset(), body));
        assertFalse(DigestResponse.matches(parsed.credentials(), "BYE", packed, algorithm.ha1Offset(), body));
        if ("auth-int".equals(v.get("qop"))) {
            byte[] tampered = body.clone();
            tampered[0] ^= 1;
            assertFalse(DigestResponse.matches(parsed.credentials(), v.get("method"), packed, algorithm.ha1Offset(), tampered));
        }
    }
}
