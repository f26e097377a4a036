package org.sipauth.server;

import gov.nist.javax.sip.stack.SipauthMessageProcessorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.authz.Role;
import picocli.CommandLine.Option;

/**
 * The SIP listener's command-line options, as a picocli mixin for {@code sipauth serve}:
 * {@code @Mixin SipListenerOptions sip;} then {@code sip.start(server)} after the admin API started.
 */
public final class SipListenerOptions {

    /** What an authorized INVITE gets. */
    public enum Mode { respond }

    /**
     * Which decisions get a line in the {@code org.sipauth.decisions} log: all of them, the
     * rejections (everything but accepted requests and the routine first challenge of a request
     * without credentials), or none.
     */
    public enum DecisionLog { all, rejections, none }

    @Option(names = "--sip-host", defaultValue = "${env:SIPAUTH_SIP_HOST:-0.0.0.0}", paramLabel = "ADDRESS",
            description = "Address the SIP listener binds for UDP and TCP (env SIPAUTH_SIP_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--sip-port", defaultValue = "${env:SIPAUTH_SIP_PORT:-5060}", paramLabel = "PORT",
            description = "SIP port for UDP and TCP; 0 picks a free one (env SIPAUTH_SIP_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--sip-role", defaultValue = "${env:SIPAUTH_SIP_ROLE:-uas}", paramLabel = "uas|proxy",
            description = "uas: 401 + WWW-Authenticate; proxy: 407 + Proxy-Authenticate (env SIPAUTH_SIP_ROLE; default ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--sip-mode", defaultValue = "${env:SIPAUTH_SIP_MODE:-respond}", paramLabel = "MODE",
            description = "What an authorized INVITE gets; only 'respond' for now (env SIPAUTH_SIP_MODE; default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--sip-respond-status", defaultValue = "${env:SIPAUTH_SIP_RESPOND_STATUS:-200}", paramLabel = "CODE",
            description = "Final response to an authorized INVITE in respond mode, 200..699 (env SIPAUTH_SIP_RESPOND_STATUS; default ${DEFAULT-VALUE}).")
    int respondStatus;

    @Option(names = "--decision-log", defaultValue = "${env:SIPAUTH_DECISION_LOG:-all}", paramLabel = "all|rejections|none",
            description = "Which decisions are logged, one line each: all; rejections (not accepted requests and not"
                    + " the first challenge of a request without credentials: two lines fewer per call); none"
                    + " (env SIPAUTH_DECISION_LOG; default ${DEFAULT-VALUE}).")
    DecisionLog decisionLog;

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
            defaultValue = "${env:SIPAUTH_DIGEST_ALGORITHMS:-SHA-256,MD5}",
            description = "Offered digest algorithms, one challenge header each, strongest first: MD5, MD5-sess,"
                    + " SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess (env SIPAUTH_DIGEST_ALGORITHMS;"
                    + " default ${DEFAULT-VALUE}). SIPp needs MD5 alone.")
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

    /** The listener configuration; throws IllegalArgumentException with a user-facing message. */
    public SipServer.Config config() {
        Role r = switch (role.toLowerCase(Locale.ROOT)) {
            case "uas" -> Role.UAS;
            case "proxy" -> Role.PROXY;
            default -> throw new IllegalArgumentException("--sip-role must be uas or proxy, not " + role);
        };
        Properties overrides = new Properties();
        if (stackProperties != null) {
            for (Map.Entry<String, String> e : stackProperties.entrySet()) {
                String name = e.getKey().trim();
                if (!name.startsWith("javax.sip.") && !name.startsWith("gov.nist.javax.sip.")
                        && !name.startsWith("org.sipauth.jainsip.")) {
                    throw new IllegalArgumentException("--sip-stack-property takes javax.sip.*, gov.nist.javax.sip.*"
                            + " or org.sipauth.jainsip.* properties, not " + name);
                }
                if (name.equals("javax.sip.STACK_NAME")) {
                    throw new IllegalArgumentException("--sip-stack-property cannot change javax.sip.STACK_NAME");
                }
                overrides.setProperty(name, e.getValue().trim());
            }
        }
        if (udpReaders < 0 || udpReaders > 64) {
            throw new IllegalArgumentException("--sip-udp-readers must be 0..64, not " + udpReaders);
        }
        if (udpReaders > 0) {
            overrides.setProperty(SipauthMessageProcessorFactory.UDP_READERS, Integer.toString(udpReaders));
        }
        return new SipServer.Config(host, port, r, respondStatus, overrides);
    }

    /**
     * Adds each secret as a nonce key; the first one signs. The key id is derived from the secret, so
     * nodes agree on ids whatever order they list the secrets in (nonces carry the id of their key).
     */
    static void addNonceKeys(InviteAuthorizer.Builder builder, List<String> secrets) {
        if (secrets == null) {
            return;
        }
        Map<Integer, String> byId = new LinkedHashMap<>();
        for (String raw : secrets) {
            String secret = raw.trim();
            if (secret.isEmpty()) {
                continue;
            }
            if (secret.length() < 32) {
                throw new IllegalArgumentException("--nonce-secret must have at least 32 characters, got " + secret.length());
            }
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            int keyId = keyId(bytes);
            String previous = byId.putIfAbsent(keyId, secret);
            if (previous != null && !previous.equals(secret)) {
                throw new IllegalArgumentException("two --nonce-secret values map to the same key id " + keyId
                        + "; replace one of them");
            }
            if (previous == null) {
                builder.nonceKey(keyId, bytes);
                if (byId.size() == 1) {
                    builder.issuingKeyId(keyId);
                }
            }
        }
    }

    private static int keyId(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret)[0] & 0xFF;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** True unless {@code --no-sip} was given. */
    public boolean enabled() {
        return !disabled;
    }

    /** Starts the listener; the caller closes it on shutdown. */
    public SipServer start(Function<AuthRequest, AuthDecision> authorizer) throws IOException {
        return SipServer.start(config(), authorizer, SipServer.decisionLog(decisionLog));
    }

    /**
     * Builds the engine over the server's store and realm and starts the listener beside the admin
     * API; both are attached to {@code server}, which closes them (listener first) on shutdown.
     *
     * @throws IllegalArgumentException for a bad option value (user-facing message)
     * @throws IOException when the SIP port cannot be bound
     */
    public SipServer start(SipauthServer server) throws IOException {
        SipServer.Config config = config();
        InviteAuthorizer.Builder builder = InviteAuthorizer.builder()
                .store(server.store())
                .realm(server.config().realm())
                .algorithms(digestAlgorithms.stream().map(String::trim).toArray(String[]::new))
                .qops(digestQops.stream().map(q -> q.trim().toLowerCase(Locale.ROOT)).toArray(String[]::new))
                .throttle(throttleMaxFailures, Duration.ofSeconds(60), Duration.ofSeconds(60));
        if (cacheTtlSeconds < 1) {
            throw new IllegalArgumentException("--cache-ttl must be at least 1 second, not " + cacheTtlSeconds);
        }
        builder.cacheTtl(Duration.ofSeconds(cacheTtlSeconds));
        addNonceKeys(builder, nonceSecrets);
        InviteAuthorizer authorizer = builder.build();
        server.attach(authorizer);
        server.showThrottle(authorizer.throttle());
        SipServer sip = SipServer.start(config, authorizer::authorize, SipServer.decisionLog(decisionLog));
        server.attach(sip);
        return sip;
    }
}
