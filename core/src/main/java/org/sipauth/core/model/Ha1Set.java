package org.sipauth.core.model;

import java.util.Objects;

/**
 * The digest secrets of one credential: {@code H(username:realm:password)} for every supported
 * algorithm, as lowercase hex. The password itself is never kept.
 *
 * @param realm     the realm the HA1s were computed for
 * @param md5       MD5 HA1 (RFC 2617), 32 hex chars
 * @param sha256    SHA-256 HA1 (RFC 7616), 64 hex chars
 * @param sha512256 SHA-512/256 HA1 (RFC 7616, FIPS 180-4 SHA-512/256), 64 hex chars
 */
public record Ha1Set(String realm, String md5, String sha256, String sha512256) {

    public Ha1Set {
        Objects.requireNonNull(realm, "realm");
        requireHex(md5, 32, "md5");
        requireHex(sha256, 64, "sha256");
        requireHex(sha512256, 64, "sha512256");
    }

    private static void requireHex(String value, int length, String name) {
        if (value == null || value.length() != length) {
            throw new IllegalArgumentException(name + " HA1 must be " + length + " hex chars");
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException(name + " HA1 must be lowercase hex");
            }
        }
    }

    /** Never prints the secrets: HA1s are password equivalents. */
    @Override
    public String toString() {
        return "Ha1Set[realm=" + realm + ", secrets redacted]";
    }
}
