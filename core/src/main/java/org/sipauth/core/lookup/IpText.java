package org.sipauth.core.lookup;

/**
 * IP address literals as the admin API accepts them: IPv4 dotted decimal (four decimal octets, no
 * leading zeros, no wildcards) and IPv6 text (RFC 4291 2.2: eight groups, {@code ::} once, an
 * optional trailing dotted-quad; no zone, no brackets). <b>Internal</b>.
 *
 * <p>Why not {@code InetAddress.getByName}: it resolves anything that is not a literal through DNS,
 * and it accepts forms (octal, fewer than four IPv4 parts, zones) that would make a stored entry
 * mean something other than what a reader of the list sees.
 */
public final class IpText {

    private IpText() {
    }

    /** The address's 4 (IPv4) or 16 (IPv6) bytes, or null when {@code text} is not such a literal. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] out = new byte[4];
            return parseIpv4(text, 0, text.length(), out, 0) ? out : null;
        }
        return parseIpv6(text);
    }

    private static boolean parseIpv4(String text, int from, int to, byte[] out, int at) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i == to ? '.' : text.charAt(i);
            if (c == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                out[at + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return false; // a leading zero: octal in some parsers, so refused
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    private static byte[] parseIpv6(String text) {
        byte[] out = new byte[16];
        int length = text.length();
        int end = length;
        int limit = 16;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            // trailing dotted quad: the last 32 bits
            if (!parseIpv4(text, lastColon + 1, length, out, 12)) {
                return null;
            }
            end = lastColon + 1;
            limit = 12;
            if (end >= 2 && text.charAt(end - 2) != ':') {
                end = lastColon; // "…:1.2.3.4": drop the separator; "…::1.2.3.4" keeps "::"
            }
        }
        int gap = -1;
        int at = 0;
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < end) {
            int value = 0;
            int digits = 0;
            while (i < end && text.charAt(i) != ':') {
                int d = Character.digit(text.charAt(i), 16);
                if (d < 0 || ++digits > 4) {
                    return null;
                }
                value = value << 4 | d;
                i++;
            }
            if (digits == 0 || at + 2 > limit) {
                return null;
            }
            out[at++] = (byte) (value >> 8);
            out[at++] = (byte) value;
            if (i < end) {
                i++; // the ':'
                if (i < end && text.charAt(i) == ':') {
                    if (gap >= 0) {
                        return null;
                    }
                    gap = at;
                    i++;
                } else if (i == end && end == length) {
                    return null; // a trailing single ':'
                }
            }
        }
        if (gap < 0) {
            return at == limit ? out : null;
        }
        if (at == limit) {
            return null; // "::" must stand for at least one group
        }
        int tail = at - gap;
        System.arraycopy(out, gap, out, limit - tail, tail);
        java.util.Arrays.fill(out, gap, limit - tail, (byte) 0);
        return out;
    }
}
