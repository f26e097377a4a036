package org.sipauth.core.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.sipauth.core.model.Ha1Set;

/** Computes {@code HA1 = H(username:realm:password)} (UTF-8) for every supported digest algorithm. */
public final class Ha1Calculator {

    private Ha1Calculator() {
    }

    /** The HA1s of one credential for {@code realm}; the password is not retained. */
    public static Ha1Set compute(String username, String realm, String password) {
        byte[] input = (username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8);
        return new Ha1Set(realm, hex("MD5", input), hex("SHA-256", input), hex("SHA-512/256", input));
    }

    private static String hex(String algorithm, byte[] input) {
        try {
            // A fresh instance per call: MessageDigest is not thread-safe, and this is not a hot path.
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    /** Lowercase hex SHA-256 of a UTF-8 string (account auth tokens). */
    static String sha256Hex(String value) {
        return hex("SHA-256", value.getBytes(StandardCharsets.UTF_8));
    }
}
