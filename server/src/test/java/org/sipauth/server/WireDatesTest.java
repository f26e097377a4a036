package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WireDatesTest {

    @Test
    void iso8601_isUtcWithSecondsAndZ() {
        assertEquals("2015-01-02T11:23:45Z", WireDates.iso8601(Instant.parse("2015-01-02T11:23:45.987Z")));
        assertEquals("2026-12-31T23:59:59Z", WireDates.iso8601(Instant.parse("2026-12-31T23:59:59Z")));
    }

    @Test
    void rfc2822_hasEnglishNamesPaddedDayAndNumericZone() {
        assertEquals("Mon, 20 Jul 2015 17:27:10 +0000", WireDates.rfc2822(Instant.parse("2015-07-20T17:27:10.500Z")));
        assertEquals("Thu, 01 Jan 1970 00:00:00 +0000", WireDates.rfc2822(Instant.EPOCH));
    }

    @Test
    void rfc2822_doesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("Tue, 03 Mar 2026 04:05:06 +0000", WireDates.rfc2822(Instant.parse("2026-03-03T04:05:06Z")));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void rfc2822_parsesWithTwilioJavasPattern() {
        // twilio-java's DateConverter pattern for 2010 dates; a mismatch there silently yields null.
        DateTimeFormatter twilio = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
        Instant instant = Instant.parse("2026-11-22T08:09:10Z");
        assertEquals(instant, ZonedDateTime.parse(WireDates.rfc2822(instant), twilio).toInstant());
    }

    @Test
    void null_staysNull() {
        assertNull(WireDates.iso8601(null));
        assertNull(WireDates.rfc2822(null));
    }
}
