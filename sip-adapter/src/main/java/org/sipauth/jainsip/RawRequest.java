package org.sipauth.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The few facts of an INVITE or ACK datagram that the stateless path needs, located in the bytes as
 * received, without building the RI's message and header objects.
 *
 * <p>Why: an INVITE that is not accepted only ever gets a stateless answer, and the ACK for that
 * answer only confirms it; both are answered or dropped from these offsets. An accepted INVITE (and
 * the ACK for its 2xx) can be answered from them too, when the application registered a
 * {@link DatagramResponder}. Everything else goes through the RI's parser. The scanner is
 * deliberately narrow: {@link #scan} returns null for anything outside the plain shape (folded
 * lines, a comma-separated or unusual top Via, duplicated or missing mandatory headers, a method
 * mismatch with CSeq, a wrong Content-Length, control characters or bytes outside ASCII, a
 * Request-URI that is not a plain {@code sip:}/{@code sips:} URI), and the caller then hands the
 * datagram to the RI as before, whose parser and 400 replies judge it.
 *
 * <p>Header lines are kept as offsets into the datagram so a response can copy them byte for byte
 * (RFC 3261 8.2.6.2). Not thread-safe; one instance per datagram.
 */
final class RawRequest {

    static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ACK = "ACK ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIP_2_0 = "SIP/2.0".getBytes(StandardCharsets.US_ASCII);

    final byte[] bytes;
    final String method;
    /** The Request-URI as written and its host, lowercase; set once the whole request is scanned. */
    String requestUri;
    String host;
    private int uriStart;
    private int uriEnd;
    private int hostStart;
    private int hostEnd;
    /** Start and end offsets of each Via header line (name included, line break excluded), in order. */
    int[] viaLines = new int[4];
    int viaCount;
    int fromStart = -1;
    int fromEnd;
    int toStart = -1;
    int toEnd;
    int callIdStart = -1;
    int callIdEnd;
    int cseqStart = -1;
    int cseqEnd;
    /** Offsets of the Call-ID value, the From tag, the To tag (-1 when absent) and the top Via branch (-1 when absent). */
    int callIdValueStart;
    int callIdValueEnd;
    int fromTagStart = -1;
    int fromTagEnd;
    int toTagStart = -1;
    int toTagEnd;
    int branchStart = -1;
    int branchEnd;
    long cseqNumber;
    /** True when Max-Forwards / Contact are present (the RI's required-header check needs them). */
    boolean maxForwards;
    boolean contact;
    /** Offset just after a value-less {@code rport} parameter of the top Via, or -1. */
    int rportEnd = -1;
    /** The top Via's sent-by host as written and port (-1 when absent). */
    String viaHost;
    int viaPort = -1;
    int bodyStart;
    /** Value offsets (start, end pairs) of the Authorization and Proxy-Authorization lines, in order. */
    private int[] authorizationValues = new int[2];
    private int authorizationCount;
    private int[] proxyAuthorizationValues = new int[2];
    private int proxyAuthorizationCount;
    /** Offsets of the Content-Type value, or -1. */
    int contentTypeStart = -1;
    int contentTypeEnd;

    private RawRequest(byte[] bytes, String method) {
        this.bytes = bytes;
        this.method = method;
    }

    /** True when {@code datagram} starts with {@code prefix}. */
    static boolean startsWith(byte[] datagram, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(datagram, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Locates the facts of an INVITE or ACK in {@code datagram} (all of it is the message); null when
     * it is another method or not in the plain shape described above.
     */
    static RawRequest scan(byte[] datagram) {
        String method;
        if (startsWith(datagram, datagram.length, INVITE)) {
            method = "INVITE";
        } else if (startsWith(datagram, datagram.length, ACK)) {
            method = "ACK";
        } else {
            return null;
        }
        RawRequest r = new RawRequest(datagram, method);
        return r.parse() ? r : null;
    }

    private boolean parse() {
        byte[] b = bytes;
        int n = b.length;
        int lineEnd = lineEnd(0);
        if (lineEnd < 0 || !requestLine(method.length() + 1, lineEnd)) {
            return false;
        }
        int i = next(lineEnd);
        long contentLength = -1;
        while (true) {
            if (i >= n) {
                return false; // no blank line
            }
            int end = lineEnd(i);
            if (end < 0) {
                return false;
            }
            if (end == i) {
                bodyStart = next(end);
                break;
            }
            byte first = b[i];
            if (first == ' ' || first == '\t') {
                return false; // folded continuation: the RI joins those
            }
            int colon = indexOf(':', i, end);
            if (colon <= i) {
                return false;
            }
            int nameEnd = colon;
            while (nameEnd > i && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            int value = skipSpaces(colon + 1, end);
            int valueEnd = end;
            while (valueEnd > value && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            switch (headerName(i, nameEnd)) {
                case VIA -> {
                    if (viaCount == 0 && !topVia(value, valueEnd)) {
                        return false;
                    }
                    addVia(i, end);
                }
                case FROM -> {
                    if (fromStart >= 0) {
                        return false;
                    }
                    fromStart = i;
                    fromEnd = end;
                    int[] tag = tag(value, valueEnd);
                    if (tag == null) {
                        return false;
                    }
                    fromTagStart = tag[0];
                    fromTagEnd = tag[1];
                }
                case TO -> {
                    if (toStart >= 0) {
                        return false;
                    }
                    toStart = i;
                    toEnd = end;
                    int[] tag = tag(value, valueEnd);
                    if (tag == null) {
                        return false;
                    }
                    toTagStart = tag[0];
                    toTagEnd = tag[1];
                }
                case CALL_ID -> {
                    if (callIdStart >= 0 || value == valueEnd) {
                        return false;
                    }
                    callIdStart = i;
                    callIdEnd = end;
                    callIdValueStart = value;
                    callIdValueEnd = valueEnd;
                }
                case CSEQ -> {
                    if (cseqStart >= 0 || !cseq(value, valueEnd)) {
                        return false;
                    }
                    cseqStart = i;
                    cseqEnd = end;
                }
                case AUTHORIZATION -> authorizationValues = addRange(authorizationValues, authorizationCount++, value, valueEnd);
                case PROXY_AUTHORIZATION ->
                        proxyAuthorizationValues = addRange(proxyAuthorizationValues, proxyAuthorizationCount++, value, valueEnd);
                case CONTENT_TYPE -> {
                    if (contentTypeStart >= 0) {
                        return false;
                    }
                    contentTypeStart = value;
                    contentTypeEnd = valueEnd;
                }
                case MAX_FORWARDS -> maxForwards = true;
                case CONTACT -> contact = true;
                case CONTENT_LENGTH -> {
                    if (contentLength >= 0) {
                        return false;
                    }
                    contentLength = number(value, valueEnd);
                    if (contentLength < 0) {
                        return false;
                    }
                }
                case OTHER -> { }
            }
            for (int k = i; k < end; k++) {
                byte c = b[k];
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return false;
                }
            }
            i = next(end);
        }
        if (viaCount == 0 || fromStart < 0 || toStart < 0 || callIdStart < 0 || cseqStart < 0) {
            return false;
        }
        if (method.equals("INVITE") && (!maxForwards || (!contact && toTagStart < 0))) {
            return false; // missing required headers (RFC 3261 8.1.1): the RI path answers 400
        }
        int bodyLength = n - bodyStart;
        // UDP: a missing Content-Length means the rest of the datagram (RFC 3261 18.3)
        if (contentLength >= 0 && contentLength != bodyLength) {
            return false;
        }
        requestUri = new String(b, uriStart, uriEnd - uriStart, StandardCharsets.US_ASCII);
        host = new String(b, hostStart, hostEnd - hostStart, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        return true;
    }

    private boolean requestLine(int uriStart, int end) {
        byte[] b = bytes;
        int uriEnd = indexOf(' ', uriStart, end);
        if (uriEnd <= uriStart || end - uriEnd - 1 != SIP_2_0.length
                || !Arrays.equals(b, uriEnd + 1, end, SIP_2_0, 0, SIP_2_0.length)) {
            return false;
        }
        int hostStart;
        if (regionMatchesIgnoreCase(uriStart, uriEnd, "sip:")) {
            hostStart = uriStart + 4;
        } else if (regionMatchesIgnoreCase(uriStart, uriEnd, "sips:")) {
            hostStart = uriStart + 5;
        } else {
            return false;
        }
        int paramsStart = uriEnd;
        for (int k = hostStart; k < uriEnd; k++) {
            byte c = b[k];
            if (c == ';' || c == '?') {
                paramsStart = k;
                break;
            }
            if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"') {
                return false;
            }
        }
        int at = lastIndexOf('@', hostStart, paramsStart);
        if (at >= 0) {
            hostStart = at + 1;
        }
        if (hostStart >= paramsStart || b[hostStart] == '[') {
            return false; // IPv6 references are left to the RI
        }
        int hostEnd = hostStart;
        while (hostEnd < paramsStart && b[hostEnd] != ':') {
            hostEnd++;
        }
        if (hostEnd == hostStart) {
            return false;
        }
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.hostStart = hostStart;
        this.hostEnd = hostEnd;
        return true;
    }

    /**
     * {@code SIP/2.0/UDP host[:port];params} without commas; for an INVITE also without received,
     * maddr or an rport value. An ACK is never answered, so where it says responses would go does
     * not matter; many clients copy the Via of the response they acknowledge, with the
     * {@code received} and {@code rport} values this server filled in.
     */
    private boolean topVia(int start, int end) {
        byte[] b = bytes;
        if (indexOf(',', start, end) >= 0 || indexOf('"', start, end) >= 0 || !regionMatchesIgnoreCase(start, end, "SIP/2.0/")) {
            return false;
        }
        int i = start + 8;
        while (i < end && b[i] != ' ' && b[i] != '\t' && b[i] != ';') {
            i++;
        }
        int hostStart = skipSpaces(i, end);
        int paramsStart = indexOf(';', hostStart, end);
        if (paramsStart < 0) {
            paramsStart = end;
        }
        int sentByEnd = paramsStart;
        while (sentByEnd > hostStart && (b[sentByEnd - 1] == ' ' || b[sentByEnd - 1] == '\t')) {
            sentByEnd--;
        }
        if (hostStart >= sentByEnd || b[hostStart] == '[') {
            return false;
        }
        int colon = indexOf(':', hostStart, sentByEnd);
        if (colon >= 0) {
            long port = number(colon + 1, sentByEnd);
            if (port < 1 || port > 65535) {
                return false;
            }
            viaPort = (int) port;
        } else {
            colon = sentByEnd;
        }
        viaHost = new String(b, hostStart, colon - hostStart, StandardCharsets.US_ASCII);
        int p = paramsStart;
        while (p < end) {
            int nameStart = skipSpaces(p + 1, end);
            int paramEnd = indexOf(';', nameStart, end);
            if (paramEnd < 0) {
                paramEnd = end;
            }
            int eq = indexOf('=', nameStart, paramEnd);
            int nameEnd = eq < 0 ? paramEnd : eq;
            while (nameEnd > nameStart && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            if (nameIs(nameStart, nameEnd, "branch")) {
                if (eq < 0) {
                    return false;
                }
                branchStart = skipSpaces(eq + 1, paramEnd);
                branchEnd = paramEnd;
                while (branchEnd > branchStart && (b[branchEnd - 1] == ' ' || b[branchEnd - 1] == '\t')) {
                    branchEnd--;
                }
            } else if (method.equals("ACK")) {
                // only the branch matters in an ACK
            } else if (nameIs(nameStart, nameEnd, "rport")) {
                if (eq >= 0) {
                    return false;
                }
                rportEnd = nameEnd;
            } else if (nameIs(nameStart, nameEnd, "received") || nameIs(nameStart, nameEnd, "maddr")) {
                return false; // left to the RI path, which never sends to either for a rejected request
            }
            p = paramEnd;
        }
        return true;
    }

    /**
     * The offsets of the {@code tag} parameter of a From/To value ({@code {-1, 0}} when none), or
     * null when the value's shape is unusual. Parameters after a bare URI are header parameters
     * (RFC 3261 20.10); with angle brackets they start after the {@code >}.
     */
    private int[] tag(int start, int end) {
        byte[] b = bytes;
        int i = start;
        if (i < end && b[i] == '"') {
            i++;
            while (i < end && b[i] != '"') {
                i += b[i] == '\\' ? 2 : 1;
            }
            if (i >= end) {
                return null;
            }
            i++;
        }
        int open = indexOf('<', i, end);
        int params;
        if (open >= 0) {
            int close = indexOf('>', open, end);
            if (close < 0) {
                return null;
            }
            params = close + 1;
        } else {
            if (i != start) {
                return null; // a quoted display name without an address in brackets
            }
            params = i;
        }
        int[] found = {-1, 0};
        int p = indexOf(';', params, end);
        while (p >= 0) {
            int nameStart = skipSpaces(p + 1, end);
            int paramEnd = indexOf(';', nameStart, end);
            if (paramEnd < 0) {
                paramEnd = end;
            }
            int eq = indexOf('=', nameStart, paramEnd);
            int nameEnd = eq < 0 ? paramEnd : eq;
            while (nameEnd > nameStart && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            if (nameIs(nameStart, nameEnd, "tag")) {
                if (eq < 0 || found[0] >= 0) {
                    return null;
                }
                int valueStart = skipSpaces(eq + 1, paramEnd);
                int valueEnd = paramEnd;
                while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                    valueEnd--;
                }
                if (valueStart == valueEnd) {
                    return null;
                }
                found[0] = valueStart;
                found[1] = valueEnd;
            }
            p = paramEnd < end ? paramEnd : -1;
        }
        return found;
    }

    private boolean cseq(int start, int end) {
        int i = start;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        if (i == start || i - start > 10 || i == end || (bytes[i] != ' ' && bytes[i] != '\t')) {
            return false;
        }
        cseqNumber = number(start, i);
        if (cseqNumber < 0 || cseqNumber >= (1L << 31)) {
            return false;
        }
        int m = skipSpaces(i, end);
        byte[] name = method.getBytes(StandardCharsets.US_ASCII);
        return end - m == name.length && Arrays.equals(bytes, m, end, name, 0, name.length);
    }

    /** The headers the scan reads, with their names in lowercase and their compact forms (RFC 3261 7.3.3). */
    private enum Header {
        VIA("via", 'v'), FROM("from", 'f'), TO("to", 't'), CALL_ID("call-id", 'i'), CSEQ("cseq", (char) 0),
        AUTHORIZATION("authorization", (char) 0), PROXY_AUTHORIZATION("proxy-authorization", (char) 0),
        CONTENT_LENGTH("content-length", 'l'), CONTENT_TYPE("content-type", 'c'), MAX_FORWARDS("max-forwards", (char) 0),
        CONTACT("contact", 'm'), OTHER("", (char) 0);

        private static final Header[] KNOWN = java.util.Arrays.copyOf(values(), values().length - 1);

        final String lowercase;
        final char compact;

        Header(String lowercase, char compact) {
            this.lowercase = lowercase;
            this.compact = compact;
        }
    }

    private Header headerName(int start, int end) {
        if (end - start == 1) {
            int c = bytes[start] | 0x20;
            for (Header h : Header.KNOWN) {
                if (h.compact == c) {
                    return h;
                }
            }
            return Header.OTHER;
        }
        for (Header h : Header.KNOWN) {
            if (nameIs(start, end, h.lowercase)) {
                return h;
            }
        }
        return Header.OTHER;
    }

    /** The Authorization (UAS) or Proxy-Authorization (proxy) values as received, in order. */
    List<String> credentials(boolean proxy) {
        int[] ranges = proxy ? proxyAuthorizationValues : authorizationValues;
        int count = proxy ? proxyAuthorizationCount : authorizationCount;
        if (count == 0) {
            return List.of();
        }
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            // UTF-8, as the RI's parser reads header text (a quoted username may hold any UTF-8)
            values[i] = new String(bytes, ranges[2 * i], ranges[2 * i + 1] - ranges[2 * i], StandardCharsets.UTF_8);
        }
        return List.of(values);
    }

    /** True when the request carries Authorization (UAS) or Proxy-Authorization (proxy) lines. */
    boolean hasCredentials(boolean proxy) {
        return (proxy ? proxyAuthorizationCount : authorizationCount) > 0;
    }

    /** The top Via's branch as written, or null. */
    String branch() {
        return branchStart < 0 ? null : new String(bytes, branchStart, branchEnd - branchStart, StandardCharsets.US_ASCII);
    }

    /** True when the top Via's branch starts with RFC 3261's magic cookie {@code z9hG4bK} (any case, as the RI reads it). */
    boolean hasRfc3261Branch() {
        return branchStart >= 0 && regionMatchesIgnoreCase(branchStart, branchEnd, "z9hG4bK");
    }

    /** The Content-Type value as written, or null. */
    String contentType() {
        return contentTypeStart < 0 ? null
                : new String(bytes, contentTypeStart, contentTypeEnd - contentTypeStart, StandardCharsets.US_ASCII);
    }

    /** The body (possibly empty). */
    byte[] body() {
        return Arrays.copyOfRange(bytes, bodyStart, bytes.length);
    }

    private static int[] addRange(int[] ranges, int index, int start, int end) {
        if (2 * index + 2 > ranges.length) {
            ranges = Arrays.copyOf(ranges, ranges.length * 2);
        }
        ranges[2 * index] = start;
        ranges[2 * index + 1] = end;
        return ranges;
    }

    private void addVia(int start, int end) {
        if (2 * viaCount + 2 > viaLines.length) {
            viaLines = Arrays.copyOf(viaLines, viaLines.length * 2);
        }
        viaLines[2 * viaCount] = start;
        viaLines[2 * viaCount + 1] = end;
        viaCount++;
    }

    /** Offset of the line break ending the line at {@code from} (CRLF or a bare LF), or -1. */
    private int lineEnd(int from) {
        byte[] b = bytes;
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? i - 1 : i;
            }
            if (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n')) {
                return -1; // a bare CR
            }
        }
        return -1;
    }

    /** Offset after the line break at {@code lineEnd}. */
    private int next(int lineEnd) {
        return bytes[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private int lastIndexOf(char c, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpaces(int i, int end) {
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** A non-negative decimal of at most 10 digits spanning the range, else -1. */
    private long number(int start, int end) {
        if (start >= end || end - start > 10) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            byte c = bytes[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The range equals {@code lowercase} ignoring ASCII case. */
    private boolean nameIs(int start, int end, String lowercase) {
        if (end - start != lowercase.length()) {
            return false;
        }
        for (int i = 0; i < lowercase.length(); i++) {
            byte c = bytes[start + i];
            if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != lowercase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The range starts with {@code prefix} ignoring ASCII case. */
    private boolean regionMatchesIgnoreCase(int start, int end, String prefix) {
        return end - start >= prefix.length() && nameIs(start, start + prefix.length(), prefix.toLowerCase(Locale.ROOT));
    }
}
