package org.sipauth.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The two date formats of Twilio's APIs. */
final class WireDates {

    /** Trunking v1: ISO-8601 UTC with second precision, e.g. {@code 2015-01-02T11:23:45Z}. */
    private static final DateTimeFormatter ISO = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /**
     * API 2010: RFC 2822 with a numeric zone, e.g. {@code Mon, 20 Jul 2015 17:27:10 +0000}.
     * twilio-java parses {@code EEE, dd MMM yyyy HH:mm:ss Z} and yields null for {@code GMT},
     * so RFC_1123_DATE_TIME (which prints GMT and an unpadded day) will not do.
     */
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter
            .ofPattern("EEE, dd MMM uuuu HH:mm:ss '+0000'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private WireDates() {
    }

    static String iso8601(Instant instant) {
        return instant == null ? null : ISO.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String rfc2822(Instant instant) {
        return instant == null ? null : RFC_2822.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
