package org.sipauth.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits failed admin API authentications per source: after {@code maxFailures} failures within
 * one window (counted from the source's first failure), every request from that source is refused
 * with 429 until the window ends, including requests with the right token. Refusing those too is
 * what keeps the API from being a guessing oracle: otherwise an attacker would keep guessing and
 * watch for the one answer that is not 429.
 *
 * <p>A success never clears a source's failures (an attacker who owns one account could otherwise
 * reset the budget between guesses at another's token). Sources are IPv4 addresses and IPv6 /64
 * prefixes (one host is routinely given a whole /64).
 *
 * <p>Memory is bounded by {@code maxSources}: sources are kept in the order their windows started;
 * expired ones are dropped first, and when the table is still full the oldest window, the one
 * closest to its end anyway, makes room for the new source. So a new failing source is always
 * counted (never fail open); what a flood of distinct sources can do is shorten others' windows.
 * The check and the count are not one atomic step: requests from one source that are in flight
 * together when it reaches the limit are all answered, so the limit can be exceeded by at most the
 * server's concurrency, once per window. Thread-safe.
 */
final class AuthFailureLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFailureLimiter.class);

    /** Failures allowed per source and window: an SDK or script with a typo needs a few, a guesser thousands. */
    static final int DEFAULT_MAX_FAILURES = 20;
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final int DEFAULT_MAX_SOURCES = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final long windowMillis;
    private final int maxSources;
    /** Source key -> its window, in the order the windows started (re-inserted when a new one starts). */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long startMillis;
        int failures;

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    AuthFailureLimiter(Clock clock) {
        this(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_MAX_SOURCES);
    }

    AuthFailureLimiter(Clock clock, int maxFailures, Duration window, int maxSources) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
        }
        if (window == null || window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms, got " + window);
        }
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be at least 1, got " + maxSources);
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.maxSources = maxSources;
    }

    /**
     * Seconds until {@code source} may try again (at least 1), or 0 when it is within its budget.
     * Called before the credentials are looked at.
     */
    synchronized long retryAfterSeconds(String source) {
        Window w = windows.get(key(source));
        if (w == null || w.failures < maxFailures) {
            return 0;
        }
        long left = w.startMillis + windowMillis - clock.millis();
        if (left <= 0) {
            return 0;
        }
        return Math.max(1, (left + 999) / 1000);
    }

    /** Counts one failed authentication from {@code source}. */
    synchronized void failed(String source) {
        String key = key(source);
        long now = clock.millis();
        Window w = windows.get(key);
        if (w == null || now - w.startMillis >= windowMillis) {
            if (w != null) {
                windows.remove(key);
            }
            makeRoom(now);
            w = new Window(now);
            windows.put(key, w);
        }
        w.failures++;
        if (w.failures == maxFailures) {
            LOG.warn("admin API: source {} refused for {} s after {} failed authentications", key,
                    (w.startMillis + windowMillis - now + 999) / 1000, maxFailures);
        }
    }

    /** Number of sources tracked (for tests). */
    synchronized int size() {
        return windows.size();
    }

    private void makeRoom(long now) {
        Iterator<Map.Entry<String, Window>> oldestFirst = windows.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Window oldest = oldestFirst.next().getValue();
            if (now - oldest.startMillis >= windowMillis || windows.size() >= maxSources) {
                oldestFirst.remove();
            } else {
                break; // the rest started later and have not expired either
            }
        }
    }

    /** IPv4 address as is; IPv6 reduced to its /64 prefix; anything unparseable as given. */
    static String key(String source) {
        if (source == null || source.indexOf(':') < 0) {
            return String.valueOf(source);
        }
        String literal = source.startsWith("[") && source.endsWith("]") ? source.substring(1, source.length() - 1) : source;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            // Only a literal, so that getByName never resolves a name.
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return source;
            }
        }
        try {
            byte[] address = InetAddress.getByName(literal).getAddress();
            if (address.length != 16) {
                return InetAddress.getByAddress(address).getHostAddress(); // IPv4-mapped form
            }
            StringBuilder prefix = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return source;
        }
    }
}
