package org.sipauth.core.model;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * A typed resource identifier: a {@link SidKind} prefix followed by 32 hex digits (34 characters).
 *
 * <p>Generated SIDs use lowercase hex from {@link SecureRandom}; parsing accepts either case, as
 * Twilio's OpenAPI pattern {@code ^XX[0-9a-fA-F]{32}$} does, and keeps the value as given.
 */
public record Sid(SidKind kind, String value) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public Sid {
        if (kind == null || value == null || !matches(kind, value)) {
            throw new IllegalArgumentException("not a " + kind + " SID: " + value);
        }
    }

    /** A fresh random SID of the given kind. */
    public static Sid random(SidKind kind) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        char[] out = new char[34];
        out[0] = kind.prefix().charAt(0);
        out[1] = kind.prefix().charAt(1);
        for (int i = 0; i < 16; i++) {
            out[2 + 2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[3 + 2 * i] = HEX[bytes[i] & 0xf];
        }
        return new Sid(kind, new String(out));
    }

    /** Parses {@code value} as a SID of {@code kind}; empty when it does not match the pattern. */
    public static Optional<Sid> parse(SidKind kind, String value) {
        return value != null && matches(kind, value) ? Optional.of(new Sid(kind, value)) : Optional.empty();
    }

    /** Parses a SID that must be valid (e.g. read back from a store); throws IAE otherwise. */
    public static Sid of(SidKind kind, String value) {
        return new Sid(kind, value);
    }

    /** True when {@code value} is {@code kind}'s prefix followed by exactly 32 hex digits. */
    public static boolean matches(SidKind kind, String value) {
        if (value.length() != 34 || !value.startsWith(kind.prefix())) {
            return false;
        }
        for (int i = 2; i < 34; i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The SID with its hex digits lowercased, the canonical form used for lookups. */
    public Sid canonical() {
        return new Sid(kind, kind.prefix() + value.substring(2).toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
