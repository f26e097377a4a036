package org.sipauth.server;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the standalone server. Optional values are nullable. Add new settings (SIP
 * listener, store) as further components with defaults in {@link #defaults()}.
 *
 * @param adminHost     interface the admin API binds to
 * @param adminPort     admin API port; 0 picks an ephemeral port
 * @param realm         digest realm of every credential's HA1
 * @param publicUrl     nullable base of absolute {@code url} values (v1), e.g. {@code https://sipauth.example.com};
 *                      null means {@code http://<admin host>:<bound port>}
 * @param accountSid    nullable bootstrap account SID ({@code SIPAUTH_ACCOUNT_SID})
 * @param authToken     nullable bootstrap auth token ({@code SIPAUTH_AUTH_TOKEN}); set together with the SID
 * @param domainSuffix  nullable suffix every trunk and domain name must end with
 */
public record ServerConfig(String adminHost, int adminPort, String realm, String publicUrl,
                           String accountSid, String authToken, String domainSuffix) {

    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 8080;
    public static final String DEFAULT_REALM = "sipauth";

    public ServerConfig {
        Objects.requireNonNull(adminHost, "adminHost");
        if (adminHost.isBlank()) {
            throw new IllegalArgumentException("admin host must not be empty");
        }
        if (adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("admin port must be 0..65535: " + adminPort);
        }
        Objects.requireNonNull(realm, "realm");
        publicUrl = blankToNull(publicUrl);
        if (publicUrl != null) {
            publicUrl = normalizePublicUrl(publicUrl);
        }
        accountSid = blankToNull(accountSid);
        authToken = blankToNull(authToken);
        if ((accountSid == null) != (authToken == null)) {
            throw new IllegalArgumentException("SIPAUTH_ACCOUNT_SID and SIPAUTH_AUTH_TOKEN must be set together");
        }
        domainSuffix = blankToNull(domainSuffix);
    }

    /** Every default: 127.0.0.1:8080, realm {@value #DEFAULT_REALM}, no bootstrap account. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_ADMIN_HOST, DEFAULT_ADMIN_PORT, DEFAULT_REALM, null, null, null, null);
    }

    public ServerConfig withAdminPort(int port) {
        return new ServerConfig(adminHost, port, realm, publicUrl, accountSid, authToken, domainSuffix);
    }

    public ServerConfig withPublicUrl(String url) {
        return new ServerConfig(adminHost, adminPort, realm, url, accountSid, authToken, domainSuffix);
    }

    public ServerConfig withAccount(String sid, String token) {
        return new ServerConfig(adminHost, adminPort, realm, publicUrl, sid, token, domainSuffix);
    }

    public ServerConfig withRealm(String newRealm) {
        return new ServerConfig(adminHost, adminPort, newRealm, publicUrl, accountSid, authToken, domainSuffix);
    }

    /** Never prints the auth token. */
    @Override
    public String toString() {
        return "ServerConfig[adminHost=" + adminHost + ", adminPort=" + adminPort + ", realm=" + realm
                + ", publicUrl=" + publicUrl + ", accountSid=" + accountSid
                + ", authToken=" + (authToken == null ? null : "redacted") + ", domainSuffix=" + domainSuffix + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** An absolute http(s) URL without query, fragment or trailing slash. */
    static String normalizePublicUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("public URL is not a valid URL: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("public URL must be an absolute http(s) URL without query: " + value);
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
