package org.sipauth.jainsip;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.Authorization;
import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.ProxyAuthorization;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds jain-sip-ri's header objects for the plain shapes of the headers every call carries
 * (Via, From, To, Call-ID, CSeq, Contact, Max-Forwards, Content-Type, Content-Length, Authorization,
 * Proxy-Authorization) and the request line without the RI's lexer, and declines everything else.
 *
 * <p>Why: the RI parses each header through a keyword lexer built per header and a parser created
 * by reflection, about 0.5–1.7 µs a header and most of the SIP threads' time under load. Here a
 * line in the plain subset (token characters, no escapes, quoting only in Authorization values, no
 * comma lists, no IPv6, single spaces where the grammar needs one) becomes the object the RI would
 * build, through the same constructors and setters in the same order. Anything else, including every
 * malformed line, yields {@code null} and goes to the RI's parser, so its error handling is unchanged.
 * {@code FastHeadersTest} checks every result against the RI's own parse, field by field.
 */
final class FastHeaders {

    private FastHeaders() {
    }

    /**
     * The RI header object for one unfolded header line (no line terminator), or null when the line is
     * outside the plain shapes handled here and the RI's own parser must decide.
     */
    static SIPHeader parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isBlank(line.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        Kind kind = kind(line, nameEnd);
        if (kind == Kind.OTHER) {
            return null;
        }
        int start = colon + 1;
        while (start < line.length() && isBlank(line.charAt(start))) {
            start++;
        }
        int end = line.length();
        if (start >= end || !printableAscii(line, start, end) || line.charAt(end - 1) == ' ') {
            return null;
        }
        try {
            Cursor value = new Cursor(line, start);
            return switch (kind) {
                case VIA -> via(value);
                case FROM -> address(new From(), value);
                case TO -> address(new To(), value);
                case CALL_ID -> callId(value);
                case CSEQ -> cseq(value);
                case CONTACT -> contact(value);
                case MAX_FORWARDS -> maxForwards(value);
                case CONTENT_TYPE -> contentType(value);
                case CONTENT_LENGTH -> contentLength(value);
                case AUTHORIZATION -> credentials(new Authorization(), value);
                case PROXY_AUTHORIZATION -> credentials(new ProxyAuthorization(), value);
                case OTHER -> null;
            };
        } catch (Exception rejected) {
            // a setter refused a value (e.g. Max-Forwards 300): the RI's parser reports it its way
            return null;
        }
    }

    /**
     * The RI request line for {@code METHOD sip-uri SIP/2.0} in the plain subset, or null when the
     * RI's parser must decide.
     */
    static RequestLine requestLine(String line) {
        if (!printableAscii(line, 0, line.length())) {
            return null;
        }
        try {
            Cursor c = new Cursor(line, 0);
            String method = c.letters();
            if (method == null || !METHODS.contains(method) || !c.skip(' ')) {
                return null;
            }
            SipUri uri = c.sipUri(true);
            if (uri == null || !c.skip(' ') || !line.startsWith(SIP_VERSION, c.pos)
                    || c.pos + SIP_VERSION.length() != line.length()) {
                return null;
            }
            RequestLine requestLine = new RequestLine();
            requestLine.setMethod(method);
            requestLine.setUri(uri);
            requestLine.setSipVersion(SIP_VERSION);
            return requestLine;
        } catch (Exception rejected) {
            return null;
        }
    }

    private static final String SIP_VERSION = "SIP/2.0";

    /**
     * Methods taken as written. Why a list: the RI reads a method with a keyword lexer, so a method
     * spelled like a header name or keyword (e.g. {@code c}, {@code to}) is an error there.
     */
    private static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

    private enum Kind {
        VIA, FROM, TO, CALL_ID, CSEQ, CONTACT, MAX_FORWARDS, CONTENT_TYPE, CONTENT_LENGTH,
        AUTHORIZATION, PROXY_AUTHORIZATION, OTHER
    }

    private static Kind kind(String line, int nameEnd) {
        if (nameEnd == 1) {
            return switch (Character.toLowerCase(line.charAt(0))) {
                case 'v' -> Kind.VIA;
                case 'f' -> Kind.FROM;
                case 't' -> Kind.TO;
                case 'i' -> Kind.CALL_ID;
                case 'm' -> Kind.CONTACT;
                case 'c' -> Kind.CONTENT_TYPE;
                case 'l' -> Kind.CONTENT_LENGTH;
                default -> Kind.OTHER;
            };
        }
        for (Kind kind : NAMED) {
            String name = NAMES[kind.ordinal()];
            if (name.length() == nameEnd && line.regionMatches(true, 0, name, 0, nameEnd)) {
                return kind;
            }
        }
        return Kind.OTHER;
    }

    private static final Kind[] NAMED = {Kind.VIA, Kind.FROM, Kind.TO, Kind.CALL_ID, Kind.CSEQ, Kind.CONTACT,
            Kind.MAX_FORWARDS, Kind.CONTENT_TYPE, Kind.CONTENT_LENGTH, Kind.AUTHORIZATION, Kind.PROXY_AUTHORIZATION};
    private static final String[] NAMES = {"Via", "From", "To", "Call-ID", "CSeq", "Contact", "Max-Forwards",
            "Content-Type", "Content-Length", "Authorization", "Proxy-Authorization"};

    // --- the headers -----------------------------------------------------------------------------

    private static SIPHeader cseq(Cursor c) throws Exception {
        String number = c.digits(10);
        if (number == null || !c.skip(' ')) {
            return null;
        }
        String method = c.letters();
        if (method == null || !c.atEnd() || !METHODS.contains(method)) {
            return null;
        }
        CSeq cseq = new CSeq();
        cseq.setSeqNumber(Long.parseLong(number));
        String canonical = SIPRequest.getCannonicalName(method);
        // the RI interns the method; a known one is already a constant
        cseq.setMethod(canonical != method ? canonical : method.intern());
        return cseq;
    }

    private static SIPHeader callId(Cursor c) throws Exception {
        if (c.line.indexOf(' ', c.pos) >= 0) {
            return null;
        }
        CallID callId = new CallID();
        callId.setCallId(c.line.substring(c.pos));
        return callId;
    }

    private static SIPHeader maxForwards(Cursor c) throws Exception {
        String number = c.digits(3);
        if (number == null || !c.atEnd()) {
            return null;
        }
        MaxForwards maxForwards = new MaxForwards();
        maxForwards.setMaxForwards(Integer.parseInt(number));
        return maxForwards;
    }

    private static SIPHeader contentLength(Cursor c) throws Exception {
        String number = c.digits(9);
        if (number == null || !c.atEnd()) {
            return null;
        }
        ContentLength contentLength = new ContentLength();
        contentLength.setContentLength(Integer.parseInt(number));
        return contentLength;
    }

    private static SIPHeader contentType(Cursor c) throws Exception {
        String type = c.token();
        if (type == null || !c.skip('/')) {
            return null;
        }
        String subType = c.token();
        if (subType == null || !c.atEnd()) {
            return null;
        }
        ContentType contentType = new ContentType();
        contentType.setContentType(type);
        contentType.setContentSubType(subType);
        return contentType;
    }

    private static SIPHeader via(Cursor c) throws Exception {
        String name = c.token();
        if (name == null || !c.skip('/')) {
            return null;
        }
        String version = c.token();
        if (version == null || !c.skip('/')) {
            return null;
        }
        String transport = c.token();
        if (transport == null || !c.skip(' ')) {
            return null;
        }
        HostPort sentBy = c.hostPort();
        if (sentBy == null) {
            return null;
        }
        Via via = new Via();
        Protocol protocol = new Protocol();
        protocol.setProtocolName(name);
        protocol.setProtocolVersion(version);
        protocol.setTransport(transport);
        via.setSentProtocol(protocol);
        via.setSentBy(sentBy);
        if (!c.viaParameters(via) || !c.atEnd()) {
            return null;
        }
        ViaList list = new ViaList();
        list.add(via);
        return list;
    }

    private static SIPHeader contact(Cursor c) throws Exception {
        Contact contact = new Contact();
        if (address(contact, c) == null) {
            return null;
        }
        ContactList list = new ContactList();
        list.add(contact);
        return list;
    }

    /** {@code [display-name] <sip-uri>;params} or {@code sip-uri;params} (parameters then belong to the header). */
    private static SIPHeader address(AddressParametersHeader header, Cursor c) throws Exception {
        AddressImpl address = new AddressImpl();
        // as the RI decides: the first of < " : / tells a name-addr from a bare URI
        int decisive = Cursor.indexOfAny(c.line, c.pos, "<\":/");
        if (decisive < 0) {
            return null;
        }
        if (c.line.charAt(decisive) == ':' || c.line.charAt(decisive) == '/') {
            SipUri uri = c.sipUri(false);
            if (uri == null) {
                return null;
            }
            address.setAddressType(AddressImpl.ADDRESS_SPEC);
            address.setURI(uri);
            return finishAddress(header, address, c);
        }
        address.setAddressType(AddressImpl.NAME_ADDR);
        char first = c.peek();
        if (first == '"') {
            String display = c.quoted();
            if (display == null) {
                return null;
            }
            c.skipSpaces();
            address.setDisplayName(display.trim());
        } else if (first != '<') {
            String display = c.displayWords();
            if (display == null) {
                return null;
            }
            address.setDisplayName(display.trim());
        }
        if (!c.skip('<')) {
            return null;
        }
        SipUri uri = c.sipUri(true);
        if (uri == null || !c.skip('>')) {
            return null;
        }
        address.setURI(uri);
        return finishAddress(header, address, c);
    }

    private static SIPHeader finishAddress(AddressParametersHeader header, AddressImpl address, Cursor c) {
        header.setAddress(address);
        return c.parameters(header::setParameter) && c.atEnd() ? header : null;
    }

    /** {@code Digest name=value, name="quoted value", ...}. */
    private static SIPHeader credentials(AuthenticationHeader header, Cursor c) throws Exception {
        String scheme = c.token();
        if (scheme == null || !scheme.equalsIgnoreCase("Digest") || !c.skip(' ')) {
            return null;
        }
        header.setScheme(scheme);
        c.skipSpaces();
        while (true) {
            String name = c.token();
            if (name == null) {
                return null;
            }
            c.skipSpaces();
            if (!c.skip('=')) {
                return null;
            }
            c.skipSpaces();
            NameValue parameter;
            if (c.peek() == '"') {
                String value = c.quoted();
                if (value == null) {
                    return null;
                }
                parameter = new NameValue(name, value, false);
                parameter.setQuotedValue();
            } else {
                String value = c.token();
                if (value == null) {
                    return null;
                }
                parameter = new NameValue(name, value, false);
            }
            header.setParameter(parameter);
            c.skipSpaces();
            if (c.atEnd()) {
                return header;
            }
            if (!c.skip(',')) {
                return null;
            }
            c.skipSpaces();
        }
    }

    // --- characters ------------------------------------------------------------------------------

    private static boolean isBlank(char ch) {
        return ch == ' ' || ch == '\t';
    }

    private static boolean printableAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaDigit(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    /**
     * Characters that mean the same in a SIP token, a URI user part, a URI parameter and a host
     * label position-independently: alphanumerics and {@code -_.!~*+}. Deliberately narrower than
     * any of those grammars ({@code %} escapes, quotes and brackets go to the RI).
     */
    private static boolean isPlain(char ch) {
        return isAlphaDigit(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '!' || ch == '~' || ch == '*'
                || ch == '+';
    }

    private static boolean isHostChar(char ch) {
        return isAlphaDigit(ch) || ch == '-' || ch == '.' || ch == '_';
    }

    /** A position in one header line. */
    private static final class Cursor {
        final String line;
        int pos;

        Cursor(String line, int pos) {
            this.line = line;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos == line.length();
        }

        char peek() {
            return pos < line.length() ? line.charAt(pos) : '\0';
        }

        boolean skip(char expected) {
            if (peek() == expected) {
                pos++;
                return true;
            }
            return false;
        }

        void skipSpaces() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
        }

        /** One or more plain characters, or null. */
        String token() {
            int from = pos;
            while (pos < line.length() && isPlain(line.charAt(pos))) {
                pos++;
            }
            return pos > from ? line.substring(from, pos) : null;
        }

        String digits(int max) {
            int from = pos;
            while (pos < line.length() && line.charAt(pos) >= '0' && line.charAt(pos) <= '9') {
                pos++;
            }
            return pos > from && pos - from <= max ? line.substring(from, pos) : null;
        }

        String letters() {
            int from = pos;
            while (pos < line.length() && ((line.charAt(pos) | 0x20) >= 'a' && (line.charAt(pos) | 0x20) <= 'z')) {
                pos++;
            }
            return pos > from ? line.substring(from, pos) : null;
        }

        /** A quoted string without backslash escapes; returns its content. */
        String quoted() {
            if (!skip('"')) {
                return null;
            }
            int close = line.indexOf('"', pos);
            if (close < 0 || line.lastIndexOf('\\', close) >= pos) {
                return null;
            }
            String content = line.substring(pos, close);
            pos = close + 1;
            return content;
        }

        /** An unquoted display name: plain words separated by single spaces, then one space before {@code <}. */
        String displayWords() {
            int from = pos;
            while (pos < line.length()) {
                char ch = line.charAt(pos);
                if (isPlain(ch)) {
                    pos++;
                } else if (ch == ' ' && pos + 1 < line.length()
                        && (isPlain(line.charAt(pos + 1)) || line.charAt(pos + 1) == '<') && pos > from) {
                    pos++;
                } else {
                    break;
                }
            }
            return pos > from && peek() == '<' ? line.substring(from, pos) : null;
        }

        /** {@code host[:port]} with a plain host name or IPv4 address. */
        HostPort hostPort() {
            int from = pos;
            while (pos < line.length() && isHostChar(line.charAt(pos))) {
                pos++;
            }
            if (pos == from || !isAlphaDigit(line.charAt(from))) {
                return null;
            }
            HostPort hostPort = new HostPort();
            hostPort.setHost(new Host(line.substring(from, pos)));
            if (skip(':')) {
                String port = digits(5);
                if (port == null) {
                    return null;
                }
                hostPort.setPort(Integer.parseInt(port));
            }
            return hostPort;
        }

        /** {@code sip:[user@]host[:port]} and, inside angle brackets only, {@code ;name[=value]} parameters. */
        SipUri sipUri(boolean inBrackets) throws Exception {
            String scheme;
            if (line.startsWith("sip:", pos)) {
                scheme = "sip";
                pos += 4;
            } else if (line.startsWith("sips:", pos)) {
                scheme = "sips";
                pos += 5;
            } else {
                return null;
            }
            SipUri uri = new SipUri();
            uri.setScheme(scheme);
            int at = line.indexOf('@', pos);
            int stop = indexOfAny(line, pos, ">;");
            if (at >= 0 && (stop < 0 || at < stop)) {
                String user = token();
                if (user == null || !skip('@')) {
                    return null;
                }
                uri.setUser(user);
            }
            HostPort hostPort = hostPort();
            if (hostPort == null) {
                return null;
            }
            uri.setHostPort(hostPort);
            return !inBrackets || parameters(uri::setUriParameter) ? uri : null;
        }

        /** {@code (;name[=value])*}, each given to {@code sink} in order; false if one is outside the plain subset. */
        boolean parameters(Consumer<NameValue> sink) {
            while (skip(';')) {
                NameValue parameter = parameter();
                if (parameter == null) {
                    return false;
                }
                sink.accept(parameter);
            }
            return true;
        }

        /**
         * Via's {@code (;name[=value])*} as the RI's Via parser builds them: names lower-cased, a
         * flag as a null value (not a flag parameter), and {@code branch} must have a value.
         */
        boolean viaParameters(Via via) {
            while (skip(';')) {
                String name = token();
                if (name == null) {
                    return false;
                }
                name = name.toLowerCase(Locale.ROOT);
                String value = null;
                if (skip('=')) {
                    value = token();
                    if (value == null) {
                        return false;
                    }
                } else if (name.equals(Via.BRANCH)) {
                    return false;
                }
                via.setParameter(new NameValue(name, value));
            }
            return true;
        }

        /** {@code name=value} or the flag {@code name}, both plain. */
        NameValue parameter() {
            String name = token();
            if (name == null) {
                return null;
            }
            if (!skip('=')) {
                return new NameValue(name, "", true);
            }
            String value = token();
            return value == null ? null : new NameValue(name, value, false);
        }

        static int indexOfAny(String s, int from, String chars) {
            for (int i = from; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
