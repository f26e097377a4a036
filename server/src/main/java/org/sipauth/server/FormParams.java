package org.sipauth.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sipauth.core.provisioning.ApiException;

/**
 * Strict parser of {@code application/x-www-form-urlencoded} bodies and query strings.
 *
 * <p>Unlike {@link java.net.URLDecoder}, which turns invalid UTF-8 into U+FFFD without a word,
 * this rejects malformed percent escapes, invalid UTF-8 and oversized input with a 400, so a
 * password is never silently altered before it is hashed. The first occurrence of a repeated
 * name wins (Twilio's SDKs repeat a name only for list parameters, which these resources lack).
 */
final class FormParams {

    static final int MAX_PARAMS = 64;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 4096;

    private FormParams() {
    }

    static Map<String, String> parse(String raw) {
        return raw == null ? Map.of() : parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Map<String, String> parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int pairs = 0;
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i < raw.length && raw[i] != '&') {
                continue;
            }
            if (i > start) {
                if (++pairs > MAX_PARAMS) {
                    throw bad("Too many parameters (at most " + MAX_PARAMS + ")");
                }
                int eq = start;
                while (eq < i && raw[eq] != '=') {
                    eq++;
                }
                String name = decode(raw, start, eq, MAX_NAME_LENGTH, null);
                if (name.isEmpty()) {
                    throw bad("Malformed form body: empty parameter name");
                }
                String value = eq < i ? decode(raw, eq + 1, i, MAX_VALUE_LENGTH, name) : "";
                params.putIfAbsent(name, value);
            }
            start = i + 1;
        }
        return Collections.unmodifiableMap(params);
    }

    private static String decode(byte[] raw, int from, int to, int maxChars, String name) {
        String what = name == null ? "parameter name" : "parameter " + name;
        if (to - from > maxChars * 12L) { // cheap bound before decoding: at most 4 UTF-8 bytes * 3 chars each
            throw bad("Value of " + safe(what) + " is too long");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = raw[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                int hi = i + 1 < to ? Character.digit(raw[i + 1], 16) : -1;
                int lo = i + 2 < to ? Character.digit(raw[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw bad("Malformed percent-encoding in " + safe(what));
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else if (b < 0x20 || b == 0x7f || b < 0) {
                throw bad("Malformed form body: unencoded control or non-ASCII byte in " + safe(what));
            } else {
                bytes.write(b);
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw bad("Invalid UTF-8 in " + safe(what));
        }
        if (text.length() > maxChars) {
            throw bad("Value of " + safe(what) + " is too long (at most " + maxChars + " characters)");
        }
        return text;
    }

    /** Parameter names come from the client: keep them printable and short in messages. */
    private static String safe(String what) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < what.length() && out.length() < 80; i++) {
            char c = what.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private static ApiException bad(String message) {
        return ApiException.badRequest(ApiException.BAD_REQUEST, message);
    }
}
