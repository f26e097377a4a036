package org.sipauth.core.authz;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The facts of one SIP request that any SIP stack can supply. Build one with {@link #builder()};
 * the canonical constructor is for callers that already hold every component (the JAIN-SIP adapter
 * has the host from its parsed Request-URI).
 *
 * <pre>{@code
 * AuthRequest request = AuthRequest.builder()
 *         .method("INVITE")
 *         .requestUri("sip:+15550001@pbx.example.com;transport=udp")   // host pbx.example.com
 *         .source(packetSourceAddress)
 *         .credentials(authorizationHeaderValues)
 *         .build();
 * }</pre>
 *
 * @param method          the SIP method, e.g. {@code INVITE}
 * @param requestUri      the Request-URI exactly as received (the digest {@code uri} must equal it)
 * @param requestUriHost  the host part of the Request-URI (no port, any case; an IPv6 address
 *                        without brackets); empty when it has none, which no target owns
 * @param source          the packet's source address
 * @param transport       {@code UDP}, {@code TCP}, {@code TLS}, …
 * @param credentials     the Authorization (UAS) or Proxy-Authorization (proxy) header values, in order
 * @param role            UAS or proxy
 * @param body            the message body (only read for {@code qop=auth-int}); null means empty
 */
public record AuthRequest(String method, String requestUri, String requestUriHost, InetAddress source,
                          String transport, List<String> credentials, Role role, Body body) {

    public AuthRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(requestUriHost, "requestUriHost");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(transport, "transport");
        credentials = List.copyOf(credentials);
        Objects.requireNonNull(role, "role");
        body = body == null ? Body.EMPTY : body;
    }

    /**
     * A builder: {@link Builder#method}, {@link Builder#requestUri} and {@link Builder#source} are
     * required; the host comes from the Request-URI unless given; transport UDP, role UAS, no
     * credentials and an empty body by default.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The host of a {@code sip:} or {@code sips:} URI (scheme in any case): after the user part (up
     * to the first {@code @}), before a {@code :port}, {@code ;parameters} or {@code ?headers};
     * lowercase, an IPv6 reference without its brackets. Empty for any other URI or a URI without
     * a host. No regex; one pass.
     */
    static String hostOf(String uri) {
        int start;
        if (uri.regionMatches(true, 0, "sip:", 0, 4)) {
            start = 4;
        } else if (uri.regionMatches(true, 0, "sips:", 0, 5)) {
            start = 5;
        } else {
            return "";
        }
        int at = uri.indexOf('@', start);
        if (at >= 0) {
            start = at + 1;
        }
        int end;
        if (start < uri.length() && uri.charAt(start) == '[') {
            end = uri.indexOf(']', start);
            if (end < 0) {
                return "";
            }
            return uri.substring(start + 1, end).toLowerCase(Locale.ROOT);
        }
        end = start;
        while (end < uri.length()) {
            char c = uri.charAt(end);
            if (c == ':' || c == ';' || c == '?' || c <= ' ') {
                break;
            }
            end++;
        }
        return uri.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /** The message body, needed only for {@code qop=auth-int}. Not copied: callers must not mutate it. */
    public record Body(byte[] bytes) {
        public static final Body EMPTY = new Body(new byte[0]);

        public Body {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Builds an {@link AuthRequest}; setters reject null, {@link #build} checks that the required facts are there. */
    public static final class Builder {
        private String method;
        private String requestUri;
        private String requestUriHost;
        private InetAddress source;
        private String transport = "UDP";
        private List<String> credentials = List.of();
        private Role role = Role.UAS;
        private Body body = Body.EMPTY;

        private Builder() {
        }

        /** Required: the SIP method, e.g. {@code INVITE} ({@code REGISTER} uses a domain's registration mappings). */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** Required: the Request-URI exactly as received; the digest {@code uri} is compared with it. */
        public Builder requestUri(String requestUri) {
            this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
            return this;
        }

        /** The Request-URI's host, when the SIP stack has it parsed already; default: read from the Request-URI. */
        public Builder requestUriHost(String host) {
            this.requestUriHost = Objects.requireNonNull(host, "requestUriHost");
            return this;
        }

        /** Required: the packet's source address (never a Via value). */
        public Builder source(InetAddress source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** {@code UDP} (default), {@code TCP}, {@code TLS}, … */
        public Builder transport(String transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The Authorization (UAS) or Proxy-Authorization (proxy) header values, in order; default none. */
        public Builder credentials(List<String> values) {
            this.credentials = List.copyOf(values);
            return this;
        }

        /** The Authorization (UAS) or Proxy-Authorization (proxy) header values, in order; default none. */
        public Builder credentials(String... values) {
            return credentials(List.of(values));
        }

        /** UAS (default: 401 challenges, Authorization) or proxy (407, Proxy-Authorization). */
        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** The message body, read only for {@code qop=auth-int}; not copied. Default empty. */
        public Builder body(byte[] body) {
            this.body = new Body(body);
            return this;
        }

        /** The request; the host is read from the Request-URI when none was given. */
        public AuthRequest build() {
            if (method == null) {
                throw new IllegalStateException("method is required");
            }
            if (requestUri == null) {
                throw new IllegalStateException("requestUri is required");
            }
            if (source == null) {
                throw new IllegalStateException("source is required");
            }
            String host = requestUriHost != null ? requestUriHost : hostOf(requestUri);
            return new AuthRequest(method, requestUri, host, source, transport, credentials, role, body);
        }
    }
}
