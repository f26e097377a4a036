package org.sipauth.jainsip;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.Role;

/** Reads the facts the engine needs out of a JAIN-SIP request. Stateless. */
final class AuthRequests {

    static final InetAddress UNKNOWN_SOURCE;

    static {
        try {
            UNKNOWN_SOURCE = InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AuthRequests() {
    }

    static AuthRequest from(RequestEvent event, Role role) {
        return from(event.getRequest(), source(event), role);
    }

    /** The facts of {@code request}, received from {@code source} (the packet's address). */
    static AuthRequest from(Request request, InetAddress source, Role role) {
        WireText wire = request instanceof SIPMessage m && m.getApplicationData() instanceof WireText w ? w : null;
        URI uri = request.getRequestURI();
        String requestUri = wire != null ? wire.requestUri : uri.toString();
        String host = uri instanceof SipURI sip && sip.getHost() != null ? hostOf(sip.getHost()) : "";
        List<String> credentials = wire != null
                ? (role == Role.UAS ? wire.authorization : wire.proxyAuthorization)
                : parsedCredentials(request, role);
        byte[] body = request.getRawContent();
        return new AuthRequest(request.getMethod(), requestUri, host, source, transport(request),
                credentials, role, body == null ? null : new AuthRequest.Body(body));
    }

    /** Lowercase, without IPv6 brackets. */
    private static String hostOf(String host) {
        if (host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            host = host.substring(1, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** The packet's source: what the transport saw, never what the Via claims. */
    static InetAddress source(RequestEvent event) {
        if (event.getRequest() instanceof SIPMessage m && m.getRemoteAddress() != null) {
            return m.getRemoteAddress();
        }
        if (event instanceof RequestEventExt ext && ext.getRemoteIpAddress() != null) {
            String ip = ext.getRemoteIpAddress();
            // Only a literal is accepted: InetAddress.getByName would resolve a name through DNS.
            if (!ip.isEmpty() && (Character.digit(ip.charAt(0), 16) >= 0 || ip.charAt(0) == '[' || ip.charAt(0) == ':')) {
                try {
                    return InetAddress.getByName(ip);
                } catch (UnknownHostException | SecurityException e) {
                    return UNKNOWN_SOURCE;
                }
            }
        }
        return UNKNOWN_SOURCE;
    }

    static String transport(Request request) {
        if (request instanceof SIPRequest sip && sip.getMessageChannel() instanceof MessageChannel channel
                && channel.getTransport() != null) {
            return channel.getTransport().toUpperCase(Locale.ROOT);
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getTransport() == null ? "UDP" : via.getTransport().toUpperCase(Locale.ROOT);
    }

    /** Fallback when the stack was not configured with {@link WireTextParserFactory}. */
    private static List<String> parsedCredentials(Request request, Role role) {
        String name = role == Role.UAS ? AuthorizationHeader.NAME : ProxyAuthorizationHeader.NAME;
        List<String> values = new ArrayList<>(1);
        for (Iterator<?> it = request.getHeaders(name); it.hasNext(); ) {
            Object header = it.next();
            if (header instanceof gov.nist.javax.sip.header.SIPHeader sipHeader) {
                values.add(sipHeader.getHeaderValue());
            } else if (header instanceof Header h) {
                String text = h.toString();
                values.add(text.substring(text.indexOf(':') + 1).strip());
            }
        }
        // Headers the RI could not parse are kept as unparsed text; the engine judges them (400).
        if (request instanceof SIPMessage m) {
            for (ListIterator<String> it = m.getUnrecognizedHeaders(); it.hasNext(); ) {
                String line = it.next();
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).strip());
                }
            }
        }
        return values;
    }

    /**
     * The username claimed in the first credential, for the decision log only: bounded length and
     * printable characters, so a hostile value cannot forge log lines.
     */
    static String claimedUsername(List<String> credentials) {
        if (credentials.isEmpty()) {
            return "";
        }
        String value = credentials.get(0);
        int at = indexOfParameter(value, "username");
        if (at < 0) {
            return "";
        }
        int i = at;
        boolean quoted = i < value.length() && value.charAt(i) == '"';
        if (quoted) {
            i++;
        }
        StringBuilder out = new StringBuilder();
        while (i < value.length() && out.length() < 64) {
            char c = value.charAt(i++);
            if (quoted ? c == '"' : (c == ',' || c == ' ')) {
                break;
            }
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    /** Index just after {@code name=} (optional whitespace around '='), or -1. */
    private static int indexOfParameter(String value, String name) {
        int from = 0;
        while (true) {
            int i = indexOfIgnoreCase(value, name, from);
            if (i < 0) {
                return -1;
            }
            boolean boundary = i == 0 || value.charAt(i - 1) == ' ' || value.charAt(i - 1) == ','
                    || value.charAt(i - 1) == '\t';
            int j = i + name.length();
            while (j < value.length() && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
                j++;
            }
            if (boundary && j < value.length() && value.charAt(j) == '=') {
                j++;
                while (j < value.length() && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
                    j++;
                }
                return j;
            }
            from = i + 1;
        }
    }

    private static int indexOfIgnoreCase(String value, String name, int from) {
        for (int i = from; i + name.length() <= value.length(); i++) {
            if (value.regionMatches(true, i, name, 0, name.length())) {
                return i;
            }
        }
        return -1;
    }
}
