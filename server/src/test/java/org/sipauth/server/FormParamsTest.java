package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.ApiException;

class FormParamsTest {

    private static Map<String, String> parse(String body) {
        return FormParams.parse(body.getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertRejected(String body) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, e.httpStatus());
        assertEquals(400, e.code());
    }

    @Test
    void decodesPercentEscapesPlusAndUtf8() {
        assertEquals(Map.of("FriendlyName", "Büro 1", "Password", "a+b&c=d"),
                parse("FriendlyName=B%C3%BCro+1&Password=a%2Bb%26c%3Dd"));
    }

    @Test
    void emptyBodyAndEmptyPairs_meanNoParameters() {
        assertEquals(Map.of(), parse(""));
        assertEquals(Map.of("A", "1"), parse("&&A=1&"));
        assertEquals(Map.of("A", ""), parse("A"));
        assertEquals(Map.of("A", ""), parse("A="));
    }

    @Test
    void firstOccurrenceWins() {
        assertEquals(Map.of("A", "1"), parse("A=1&A=2"));
    }

    @Test
    void malformedPercentEscapes_areRejected() {
        assertRejected("A=%");
        assertRejected("A=%4");
        assertRejected("A=%ZZ");
        assertRejected("%G0=1");
    }

    @Test
    void invalidUtf8_isRejectedNotReplaced() {
        assertRejected("A=%FF");
        assertRejected("A=%C3");          // truncated sequence
        assertRejected("A=%C0%AF");       // overlong encoding
        assertRejected("A=%ED%A0%80");    // surrogate
    }

    @Test
    void rawControlAndNonAsciiBytes_areRejected() {
        assertThrows(ApiException.class, () -> FormParams.parse(new byte[] {'A', '=', (byte) 0xC3, (byte) 0xBC}));
        assertRejected("A=x\ny");
    }

    @Test
    void emptyName_isRejected() {
        assertRejected("=value");
    }

    @Test
    void limits_areEnforced() {
        assertEquals(FormParams.MAX_VALUE_LENGTH, parse("A=" + "x".repeat(FormParams.MAX_VALUE_LENGTH)).get("A").length());
        assertRejected("A=" + "x".repeat(FormParams.MAX_VALUE_LENGTH + 1));
        assertRejected("N".repeat(FormParams.MAX_NAME_LENGTH + 1) + "=1");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= FormParams.MAX_PARAMS; i++) {
            many.append("P").append(i).append("=1&");
        }
        assertRejected(many.toString());
    }

    @Test
    void queryStrings_parseTheSameWay() {
        assertEquals(Map.of("PageSize", "2", "PageToken", "PAab"), FormParams.parse("PageSize=2&PageToken=PAab"));
        assertEquals(Map.of(), FormParams.parse((String) null));
    }
}
