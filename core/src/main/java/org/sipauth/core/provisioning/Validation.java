package org.sipauth.core.provisioning;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;

/** Parameter rules shared by the services. Every failure is a 400 {@link ApiException} with the caller's code. */
final class Validation {

    static final int FRIENDLY_NAME_MAX = 64;
    static final int USERNAME_MAX = 32;
    static final int PASSWORD_MIN = 12;
    static final int PASSWORD_MAX = 128;
    static final int DOMAIN_NAME_MAX = 253;
    static final int LABEL_MAX = 63;
    static final int URL_MAX = 2048;
    static final int SIP_URL_MAX = 512;
    /** RFC 3261 {@code user} characters that need no escaping, minus nothing that breaks a quoted-string. */
    private static final String USERNAME_SYMBOLS = "-_.!~*'()&=+$,;?/";

    private Validation() {
    }

    static ApiException invalid(int code, String message) {
        return ApiException.badRequest(code, message);
    }

    static String required(String value, String param, int code) {
        if (value == null || value.isEmpty()) {
            throw invalid(code, "Missing required parameter " + param);
        }
        return value;
    }

    /** Null stays null (not sent); otherwise at most 64 characters and no control characters. */
    static String friendlyName(String value, int code) {
        return friendlyName(value, FRIENDLY_NAME_MAX, code);
    }

    /** Null stays null (not sent); otherwise at most {@code max} characters and no control characters. */
    static String friendlyName(String value, int max, int code) {
        if (value == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > max) {
            throw invalid(code, "FriendlyName must be at most " + max + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(code, "FriendlyName must not contain control characters");
        }
        return value;
    }

    /** A DNS host name, returned lowercase; {@code suffix} (nullable, lowercase) must end it. */
    static String domainName(String value, String suffix, int code) {
        String name = value.toLowerCase(Locale.ROOT);
        if (name.length() > DOMAIN_NAME_MAX) {
            throw invalid(code, "DomainName must be at most " + DOMAIN_NAME_MAX + " characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > LABEL_MAX
                        || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    throw invalid(code, "DomainName must be a host name: labels of 1-63 letters, digits"
                            + " or inner hyphens separated by dots");
                }
                labelStart = i + 1;
            } else {
                char c = name.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    throw invalid(code, "DomainName may contain only letters, digits, hyphens and dots");
                }
            }
        }
        if (suffix != null && !(name.endsWith(suffix) && name.length() > suffix.length()
                && (suffix.startsWith(".") || name.charAt(name.length() - suffix.length() - 1) == '.'))) {
            throw invalid(code, "DomainName must end with " + suffix);
        }
        return name;
    }

    /** Null stays null, "" clears (null); otherwise an absolute http(s) URL. */
    static String url(String value, String param, int code) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > URL_MAX) {
            throw invalid(code, param + " must be at most " + URL_MAX + " characters");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw invalid(code, param + " must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw invalid(code, param + " is not a valid URL");
        }
        return value;
    }

    /** {@code GET} or {@code POST}, any case, returned uppercase; null stays null. */
    static String method(String value, String param, int code) {
        if (value == null) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.equals("GET") && !upper.equals("POST")) {
            throw invalid(code, param + " must be GET or POST");
        }
        return upper;
    }

    /** {@code true} / {@code false}, any case; null stays null. */
    static Boolean bool(String value, String param, int code) {
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw invalid(code, param + " must be true or false");
    }

    /** One of the allowed lowercase tokens (compared ignoring case); null stays null. */
    static String oneOf(String value, String param, int code, String... allowed) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String candidate : allowed) {
            if (candidate.equals(lower)) {
                return candidate;
            }
        }
        throw invalid(code, param + " must be one of " + String.join(", ", allowed));
    }

    /** An optional foreign SID (e.g. BY…, PN…) with the exact Twilio pattern; "" clears. */
    static String foreignSid(String value, String prefix, String param, int code) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() != 34 || !value.startsWith(prefix)
                || !value.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw invalid(code, param + " must match ^" + prefix + "[0-9a-fA-F]{32}$");
        }
        return value;
    }

    /**
     * A target's digest algorithm offer ({@code DigestAlgorithms}): comma-separated tokens the engine
     * supports (any case, spaces around commas ignored), none twice, returned in canonical spelling
     * and the order given. Null stays null (not sent); {@code ""} clears (null: the server-wide offer).
     */
    static List<String> digestAlgorithms(String value, int code) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == ',') {
                String token = value.substring(start, i).trim();
                DigestAlgorithm algorithm = DigestAlgorithm.forToken(token);
                if (algorithm == null) {
                    throw invalid(code, token.isEmpty()
                            ? "DigestAlgorithms must be a comma-separated list of " + DigestOffer.supported()
                            : "DigestAlgorithms: unsupported algorithm " + printable(token) + "; supported: "
                                    + DigestOffer.supported());
                }
                if (tokens.contains(algorithm.token())) {
                    throw invalid(code, "DigestAlgorithms lists " + algorithm.token() + " twice");
                }
                tokens.add(algorithm.token());
                start = i + 1;
            }
        }
        return List.copyOf(tokens);
    }

    /** Client text for a message: printable ASCII, at most 32 characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 32; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.length() < text.length() ? out + "…" : out.toString();
    }

    /**
     * Username: 1..32 characters from ASCII letters, digits and {@value #USERNAME_SYMBOLS} (the
     * RFC 3261 user characters that need no escaping). This keeps it safe inside a quoted digest
     * {@code username="…"} (no quote, backslash, space or control character).
     */
    static String username(String value, int code) {
        required(value, "Username", code);
        if (value.length() > USERNAME_MAX) {
            throw invalid(code, "Username must be at most " + USERNAME_MAX + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || USERNAME_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                throw invalid(code, "Username may contain only letters, digits and " + USERNAME_SYMBOLS);
            }
        }
        return value;
    }

    /**
     * Password: 12..128 characters with at least one ASCII digit, one lowercase and one uppercase
     * ASCII letter; no control characters. The message never echoes the password.
     */
    static String password(String value, int code) {
        required(value, "Password", code);
        int length = value.codePointCount(0, value.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            throw invalid(code, "Password must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters long");
        }
        boolean digit = false;
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid(code, "Password must not contain control characters");
            }
            digit |= c >= '0' && c <= '9';
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (!(digit && lower && upper)) {
            throw invalid(code, "Password must contain at least one digit, one lowercase and one uppercase letter");
        }
        return value;
    }

    /**
     * Rejects a password equal to the username, ignoring case: it is the first guess of any
     * dictionary attack, and the case variant is the second. The message echoes neither.
     */
    static void passwordNotUsername(String password, String username, int code) {
        if (password.equalsIgnoreCase(username)) {
            throw invalid(code, "Password must not be the same as the Username");
        }
    }

    /** A whole number in {@code [min, max]} (decimal digits, optional sign); null stays null. */
    static Integer integer(String value, String param, int min, int max, int code) {
        if (value == null) {
            return null;
        }
        try {
            long n = value.length() > 12 ? Long.MAX_VALUE : Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw invalid(code, param + " must be an integer from " + min + " to " + max);
    }

    /**
     * A SIP URI a call can be sent to: {@code sip:} or {@code sips:} (any case), a host (DNS name,
     * IPv4 address or bracketed IPv6 address), an optional port 1..65535 and at most the parameter
     * {@code transport=udp|tcp|tls}; no user part, headers or other parameters, so that the URI names
     * exactly one next hop. Returned as given.
     */
    static String sipUrl(String value, String param, int code) {
        String form = param + " must be sip:host[:port][;transport=udp|tcp|tls] (or sips:), host a DNS name,"
                + " an IPv4 address or an [IPv6] address";
        if (value.length() > SIP_URL_MAX) {
            throw invalid(code, param + " must be at most " + SIP_URL_MAX + " characters");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        String scheme = colon < 0 ? "" : lower.substring(0, colon);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            throw invalid(code, form);
        }
        String rest = lower.substring(colon + 1);
        int semicolon = rest.indexOf(';');
        String hostPort = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (semicolon >= 0 && !(rest.substring(semicolon).equals(";transport=udp")
                || rest.substring(semicolon).equals(";transport=tcp") || rest.substring(semicolon).equals(";transport=tls"))) {
            throw invalid(code, form);
        }
        String host = hostPort;
        int portAt = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
        if (portAt > 0) {
            host = hostPort.substring(0, portAt);
            String port = hostPort.substring(portAt + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw invalid(code, param + ": the port must be 1 to 65535");
            }
        }
        if (!isSipHost(host)) {
            throw invalid(code, form);
        }
        return value;
    }

    private static boolean isSipHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            // Only hex digits, colons and dots (no zone, no name): InetAddress then parses a literal and
            // never resolves anything.
            if (literal.indexOf(':') < 0 || !literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return false;
            }
            try {
                return java.net.InetAddress.getByName(literal) instanceof java.net.Inet6Address;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        String[] labels = host.split("\\.", -1);
        if (host.isEmpty() || host.length() > DOMAIN_NAME_MAX) {
            return false;
        }
        boolean numeric = true;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > LABEL_MAX || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
            numeric &= label.chars().allMatch(c -> c >= '0' && c <= '9');
        }
        // All-numeric labels are an IPv4 address, which must be a valid one.
        return !numeric || (labels.length == 4 && java.util.Arrays.stream(labels)
                .allMatch(l -> l.length() <= 3 && Integer.parseInt(l) <= 255));
    }

    /** A SID from the request path: malformed means the resource cannot exist (404). */
    static Sid pathSid(SidKind kind, String value) {
        return Sid.parse(kind, value).map(Sid::canonical)
                .orElseThrow(() -> ApiException.notFound(describe(kind, value)));
    }

    /** A SID from a form parameter: required, and malformed is a 400 with the caller's code. */
    static Sid paramSid(SidKind kind, String value, String param, int code) {
        required(value, param, code);
        return Sid.parse(kind, value).map(Sid::canonical).orElseThrow(
                () -> invalid(code, param + " must match ^" + kind.prefix() + "[0-9a-fA-F]{32}$"));
    }

    static String describe(SidKind kind, String value) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + value;
    }

    /** Null for null or empty. */
    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code value}, or {@code fallback} when it is null (a parameter that was not sent). */
    static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
