package org.sipauth.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * To-tags for the 2xx that {@code respond} mode sends to INVITEs, derived from the call so that a
 * later in-dialog request (BYE, re-INVITE, OPTIONS with a To-tag) can be recognised as belonging to
 * a call this process answered, without keeping a record per call.
 *
 * <p>Why derived rather than recorded: respond mode has no dialogs, yet RFC 3261 (12.2.2, 15.1.2)
 * wants 481 for an in-dialog request that matches none. A table of answered calls would have to be
 * bounded and would then forget long calls; a tag that is {@code HMAC(secret, Call-ID, From-tag)}
 * needs no memory and is as unpredictable to others as a random tag. The secret is per process, so
 * after a restart earlier calls get 481, which is what a UAS that lost its dialogs answers.
 * The cost: a second BYE for the same call still matches (there is no state to mark it ended).
 *
 * <p>Thread-safe.
 */
final class DialogTags {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int TAG_BYTES = 8;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    DialogTags() {
        this(randomSecret());
    }

    /** Tags under {@code secret} (at least 16 bytes): the same on every process that shares it. */
    DialogTags(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret must have at least 16 bytes");
        }
        key = new SecretKeySpec(secret.clone(), ALGORITHM);
        macs = ThreadLocal.withInitial(this::newMac);
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides " + ALGORITHM, e);
        }
    }

    /** The To-tag for the 2xx to an INVITE with this Call-ID and From-tag (null when the From has none). */
    String issue(String callId, String fromTag) {
        return HexFormat.of().formatHex(mac(callId, fromTag), 0, TAG_BYTES);
    }

    /** True when {@code toTag} is the tag {@link #issue} gives for this Call-ID and From-tag. */
    boolean issued(String toTag, String callId, String fromTag) {
        if (toTag == null || toTag.length() != 2 * TAG_BYTES) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(toTag);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = new byte[TAG_BYTES];
        System.arraycopy(mac(callId, fromTag), 0, expected, 0, TAG_BYTES);
        // Tags are case-sensitive (RFC 3261 19.3) and this class writes lowercase.
        return toTag.equals(HexFormat.of().formatHex(presented)) && MessageDigest.isEqual(presented, expected);
    }

    private byte[] mac(String callId, String fromTag) {
        Mac mac = macs.get();
        // Length-prefixed fields: no choice of Call-ID and From-tag can imitate another pair.
        update(mac, callId == null ? "" : callId);
        update(mac, fromTag == null ? "" : fromTag);
        return mac.doFinal();
    }

    private static void update(Mac mac, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
