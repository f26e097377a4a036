package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthTest {

    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColon() {
        BasicAuth.Credentials c = BasicAuth.parse(basic("ACabc:to:ken")).orElseThrow();
        assertEquals("ACabc", c.user());
        assertEquals("to:ken", c.password());
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertTrue(BasicAuth.parse("basic " + basic("u:p").substring(6)).isPresent());
    }

    @Test
    void malformedHeaders_yieldNothing() {
        assertFalse(BasicAuth.parse(null).isPresent());
        assertFalse(BasicAuth.parse("").isPresent());
        assertFalse(BasicAuth.parse("Bearer abc").isPresent());
        assertFalse(BasicAuth.parse("Basic !!!").isPresent());
        assertFalse(BasicAuth.parse(basic("no-colon")).isPresent());
        assertFalse(BasicAuth.parse(basic(":password")).isPresent());
        assertFalse(BasicAuth.parse("Basic " + Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xFF})).isPresent());
        assertFalse(BasicAuth.parse(basic("u:" + "p".repeat(BasicAuth.MAX_HEADER_LENGTH))).isPresent());
    }

    @Test
    void toString_hidesThePassword() {
        assertFalse(BasicAuth.parse(basic("user:secret")).orElseThrow().toString().contains("secret"));
    }
}
