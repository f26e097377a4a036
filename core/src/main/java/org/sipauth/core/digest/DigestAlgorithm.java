package org.sipauth.core.digest;

/**
 * The digest algorithms of RFC 7616 / RFC 8760. <b>Internal</b>: public only so that the
 * {@code authz} façade can use it; not part of sipauth's API.
 *
 * <p>{@code SHA-512-256} is FIPS 180-4 SHA-512/256 (its own initial values), not a truncated SHA-512.
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false, 0, 16),
    MD5_SESS("MD5-sess", "MD5", true, 0, 16),
    SHA_256("SHA-256", "SHA-256", false, 16, 32),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true, 16, 32),
    SHA_512_256("SHA-512-256", "SHA-512/256", false, 48, 32),
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true, 48, 32);

    /** Length of the packed HA1 record: MD5 (16) | SHA-256 (32) | SHA-512/256 (32). */
    public static final int PACKED_HA1_LENGTH = 80;

    private final String token;
    private final String jdkName;
    private final boolean session;
    private final int ha1Offset;
    private final int hashLength;

    DigestAlgorithm(String token, String jdkName, boolean session, int ha1Offset, int hashLength) {
        this.token = token;
        this.jdkName = jdkName;
        this.session = session;
        this.ha1Offset = ha1Offset;
        this.hashLength = hashLength;
    }

    /** The token as written in {@code algorithm=}. */
    public String token() {
        return token;
    }

    /** The JDK {@code MessageDigest} name. */
    public String jdkName() {
        return jdkName;
    }

    /** True for the {@code -sess} variants (HA1 mixes in nonce and cnonce). */
    public boolean session() {
        return session;
    }

    /** Where this algorithm's HA1 sits in a packed HA1 record. */
    public int ha1Offset() {
        return ha1Offset;
    }

    /** Digest output length in bytes (16 or 32). */
    public int hashLength() {
        return hashLength;
    }

    /** Index of the underlying hash function: 0 MD5, 1 SHA-256, 2 SHA-512/256. */
    int hashIndex() {
        return ordinal() / 2;
    }

    /** Relative strength for ordering challenges, higher is stronger. */
    public int strength() {
        return hashIndex();
    }

    /** The algorithm with this token (case-insensitive) in {@code s[from, to)}, or null. */
    public static DigestAlgorithm forToken(CharSequence s, int from, int to) {
        // The six tokens have six different lengths: one comparison instead of up to six.
        DigestAlgorithm candidate = switch (to - from) {
            case 3 -> MD5;
            case 8 -> MD5_SESS;
            case 7 -> SHA_256;
            case 12 -> SHA_256_SESS;
            case 11 -> SHA_512_256;
            case 16 -> SHA_512_256_SESS;
            default -> null;
        };
        return candidate != null && Ascii.equalsIgnoreCase(s, from, to, candidate.token) ? candidate : null;
    }

    /** The algorithm with this token (case-insensitive), or null. */
    public static DigestAlgorithm forToken(String token) {
        return forToken(token, 0, token.length());
    }
}
