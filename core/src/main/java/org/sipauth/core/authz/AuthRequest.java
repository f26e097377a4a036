package org.sipauth.core.authz;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The facts of one SIP request that any SIP stack can supply.
 *
 * @param method          the SIP method, e.g. {@code INVITE}
 * @param requestUri      the Request-URI exactly as received (the digest {@code uri} must equal it)
 * @param requestUriHost  the host part of the Request-URI (no port, any case)
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

    /** The message body, needed only for {@code qop=auth-int}. Not copied: callers must not mutate it. */
    public record Body(byte[] bytes) {
        public static final Body EMPTY = new Body(new byte[0]);

        public Body {
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
