package org.sipauth.server;

import gov.nist.javax.sip.stack.SipauthMessageProcessorFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.sipauth.core.authz.Role;

/**
 * Every setting of the standalone server ({@code sipauth serve}): admin API, store, SIP listener and
 * engine. Build one with {@link #builder()}, which starts from the defaults of {@code serve}, or change
 * one with {@link #toBuilder()}; the constructor normalizes the values (trims, drops blanks) and checks
 * them. {@link SipauthServer} assembles the server from this value, and the CLI ({@link ServeCommand})
 * only maps options and environment variables to it. Optional values are nullable. Messages of
 * {@link IllegalArgumentException} name the {@code serve} option that sets the value, since that is
 * where users meet them.
 *
 * @param adminHost          interface the admin API binds to
 * @param adminPort          admin API port; 0 picks an ephemeral port
 * @param realm              digest realm of every credential's HA1 and of the engine's challenges
 * @param publicUrl          nullable base of absolute {@code url} values (v1), e.g. {@code https://sipauth.example.com};
 *                           null means {@code http://<admin host>:<bound port>}
 * @param accountSid         nullable bootstrap account SID ({@code SIPAUTH_ACCOUNT_SID})
 * @param authToken          nullable bootstrap auth token ({@code SIPAUTH_AUTH_TOKEN}); set together with the SID
 * @param domainSuffix       nullable suffix every trunk and domain name must end with
 * @param store              {@code h2} (embedded H2 in {@code dataDir}), {@code memory}, or a JDBC URL
 *                           ({@code jdbc:postgresql:...} for several nodes, {@code jdbc:h2:...})
 * @param dataDir            directory of the embedded H2 store
 * @param dataKey            nullable AES key of the embedded H2 file ({@code store} h2 only)
 * @param dbUser             nullable database user of a JDBC URL store
 * @param dbPassword         nullable database password of a JDBC URL store
 * @param sipEnabled         false for the admin API alone ({@code --no-sip})
 * @param sipHost            address the SIP listener binds for UDP and TCP
 * @param sipPort            SIP port for UDP and TCP; 0 picks a free one
 * @param sipAdvertisedHost  nullable host (name or address) written into Contact; null: the address each
 *                           request arrived on
 * @param sipAdvertisedPort  port written into Contact; 0: the listening port
 * @param sipRole            UAS (401 + WWW-Authenticate) or proxy (407 + Proxy-Authenticate) challenges
 * @param sipMode            what an authorized INVITE gets
 * @param sipRespondStatus   final response to an authorized INVITE in respond mode, 200..699
 * @param sipRespondMedia    what respond mode's 2xx does with the caller's media
 * @param decisionLog        which decisions are logged
 * @param decisionLogFormat  how each logged decision is written: a text line or a JSON object
 * @param sipStackProperties jain-sip-ri stack properties over sipauth's defaults ({@code javax.sip.*},
 *                           {@code gov.nist.javax.sip.*}, {@code org.sipauth.jainsip.*}; not the stack name)
 * @param sipUdpReaders      sockets (SO_REUSEPORT) and reading threads of the UDP port, 0..64; 0 picks one per 8 cores
 * @param digestAlgorithms   offered digest algorithms, in the order offered (the engine checks the names)
 * @param digestQops         offered and accepted qop values, lower case (the engine checks them)
 * @param throttleMaxFailures failed authentications per source within 60 s before it is refused for 60 s
 * @param nonceSecrets       nonce HMAC secrets of at least 32 characters, distinct, the signing one first;
 *                           empty means a random secret per process
 * @param cacheTtl           backstop expiry of cached HA1 tables, at least 1 s
 * @param sipUpstream        nullable {@code sip:} URI where proxy and redirect mode send calls of targets
 *                           without destinations of their own
 * @param sipRecordRoute     proxy mode: Record-Route, so in-dialog requests come back through the proxy
 * @param sipUpstreamTimeout proxy mode: how long a destination may stay silent before the next is tried
 */
public record ServerConfig(String adminHost, int adminPort, String realm, String publicUrl,
                           String accountSid, String authToken, String domainSuffix,
                           String store, Path dataDir, String dataKey, String dbUser, String dbPassword,
                           boolean sipEnabled, String sipHost, int sipPort, String sipAdvertisedHost,
                           int sipAdvertisedPort, Role sipRole, SipMode sipMode,
                           int sipRespondStatus, RespondMedia sipRespondMedia, DecisionLog decisionLog,
                           DecisionLogFormat decisionLogFormat, Map<String, String> sipStackProperties,
                           int sipUdpReaders, List<String> digestAlgorithms, List<String> digestQops,
                           int throttleMaxFailures, List<String> nonceSecrets, Duration cacheTtl,
                           String sipUpstream, boolean sipRecordRoute, Duration sipUpstreamTimeout) {

    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 8080;
    public static final String DEFAULT_REALM = "sipauth";

    /**
     * What an authorized INVITE gets: a response of sipauth's own ({@code respond}), forwarding to
     * the target's destination ({@code proxy}), or a 302 naming it ({@code redirect}).
     */
    public enum SipMode { respond, proxy, redirect }

    /**
     * Which decisions get a line in the {@code org.sipauth.decisions} log: all of them, the
     * rejections (everything but accepted requests and the routine first challenge of a request
     * without credentials), or none.
     */
    public enum DecisionLog { all, rejections, none }

    /**
     * How a logged decision is written: {@code key=value} text on logger {@code org.sipauth.decisions},
     * or one JSON object per line on logger {@code org.sipauth.decisions.json}, whose built-in
     * appender writes the message alone, so that every line is a whole JSON document.
     */
    public enum DecisionLogFormat { text, json }

    /**
     * What respond mode's 2xx does with the caller's media: decline every stream (the phone ends
     * the call at once), or hold the first audio stream inactive (the call stays up, no media).
     */
    public enum RespondMedia { decline, inactive }

    /** Normalizes and checks every setting; throws IllegalArgumentException with a user-facing message. */
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
        store = checkStore(store);
        Objects.requireNonNull(dataDir, "dataDir");
        dataKey = dataKey == null || dataKey.isEmpty() ? null : dataKey; // an empty variable means none
        if (dataKey != null && !store.equalsIgnoreCase("h2")) {
            throw new IllegalArgumentException("--data-key applies to --store h2 only");
        }
        Objects.requireNonNull(sipHost, "sipHost");
        sipAdvertisedHost = blankToNull(sipAdvertisedHost);
        if (sipAdvertisedHost != null && !sipAdvertisedHost.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            throw new IllegalArgumentException("--sip-advertised-host must be a host name or an address, not "
                    + sipAdvertisedHost);
        }
        if (sipAdvertisedPort < 0 || sipAdvertisedPort > 65535) {
            throw new IllegalArgumentException("--sip-advertised-port must be 0..65535, not " + sipAdvertisedPort);
        }
        Objects.requireNonNull(sipMode, "sipMode");
        if (sipRole == null) {
            sipRole = sipMode == SipMode.proxy ? Role.PROXY : Role.UAS; // a proxy challenges with 407
        }
        sipUpstream = checkUpstream(blankToNull(sipUpstream));
        Objects.requireNonNull(sipUpstreamTimeout, "sipUpstreamTimeout");
        Objects.requireNonNull(decisionLog, "decisionLog");
        Objects.requireNonNull(decisionLogFormat, "decisionLogFormat");
        Objects.requireNonNull(sipRespondMedia, "sipRespondMedia");
        sipStackProperties = checkStackProperties(sipStackProperties);
        if (sipUdpReaders < 0 || sipUdpReaders > 64) {
            throw new IllegalArgumentException("--sip-udp-readers must be 0..64, not " + sipUdpReaders);
        }
        digestAlgorithms = digestAlgorithms.stream().map(String::trim).toList();
        digestQops = digestQops.stream().map(q -> q.trim().toLowerCase(Locale.ROOT)).toList();
        nonceSecrets = checkNonceSecrets(nonceSecrets);
        if (cacheTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--cache-ttl must be at least 1 second, not " + cacheTtl.toSeconds());
        }
        // checks the port, the respond status and the forwarding settings
        sipListener(sipHost, sipPort, sipRole, sipRespondStatus, sipStackProperties, sipUdpReaders, sipAdvertisedHost,
                sipAdvertisedPort, sipRespondMedia);
        forwarding(sipMode, sipUpstream, sipRecordRoute, sipUpstreamTimeout, nonceSecrets, realm);
    }

    private static SipServer.Forwarding forwarding(SipMode mode, String upstream, boolean recordRoute, Duration timeout,
                                                   List<String> nonceSecrets, String realm) {
        // Record-Routes are signed with a key derived from the signing nonce secret: nodes that share
        // it accept each other's routes, and routes survive a restart.
        return new SipServer.Forwarding(mode, upstream, recordRoute, timeout,
                nonceSecrets.isEmpty() ? null : nonceSecrets.get(0), realm);
    }

    /** A {@code sip:} URI as {@code --upstream} takes it, or null; throws with a user-facing message. */
    private static String checkUpstream(String upstream) {
        if (upstream == null) {
            return null;
        }
        try {
            if (new gov.nist.javax.sip.address.AddressFactoryImpl().createURI(upstream) instanceof javax.sip.address.SipURI uri
                    && !uri.isSecure() && HopResolver.transportOf(uri) != null) {
                return upstream;
            }
        } catch (java.text.ParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("--upstream must be sip:host[:port][;transport=udp|tcp], not " + upstream);
    }

    /** A builder holding every default of {@code serve}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every default: admin API on 127.0.0.1:8080, realm {@value #DEFAULT_REALM}, H2 in ./data, SIP on 0.0.0.0:5060. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return builder().adminHost(adminHost).adminPort(adminPort).realm(realm).publicUrl(publicUrl)
                .account(accountSid, authToken).domainSuffix(domainSuffix).store(store).dataDir(dataDir)
                .dataKey(dataKey).dbCredentials(dbUser, dbPassword).sipEnabled(sipEnabled).sipHost(sipHost)
                .sipPort(sipPort).sipAdvertised(sipAdvertisedHost, sipAdvertisedPort).sipRole(sipRole).sipMode(sipMode).sipRespondStatus(sipRespondStatus).sipRespondMedia(sipRespondMedia)
                .decisionLog(decisionLog).decisionLogFormat(decisionLogFormat).sipStackProperties(sipStackProperties).sipUdpReaders(sipUdpReaders)
                .digestAlgorithms(digestAlgorithms).digestQops(digestQops).throttleMaxFailures(throttleMaxFailures)
                .nonceSecrets(nonceSecrets).cacheTtl(cacheTtl).sipUpstream(sipUpstream).sipRecordRoute(sipRecordRoute)
                .sipUpstreamTimeout(sipUpstreamTimeout);
    }

    /** The SIP listener's settings, with the stack properties and UDP readers as stack overrides. */
    public SipServer.Config sipListener() {
        return sipListener(sipHost, sipPort, sipRole, sipRespondStatus, sipStackProperties, sipUdpReaders,
                sipAdvertisedHost, sipAdvertisedPort, sipRespondMedia)
                .withForwarding(forwarding(sipMode, sipUpstream, sipRecordRoute, sipUpstreamTimeout, nonceSecrets, realm));
    }

    private static SipServer.Config sipListener(String host, int port, Role role, int respondStatus,
                                                Map<String, String> stackProperties, int udpReaders,
                                                String advertisedHost, int advertisedPort, RespondMedia media) {
        Properties overrides = new Properties();
        overrides.putAll(stackProperties);
        if (udpReaders > 0) {
            overrides.setProperty(SipauthMessageProcessorFactory.UDP_READERS, Integer.toString(udpReaders));
        }
        return new SipServer.Config(host, port, role, respondStatus, overrides, advertisedHost, advertisedPort, media);
    }

    private static String checkStore(String store) {
        String kind = Objects.requireNonNull(store, "store").trim();
        String lower = kind.toLowerCase(Locale.ROOT);
        if (!lower.equals("h2") && !lower.equals("memory")
                && !kind.startsWith("jdbc:postgresql:") && !kind.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(
                    "--store must be h2, memory, jdbc:postgresql://... or jdbc:h2:..., not " + kind);
        }
        return kind;
    }

    private static Map<String, String> checkStackProperties(Map<String, String> properties) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey().trim();
            if (!name.startsWith("javax.sip.") && !name.startsWith("gov.nist.javax.sip.")
                    && !name.startsWith("org.sipauth.jainsip.")) {
                throw new IllegalArgumentException("--sip-stack-property takes javax.sip.*, gov.nist.javax.sip.*"
                        + " or org.sipauth.jainsip.* properties, not " + name);
            }
            if (name.equals("javax.sip.STACK_NAME")) {
                throw new IllegalArgumentException("--sip-stack-property cannot change javax.sip.STACK_NAME");
            }
            checked.put(name, e.getValue().trim());
        }
        return Collections.unmodifiableMap(checked);
    }

    /** Drops blanks and repeats, checks length and that no two secrets share a key id. */
    private static List<String> checkNonceSecrets(List<String> secrets) {
        Map<Integer, String> byId = new LinkedHashMap<>();
        for (String raw : secrets) {
            String secret = raw.trim();
            if (secret.isEmpty()) {
                continue;
            }
            if (secret.length() < 32) {
                throw new IllegalArgumentException("--nonce-secret must have at least 32 characters, got "
                        + secret.length());
            }
            int keyId = nonceKeyId(secret);
            String previous = byId.putIfAbsent(keyId, secret);
            if (previous != null && !previous.equals(secret)) {
                throw new IllegalArgumentException("two --nonce-secret values map to the same key id " + keyId
                        + "; replace one of them");
            }
        }
        return List.copyOf(byId.values());
    }

    /**
     * The nonce key id of a secret: derived from the secret, so nodes agree on ids whatever order
     * they list their secrets in (nonces carry the id of their key).
     */
    static int nonceKeyId(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8))[0] & 0xFF;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** What the store setting opens, for the startup banner and errors; never a password. */
    public String describeStore() {
        return switch (store.toLowerCase(Locale.ROOT)) {
            case "memory" -> "memory (nothing survives a restart)";
            case "h2" -> "H2 " + dataDir.toAbsolutePath().normalize().resolve("sipauth.mv.db")
                    + (dataKey == null ? "" : " (AES-encrypted)");
            default -> redact(store);
        };
    }

    /** A URL may carry {@code password=...} as a parameter; keep it off the console. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Never prints the auth token, the data key, a password or a nonce secret. */
    @Override
    public String toString() {
        return "ServerConfig[adminHost=" + adminHost + ", adminPort=" + adminPort + ", realm=" + realm
                + ", publicUrl=" + publicUrl + ", accountSid=" + accountSid
                + ", authToken=" + redacted(authToken) + ", domainSuffix=" + domainSuffix
                + ", store=" + redact(store) + ", dataDir=" + dataDir + ", dataKey=" + redacted(dataKey)
                + ", dbUser=" + dbUser + ", dbPassword=" + redacted(dbPassword)
                + ", sipEnabled=" + sipEnabled + ", sipHost=" + sipHost + ", sipPort=" + sipPort
                + ", sipAdvertisedHost=" + sipAdvertisedHost + ", sipAdvertisedPort=" + sipAdvertisedPort
                + ", sipRole=" + sipRole + ", sipMode=" + sipMode + ", sipRespondStatus=" + sipRespondStatus + ", sipRespondMedia=" + sipRespondMedia
                + ", sipUpstream=" + sipUpstream + ", sipRecordRoute=" + sipRecordRoute + ", sipUpstreamTimeout=" + sipUpstreamTimeout
                + ", decisionLog=" + decisionLog + ", decisionLogFormat=" + decisionLogFormat
                + ", sipStackProperties=" + sipStackProperties
                + ", sipUdpReaders=" + sipUdpReaders + ", digestAlgorithms=" + digestAlgorithms
                + ", digestQops=" + digestQops + ", throttleMaxFailures=" + throttleMaxFailures
                + ", nonceSecrets=" + nonceSecrets.size() + " redacted, cacheTtl=" + cacheTtl + "]";
    }

    private static String redacted(String secret) {
        return secret == null ? null : "redacted";
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

    /**
     * Builds a {@link ServerConfig}; starts from the defaults of {@code serve}. The setters only
     * record values; {@link #build()} normalizes and checks them. Not thread-safe.
     */
    public static final class Builder {

        private String adminHost = DEFAULT_ADMIN_HOST;
        private int adminPort = DEFAULT_ADMIN_PORT;
        private String realm = DEFAULT_REALM;
        private String publicUrl;
        private String accountSid;
        private String authToken;
        private String domainSuffix;
        private String store = "h2";
        private Path dataDir = Path.of("data");
        private String dataKey;
        private String dbUser;
        private String dbPassword;
        private boolean sipEnabled = true;
        private String sipHost = "0.0.0.0";
        private int sipPort = 5060;
        private String sipAdvertisedHost;
        private int sipAdvertisedPort;
        private Role sipRole;
        private SipMode sipMode = SipMode.respond;
        private String sipUpstream;
        private boolean sipRecordRoute = true;
        private Duration sipUpstreamTimeout = Duration.ofSeconds(5);
        private int sipRespondStatus = 200;
        private RespondMedia sipRespondMedia = RespondMedia.decline;
        private DecisionLog decisionLog = DecisionLog.all;
        private DecisionLogFormat decisionLogFormat = DecisionLogFormat.text;
        private Map<String, String> sipStackProperties = Map.of();
        private int sipUdpReaders;
        private List<String> digestAlgorithms = List.of("MD5");
        private List<String> digestQops = List.of("auth");
        private int throttleMaxFailures = 10;
        private List<String> nonceSecrets = List.of();
        private Duration cacheTtl = Duration.ofSeconds(600);

        private Builder() {
        }

        /** Interface of the admin API (default {@value #DEFAULT_ADMIN_HOST}). */
        public Builder adminHost(String host) {
            this.adminHost = host;
            return this;
        }

        /** Port of the admin API, 0 for an ephemeral one (default {@value #DEFAULT_ADMIN_PORT}). */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** Digest realm (default {@value #DEFAULT_REALM}); changing it invalidates stored credentials. */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /** Base of absolute URLs in v1 responses; null or blank for {@code http://<admin host>:<port>}. */
        public Builder publicUrl(String url) {
            this.publicUrl = url;
            return this;
        }

        /** The bootstrap account, both null or blank for none: ensured at start with this token. */
        public Builder account(String sid, String token) {
            this.accountSid = sid;
            this.authToken = token;
            return this;
        }

        /** Suffix every trunk and domain name must end with; null or blank for any host name. */
        public Builder domainSuffix(String suffix) {
            this.domainSuffix = suffix;
            return this;
        }

        /** {@code h2} (the default), {@code memory}, or a JDBC URL. */
        public Builder store(String store) {
            this.store = store;
            return this;
        }

        /** Directory of the embedded H2 store (default {@code ./data}). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** AES key of the embedded H2 file; null or empty for none (the default). */
        public Builder dataKey(String key) {
            this.dataKey = key;
            return this;
        }

        /** User and password of a JDBC URL store; nullable. */
        public Builder dbCredentials(String user, String password) {
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        /** False: admin API only, no SIP listener (default true). */
        public Builder sipEnabled(boolean enabled) {
            this.sipEnabled = enabled;
            return this;
        }

        /** Address the SIP listener binds (default 0.0.0.0). */
        public Builder sipHost(String host) {
            this.sipHost = host;
            return this;
        }

        /** SIP port for UDP and TCP, 0 picks a free one (default 5060). */
        public Builder sipPort(int port) {
            this.sipPort = port;
            return this;
        }

        /**
         * Host and port written into Contact (NAT, containers, load balancers); null and 0 (the
         * defaults) mean the address each request arrived on and the listening port.
         */
        public Builder sipAdvertised(String host, int port) {
            this.sipAdvertisedHost = host;
            this.sipAdvertisedPort = port;
            return this;
        }

        /** UAS or proxy challenges (default: proxy in proxy mode, else UAS). */
        public Builder sipRole(Role role) {
            this.sipRole = role;
            return this;
        }

        /** Proxy and redirect mode: where targets without destinations of their own send calls (default none). */
        public Builder sipUpstream(String upstream) {
            this.sipUpstream = upstream;
            return this;
        }

        /** Proxy mode: Record-Route (default true). */
        public Builder sipRecordRoute(boolean recordRoute) {
            this.sipRecordRoute = recordRoute;
            return this;
        }

        /** Proxy mode: how long a destination may stay silent before the next is tried (default 5 s). */
        public Builder sipUpstreamTimeout(Duration timeout) {
            this.sipUpstreamTimeout = timeout;
            return this;
        }

        /** What an authorized INVITE gets (default {@code respond}). */
        public Builder sipMode(SipMode mode) {
            this.sipMode = mode;
            return this;
        }

        /** Final response to an authorized INVITE in respond mode (default 200). */
        public Builder sipRespondStatus(int status) {
            this.sipRespondStatus = status;
            return this;
        }

        /** What respond mode's 2xx does with the caller's media (default decline). */
        public Builder sipRespondMedia(RespondMedia media) {
            this.sipRespondMedia = media;
            return this;
        }

        /** Which decisions are logged (default all). */
        public Builder decisionLog(DecisionLog which) {
            this.decisionLog = which;
            return this;
        }

        /** How logged decisions are written (default text). */
        public Builder decisionLogFormat(DecisionLogFormat format) {
            this.decisionLogFormat = format;
            return this;
        }

        /** jain-sip-ri stack properties over sipauth's defaults (default none). */
        public Builder sipStackProperties(Map<String, String> properties) {
            this.sipStackProperties = properties;
            return this;
        }

        /** Sockets and reading threads of the UDP port (default 0: one per 8 cores). */
        public Builder sipUdpReaders(int readers) {
            this.sipUdpReaders = readers;
            return this;
        }

        /** Offered digest algorithms, strongest first (default SHA-256, MD5). */
        public Builder digestAlgorithms(List<String> algorithms) {
            this.digestAlgorithms = algorithms;
            return this;
        }

        /** qop values offered and accepted: auth, auth-int or both (default auth). */
        public Builder digestQops(List<String> qops) {
            this.digestQops = qops;
            return this;
        }

        /** Failed authentications per source within 60 s before it is refused for 60 s (default 10). */
        public Builder throttleMaxFailures(int maxFailures) {
            this.throttleMaxFailures = maxFailures;
            return this;
        }

        /** Nonce HMAC secrets, the first signs; none (the default) means a random secret per process. */
        public Builder nonceSecrets(List<String> secrets) {
            this.nonceSecrets = secrets;
            return this;
        }

        /** Backstop expiry of cached HA1 tables (default 600 s). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException for a value out of range or settings that do not fit
         *                                  together (user-facing message naming the option)
         */
        public ServerConfig build() {
            return new ServerConfig(adminHost, adminPort, realm, publicUrl, accountSid, authToken, domainSuffix,
                    store, dataDir, dataKey, dbUser, dbPassword, sipEnabled, sipHost, sipPort, sipAdvertisedHost,
                    sipAdvertisedPort, sipRole, sipMode,
                    sipRespondStatus, sipRespondMedia, decisionLog, decisionLogFormat, sipStackProperties, sipUdpReaders,
                    digestAlgorithms, digestQops,
                    throttleMaxFailures, nonceSecrets, cacheTtl, sipUpstream, sipRecordRoute, sipUpstreamTimeout);
        }
    }
}
