package org.sipauth.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sipauth.core.authz.Role;
import picocli.CommandLine.Option;

/**
 * The options of the SIP listener and the engine, as a picocli mixin of {@code sipauth serve}: they
 * only map to {@link ServerConfig} ({@link #applyTo}).
 */
final class SipListenerOptions {

    @Option(names = "--sip-host", defaultValue = "${env:SIPAUTH_SIP_HOST:-0.0.0.0}", paramLabel = "ADDRESS",
            description = "Address the SIP listener binds for UDP and TCP (env SIPAUTH_SIP_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--sip-port", defaultValue = "${env:SIPAUTH_SIP_PORT:-5060}", paramLabel = "PORT",
            description = "SIP port for UDP and TCP; 0 picks a free one (env SIPAUTH_SIP_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--sip-advertised-host", defaultValue = "${env:SIPAUTH_SIP_ADVERTISED_HOST}", paramLabel = "HOST",
            description = "Host or address written into Contact, for NAT, containers and load balancers (env"
                    + " SIPAUTH_SIP_ADVERTISED_HOST; default: the address each request arrived on).")
    String advertisedHost;

    @Option(names = "--sip-advertised-port", defaultValue = "${env:SIPAUTH_SIP_ADVERTISED_PORT:-0}", paramLabel = "PORT",
            description = "Port written into Contact (env SIPAUTH_SIP_ADVERTISED_PORT; default: the SIP port).")
    int advertisedPort;

    @Option(names = "--sip-role", defaultValue = "${env:SIPAUTH_SIP_ROLE}", paramLabel = "uas|proxy",
            description = "uas: 401 + WWW-Authenticate; proxy: 407 + Proxy-Authenticate (env SIPAUTH_SIP_ROLE;"
                    + " default: proxy in proxy mode, else uas).")
    String role;

    @Option(names = "--sip-mode", defaultValue = "${env:SIPAUTH_SIP_MODE:-respond}", paramLabel = "respond|proxy|redirect",
            description = "What an authorized INVITE gets: respond (a response of sipauth's own, see --sip-respond-status),"
                    + " proxy (forwarded to its trunk's or domain's destination), redirect (a 302 naming it)"
                    + " (env SIPAUTH_SIP_MODE; default ${DEFAULT-VALUE}).")
    ServerConfig.SipMode mode;

    @Option(names = "--upstream", defaultValue = "${env:SIPAUTH_UPSTREAM}", paramLabel = "URI",
            description = "Proxy and redirect mode: where calls go whose trunk or domain has no destination of its own,"
                    + " sip:host[:port][;transport=udp|tcp] (env SIPAUTH_UPSTREAM; default none: such calls get 480).")
    String upstream;

    @Option(names = "--record-route", defaultValue = "${env:SIPAUTH_RECORD_ROUTE:-true}", paramLabel = "true|false",
            arity = "1", description = "Proxy mode: add Record-Route, so in-dialog requests (ACK, BYE, re-INVITE) pass"
                    + " through the proxy (env SIPAUTH_RECORD_ROUTE; default ${DEFAULT-VALUE}).")
    boolean recordRoute;

    @Option(names = "--upstream-timeout", defaultValue = "${env:SIPAUTH_UPSTREAM_TIMEOUT:-5000}", paramLabel = "MILLIS",
            description = "Proxy mode: how long a destination may stay silent (not even 100 Trying) before the next one is"
                    + " tried, 100..32000 ms (env SIPAUTH_UPSTREAM_TIMEOUT; default ${DEFAULT-VALUE}).")
    long upstreamTimeoutMillis;

    @Option(names = "--sip-respond-status", defaultValue = "${env:SIPAUTH_SIP_RESPOND_STATUS:-200}", paramLabel = "CODE",
            description = "Final response to an authorized INVITE in respond mode, 200..699 (env SIPAUTH_SIP_RESPOND_STATUS; default ${DEFAULT-VALUE}).")
    int respondStatus;

    @Option(names = "--sip-respond-media", defaultValue = "${env:SIPAUTH_SIP_RESPOND_MEDIA:-decline}", paramLabel = "MODE",
            description = "SDP of respond mode's 2xx: decline (every stream port 0; phones end the call at once) or"
                    + " inactive (the first audio stream accepted with a=inactive; the call stays up) (env"
                    + " SIPAUTH_SIP_RESPOND_MEDIA; default ${DEFAULT-VALUE}).")
    ServerConfig.RespondMedia respondMedia;

    @Option(names = "--decision-log", defaultValue = "${env:SIPAUTH_DECISION_LOG:-all}", paramLabel = "all|rejections|none",
            description = "Which decisions are logged, one line each: all; rejections (not accepted requests and not"
                    + " the first challenge of a request without credentials: two lines fewer per call); none"
                    + " (env SIPAUTH_DECISION_LOG; default ${DEFAULT-VALUE}).")
    ServerConfig.DecisionLog decisionLog;

    @Option(names = "--decision-log-format", defaultValue = "${env:SIPAUTH_DECISION_LOG_FORMAT:-text}",
            paramLabel = "text|json",
            description = "How each decision is logged: a key=value line, or one JSON object per line for log"
                    + " collectors (env SIPAUTH_DECISION_LOG_FORMAT; default ${DEFAULT-VALUE}).")
    ServerConfig.DecisionLogFormat decisionLogFormat;

    @Option(names = "--sip-stack-property", paramLabel = "NAME=VALUE",
            description = "A jain-sip-ri stack property (javax.sip.*, gov.nist.javax.sip.*, or sipauth's own"
                    + " org.sipauth.jainsip.*, e.g. the TCP limits) over sipauth's defaults, e.g."
                    + " gov.nist.javax.sip.THREAD_POOL_SIZE=8; repeatable. See the stack defaults in docs/sip.md"
                    + " before changing one.")
    Map<String, String> stackProperties;

    @Option(names = "--sip-udp-readers", defaultValue = "${env:SIPAUTH_SIP_UDP_READERS:-0}", paramLabel = "N",
            description = "Sockets (SO_REUSEPORT) and reading threads for the UDP port; 0 picks one per 8 cores"
                    + " (env SIPAUTH_SIP_UDP_READERS; default ${DEFAULT-VALUE}).")
    int udpReaders;

    @Option(names = "--no-sip", description = "Do not start the SIP listener (admin API only).")
    boolean disabled;

    @Option(names = "--digest-algorithms", split = ",", paramLabel = "ALG",
            defaultValue = "${env:SIPAUTH_DIGEST_ALGORITHMS:-MD5}",
            description = "Offered digest algorithms, one challenge header each, in the order given: MD5, MD5-sess,"
                    + " SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess (env SIPAUTH_DIGEST_ALGORITHMS;"
                    + " default ${DEFAULT-VALUE}). Many phones read only the first header or need MD5 there;"
                    + " see docs/interop.md.")
    List<String> digestAlgorithms;

    @Option(names = "--digest-qop", split = ",", paramLabel = "QOP", defaultValue = "${env:SIPAUTH_DIGEST_QOP:-auth}",
            description = "qop values offered in challenges and accepted in credentials: auth, auth-int (the body is"
                    + " hashed too, so it cannot be altered in transit), or both, e.g. auth-int,auth"
                    + " (env SIPAUTH_DIGEST_QOP; default ${DEFAULT-VALUE}).")
    List<String> digestQops;

    @Option(names = "--throttle-max-failures", paramLabel = "N",
            defaultValue = "${env:SIPAUTH_THROTTLE_MAX_FAILURES:-10}",
            description = "Failed authentications per source address within 60 s before that source is refused"
                    + " (403) for 60 s (env SIPAUTH_THROTTLE_MAX_FAILURES; default ${DEFAULT-VALUE}).")
    int throttleMaxFailures;

    @Option(names = "--nonce-secret", split = ",", paramLabel = "SECRET", defaultValue = "${env:SIPAUTH_NONCE_SECRET}",
            description = "Secret(s) of the nonce HMAC, at least 32 characters each (e.g. `openssl rand -hex 32`)."
                    + " Nodes that share a secret accept each other's challenges. Several, comma-separated, for"
                    + " rotation: the first signs new nonces, all verify (env SIPAUTH_NONCE_SECRET;"
                    + " default: a random secret per process).")
    List<String> nonceSecrets;

    @Option(names = "--cache-ttl", paramLabel = "SECONDS", defaultValue = "${env:SIPAUTH_CACHE_TTL:-600}",
            description = "Backstop expiry of cached HA1 tables; the store's change feed invalidates them first"
                    + " (env SIPAUTH_CACHE_TTL; default ${DEFAULT-VALUE}).")
    long cacheTtlSeconds;

    /**
     * Sets the SIP listener's and the engine's settings of {@code config}.
     *
     * @throws IllegalArgumentException for a bad option value (user-facing message)
     */
    void applyTo(ServerConfig.Builder config) {
        Role r = role == null || role.isBlank() ? null : switch (role.trim().toLowerCase(Locale.ROOT)) {
            case "uas" -> Role.UAS;
            case "proxy" -> Role.PROXY;
            default -> throw new IllegalArgumentException("--sip-role must be uas or proxy, not " + role);
        };
        config.sipEnabled(!disabled)
                .sipHost(host)
                .sipPort(port)
                .sipAdvertised(advertisedHost, advertisedPort)
                .sipRole(r)
                .sipMode(mode)
                .sipUpstream(upstream)
                .sipRecordRoute(recordRoute)
                .sipUpstreamTimeout(Duration.ofMillis(upstreamTimeoutMillis))
                .sipRespondStatus(respondStatus)
                .sipRespondMedia(respondMedia)
                .decisionLog(decisionLog)
                .decisionLogFormat(decisionLogFormat)
                .sipStackProperties(stackProperties == null ? Map.of() : stackProperties)
                .sipUdpReaders(udpReaders)
                .digestAlgorithms(digestAlgorithms)
                .digestQops(digestQops)
                .throttleMaxFailures(throttleMaxFailures)
                .nonceSecrets(nonceSecrets == null ? List.of() : nonceSecrets)
                .cacheTtl(Duration.ofSeconds(cacheTtlSeconds));
    }
}
