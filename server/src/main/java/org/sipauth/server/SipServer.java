package org.sipauth.server;

import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.stack.SipauthStreamReplies;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Objects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sipauth.core.model.Sid;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.Role;
import org.sipauth.jainsip.AuthorizationEvent;
import org.sipauth.jainsip.AuthorizingSipListener;
import org.sipauth.jainsip.SipStackDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server's SIP listener: one JAIN-SIP stack listening on UDP and TCP on one port,
 * authorizing INVITEs and answering authorized ones with a configured final response
 * ({@code respond} mode). Start with {@link #start}; {@link #close} stops the stack.
 */
public final class SipServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);
    /** One line per decision; configure this logger to route or silence the decision log. */
    private static final Logger DECISIONS = LoggerFactory.getLogger("org.sipauth.decisions");
    private static final Logger JSON_DECISIONS = LoggerFactory.getLogger("org.sipauth.decisions.json");
    private static final AtomicInteger STACKS = new AtomicInteger();

    /**
     * How the listener runs.
     *
     * @param host           address to bind, e.g. 0.0.0.0 or 127.0.0.1
     * @param port           SIP port for UDP and TCP; 0 picks a free port usable by both
     * @param role           UAS (401) or proxy (407) challenges
     * @param respondStatus  final response to an authorized INVITE in respond mode (200..699)
     * @param stackOverrides JAIN-SIP properties applied over {@link SipStackDefaults}; may be empty
     * @param advertisedHost host for Contact headers; null: the address each request arrived on
     * @param advertisedPort port for Contact headers; 0: the listening port
     * @param respondMedia   what respond mode's 2xx does with the caller's media
     * @param forwarding     the mode (respond, proxy, redirect) and where proxy and redirect mode send calls
     */
    public record Config(String host, int port, Role role, int respondStatus, Properties stackOverrides,
                         String advertisedHost, int advertisedPort, ServerConfig.RespondMedia respondMedia,
                         Forwarding forwarding) {

        public Config(String host, int port, Role role, int respondStatus, Properties stackOverrides) {
            this(host, port, role, respondStatus, stackOverrides, null, 0, ServerConfig.RespondMedia.decline);
        }

        public Config(String host, int port, Role role, int respondStatus, Properties stackOverrides,
                      String advertisedHost, int advertisedPort, ServerConfig.RespondMedia respondMedia) {
            this(host, port, role, respondStatus, stackOverrides, advertisedHost, advertisedPort, respondMedia,
                    Forwarding.RESPOND);
        }

        public Config {
            Objects.requireNonNull(respondMedia, "respondMedia");
            Objects.requireNonNull(forwarding, "forwarding");
            if (advertisedPort < 0 || advertisedPort > 65535) {
                throw new IllegalArgumentException("advertised port must be 0..65535: " + advertisedPort);
            }
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(role, "role");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            if (respondStatus < 200 || respondStatus > 699) {
                throw new IllegalArgumentException("respond status must be a final status 200..699: " + respondStatus);
            }
            stackOverrides = stackOverrides == null ? new Properties() : (Properties) stackOverrides.clone();
        }

        /** 0.0.0.0:5060, UAS, 200 OK. */
        public static Config defaults() {
            return new Config("0.0.0.0", 5060, Role.UAS, 200, null);
        }

        public Config withPort(int newPort) {
            return new Config(host, newPort, role, respondStatus, stackOverrides, advertisedHost, advertisedPort, respondMedia, forwarding);
        }

        public Config withHost(String newHost) {
            return new Config(newHost, port, role, respondStatus, stackOverrides, advertisedHost, advertisedPort, respondMedia, forwarding);
        }

        public Config withRole(Role newRole) {
            return new Config(host, port, newRole, respondStatus, stackOverrides, advertisedHost, advertisedPort, respondMedia, forwarding);
        }

        public Config withRespondStatus(int status) {
            return new Config(host, port, role, status, stackOverrides, advertisedHost, advertisedPort, respondMedia, forwarding);
        }

        public Config withForwarding(Forwarding newForwarding) {
            return new Config(host, port, role, respondStatus, stackOverrides, advertisedHost, advertisedPort, respondMedia,
                    newForwarding);
        }
    }

    /**
     * What an authorized INVITE gets, and where it goes in proxy and redirect mode.
     *
     * @param mode            respond, proxy or redirect
     * @param upstream        nullable {@code sip:} URI for targets without destinations of their own
     * @param recordRoute     proxy mode: Record-Route, so that in-dialog requests come back through it
     * @param upstreamTimeout proxy mode: how long a destination may stay silent (not even 100 Trying)
     *                        before the next is tried
     * @param routeSecret     nullable secret under which Record-Route entries are signed (at least 16
     *                        characters); null: a random one per process
     * @param realm           nullable digest realm whose credentials proxy mode removes before forwarding;
     *                        null: all credentials of the challenge's header (Proxy-Authorization or Authorization)
     */
    public record Forwarding(ServerConfig.SipMode mode, String upstream, boolean recordRoute, Duration upstreamTimeout,
                             String routeSecret, String realm) {

        /** Respond mode: nothing is forwarded. */
        public static final Forwarding RESPOND = new Forwarding(ServerConfig.SipMode.respond, null, true,
                Duration.ofSeconds(5), null, null);

        public Forwarding {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
            if (upstreamTimeout.toMillis() < 100 || upstreamTimeout.compareTo(Duration.ofSeconds(32)) > 0) {
                throw new IllegalArgumentException("--upstream-timeout must be 100 ms .. 32 s, not " + upstreamTimeout);
            }
            if (routeSecret != null && routeSecret.length() < 16) {
                throw new IllegalArgumentException("route secret must have at least 16 characters");
            }
        }


        /** Redirect mode towards {@code upstream} (nullable). */
        public static Forwarding redirect(String upstream) {
            return new Forwarding(ServerConfig.SipMode.redirect, upstream, true, Duration.ofSeconds(5), null, null);
        }

        /** The Record-Route signing key: derived from the secret, so nodes sharing it accept each other's routes. */
        byte[] routeKey() {
            if (routeSecret == null) {
                byte[] random = new byte[32];
                new java.security.SecureRandom().nextBytes(random);
                return random;
            }
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(routeSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac.doFinal("sipauth record-route".getBytes(StandardCharsets.UTF_8));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform provides HmacSHA256", e);
            }
        }
    }

    /** How often {@link #awaitDrained} looks at the work in progress: the stack tells no one when its table empties. */
    private static final long DRAIN_POLL_MILLIS = 50;
    /**
     * How long nothing may be in progress before a drain ends. Why: the ACK for a 2xx the proxy
     * relayed is forwarded statelessly, so nothing counts it; it follows the 2xx within a round trip
     * (RFC 3261's estimate T1 is 500 ms), and a callee that never gets it ends the call.
     */
    private static final long DRAIN_SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final AuthorizingSipListener listener;
    private final AutoCloseable application;
    private final int port;
    private final String host;

    private SipServer(SipStackImpl stack, SipProvider provider, AuthorizingSipListener listener, AutoCloseable application,
                      String host, int port) {
        this.stack = stack;
        this.provider = provider;
        this.listener = listener;
        this.application = application;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts a listener that authorizes INVITEs with {@code authorizer} (typically
     * {@code inviteAuthorizer::authorize}) and logs one line per decision.
     */
    public static SipServer start(Config config, Function<AuthRequest, AuthDecision> authorizer) throws IOException {
        Objects.requireNonNull(authorizer, "authorizer");
        return start(config, authorizer, decisionLog(ServerConfig.DecisionLog.all, config.respondStatus()));
    }

    /**
     * Starts a listener whose decisions go to {@code onDecision} (instead of the decision log), e.g.
     * to log them and count them. In proxy and redirect mode an accepted INVITE's event reaches
     * {@code onDecision} when the call's outcome is known; the server-wide {@code --upstream} is the
     * only destination.
     */
    public static SipServer start(Config config, Function<AuthRequest, AuthDecision> authorizer,
                                  Consumer<AuthorizationEvent> onDecision) throws IOException {
        Objects.requireNonNull(onDecision, "onDecision");
        return start(config, authorizer, onDecision, target -> List.of(), (event, status, upstream) -> onDecision.accept(event));
    }

    /**
     * Starts a listener: decisions go to {@code onDecision}, except in proxy and redirect mode those
     * accepting an INVITE, which go to {@code outcomes} with the call's final status and upstream;
     * {@code destinations} gives each trunk's or domain's destinations (empty: the configured
     * upstream, if any).
     */
    static SipServer start(Config config, Function<AuthRequest, AuthDecision> authorizer,
                           Consumer<AuthorizationEvent> onDecision, Function<Sid, List<Destination>> destinations,
                           ProxyingSipListener.Outcomes outcomes) throws IOException {
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(onDecision, "onDecision");
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(outcomes, "outcomes");
        return startListener(config, authorizer, onDecision, withUpstream(destinations, config.forwarding().upstream()),
                outcomes);
    }

    /** The target's destinations, or else the server-wide upstream. */
    private static Function<Sid, List<Destination>> withUpstream(Function<Sid, List<Destination>> destinations,
                                                                 String upstream) {
        if (upstream == null) {
            return destinations;
        }
        List<Destination> fallback = List.of(new Destination(upstream, 0, 1));
        return target -> {
            List<Destination> own = destinations.apply(target);
            return own.isEmpty() ? fallback : own;
        };
    }

    /** Logs one line per decision to the {@code org.sipauth.decisions} logger at INFO. */
    public static void logDecision(AuthorizationEvent event) {
        logDecision(event, 0);
    }

    private static void logDecision(AuthorizationEvent event, int acceptedStatus) {
        if (DECISIONS.isInfoEnabled()) {
            DECISIONS.info(event.toLogLine(acceptedStatus));
        }
    }

    private static void logDecisionAsJson(AuthorizationEvent event, int acceptedStatus) {
        if (JSON_DECISIONS.isInfoEnabled()) {
            JSON_DECISIONS.info(DecisionJson.line(event, acceptedStatus, null, Instant.now()));
        }
    }

    /**
     * The decision logger for {@code --decision-log}: all decisions, only rejections, or none; an
     * accepted INVITE is logged with {@code acceptedStatus}, the status respond mode answers it with.
     */
    static Consumer<AuthorizationEvent> decisionLog(ServerConfig.DecisionLog which, int acceptedStatus) {
        return decisionLog(which, ServerConfig.DecisionLogFormat.text, acceptedStatus);
    }

    /** {@link #decisionLog(ServerConfig.DecisionLog, int)} written as text lines or as JSON objects. */
    static Consumer<AuthorizationEvent> decisionLog(ServerConfig.DecisionLog which, ServerConfig.DecisionLogFormat format,
                                                    int acceptedStatus) {
        Consumer<AuthorizationEvent> log = format == ServerConfig.DecisionLogFormat.json
                ? event -> logDecisionAsJson(event, acceptedStatus)
                : event -> logDecision(event, acceptedStatus);
        return switch (which) {
            case all -> log;
            case rejections -> event -> {
                if (isRejection(event)) {
                    log.accept(event);
                }
            };
            case none -> event -> { };
        };
    }

    /**
     * The decision log's line for an INVITE accepted in proxy or redirect mode, written when its
     * outcome is known: the status the caller got and the destination that gave it
     * ({@code upstream=}; {@code -} when sipauth answered itself). Accepted calls are not rejections:
     * only {@code --decision-log all} logs them.
     */
    static ProxyingSipListener.Outcomes outcomeLog(ServerConfig.DecisionLog which, ServerConfig.DecisionLogFormat format) {
        if (which != ServerConfig.DecisionLog.all) {
            return (event, status, upstream) -> { };
        }
        if (format == ServerConfig.DecisionLogFormat.json) {
            return (event, status, upstream) -> {
                if (JSON_DECISIONS.isInfoEnabled()) {
                    JSON_DECISIONS.info(DecisionJson.line(event, status, upstream, Instant.now()));
                }
            };
        }
        return (event, status, upstream) -> {
            if (DECISIONS.isInfoEnabled()) {
                DECISIONS.info(event.toLogLine(status) + " upstream=" + (upstream == null ? "-" : upstream));
            }
        };
    }

    /**
     * Everything but an accepted request and the routine first challenge of a request that carried
     * no credentials: wrong passwords, replays, stale or forged nonces, denials, engine failures.
     */
    static boolean isRejection(AuthorizationEvent event) {
        AuthDecision d = event.decision();
        if (d instanceof AuthDecision.Allowed) {
            return false;
        }
        return !(d instanceof AuthDecision.Challenge c && c.reason() == AuthDecision.Reason.NO_CREDENTIALS);
    }

    private static SipServer startListener(Config config, Function<AuthRequest, AuthDecision> authorizer,
                                           Consumer<AuthorizationEvent> onDecision,
                                           Function<Sid, List<Destination>> destinations,
                                           ProxyingSipListener.Outcomes outcomes) throws IOException {
        IOException last = null;
        // With port 0 the OS picks a port free for UDP and TCP; another process may take it before
        // the stack binds, so try a few times.
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = config.port() != 0 ? config.port() : freeUdpAndTcpPort(config.host());
            try {
                return bind(config, port, authorizer, onDecision, destinations, outcomes);
            } catch (IOException e) {
                last = e;
                if (config.port() != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private static SipServer bind(Config config, int port, Function<AuthRequest, AuthDecision> authorizer,
                                  Consumer<AuthorizationEvent> onDecision, Function<Sid, List<Destination>> destinations,
                                  ProxyingSipListener.Outcomes outcomes) throws IOException {
        Properties properties = SipStackDefaults.properties("sipauth-" + STACKS.incrementAndGet());
        ServerConfig.SipMode mode = config.forwarding().mode();
        if (mode == ServerConfig.SipMode.proxy) {
            properties.setProperty("javax.sip.ROUTER_PATH", ProxyRouter.class.getName());
        }
        properties.putAll(config.stackOverrides());
        SipStackImpl stack;
        AuthorizingSipListener listener;
        AutoCloseable application = null;
        SipProvider provider = null;
        try {
            stack = new SipStackImpl(properties);
        } catch (Exception e) {
            throw new IOException("cannot create the SIP stack: " + e.getMessage(), e);
        }
        try {
            ListeningPoint udp = stack.createListeningPoint(config.host(), port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(config.host(), port, ListeningPoint.TCP);
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            MessageFactoryImpl messages = new MessageFactoryImpl();
            HeaderFactoryImpl headers = new HeaderFactoryImpl();
            AddressFactoryImpl addresses = new AddressFactoryImpl();
            AdvertisedAddress advertised = new AdvertisedAddress(config.advertisedHost(), config.advertisedPort());
            AuthorizingSipListener.Builder builder;
            Consumer<AuthorizationEvent> decisions = onDecision;
            if (mode != ServerConfig.SipMode.respond) {
                // accepted INVITEs are logged with their outcome, by the mode's listener
                decisions = event -> {
                    if (!(event.decision() instanceof AuthDecision.Allowed) || !Request.INVITE.equals(event.method())) {
                        onDecision.accept(event);
                    }
                };
            }
            switch (mode) {
                case proxy -> {
                    ProxyingSipListener proxy = new ProxyingSipListener(provider, messages, headers, addresses, advertised,
                            new ProxyingSipListener.Settings(config.forwarding().recordRoute(),
                                    config.forwarding().upstreamTimeout(), config.role(), config.forwarding().realm(), config.host()),
                            destinations, new HopResolver(), new DialogTags(config.forwarding().routeKey()), outcomes);
                    application = proxy;
                    builder = AuthorizingSipListener.builder(proxy, authorizer).skipAuthorizationWhen(proxy::isOwnInDialog);
                }
                case redirect -> {
                    RedirectingSipListener redirect = new RedirectingSipListener(messages, headers, addresses,
                            destinations, outcomes);
                    builder = AuthorizingSipListener.builder(redirect, authorizer).datagramResponder(redirect);
                }
                default -> {
                    RespondingSipListener responder = new RespondingSipListener(messages, headers, addresses,
                            config.respondStatus(), advertised,
                            config.respondMedia() == ServerConfig.RespondMedia.inactive);
                    application = responder;
                    builder = AuthorizingSipListener.builder(responder, authorizer).datagramResponder(responder);
                }
            }
            listener = builder.role(config.role())
                    .factories(messages, headers)
                    .onDecision(decisions)
                    .build();
            provider.addSipListener(listener);
            stack.start();
        } catch (Exception e) {
            try {
                stack.stop();
            } catch (RuntimeException stopFailure) {
                // jain-sip-ri 1.3.0-91 throws NPE stopping a UDP processor that never started (the TCP port was taken)
                e.addSuppressed(stopFailure);
            }
            closeQuietly(application);
            throw new IOException("cannot listen on " + config.host() + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("SIP listening on {}:{} (UDP, TCP), role {}, mode {}", config.host(), port, config.role(), mode);
        return new SipServer(stack, provider, listener, application, config.host(), port);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing failed: {}", e.toString());
        }
    }

    private static int freeUdpAndTcpPort(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(address, candidate));
                    return candidate;
                } catch (IOException taken) {
                    // TCP side busy: try another.
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + host);
    }

    /** The SIP port (UDP and TCP). */
    public int port() {
        return port;
    }

    /** The bound address as configured. */
    public String host() {
        return host;
    }

    /**
     * Server transactions the stack holds now, including finished ones still lingering to absorb
     * retransmissions (when a {@code LINGER_TIMER} is set): a gauge of the listener's memory use
     * (about 16 KiB each).
     */
    public int liveServerTransactions() {
        return stack.getServerTransactionTableSize();
    }

    /**
     * Starts a graceful stop ({@link AuthorizingSipListener#drain()}): new INVITEs outside a dialog
     * are answered 503 with Retry-After from now on, while everything under way keeps flowing.
     * Follow with {@link #awaitDrained}, then {@link #close}.
     */
    public void drain() {
        listener.drain();
    }

    /**
     * Waits until no work has been in progress ({@link #inProgress()}) for a second, so that the ACK
     * for a 2xx sent just before still passes, at most {@code timeout}; true when nothing is in
     * progress at the end. Call after {@link #drain()}, or new calls keep arriving.
     *
     * @throws InterruptedException when the wait is cut short (a second stop signal)
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = 0;
        boolean quiet = false;
        while (true) {
            long now = System.nanoTime();
            boolean idle = inProgress() == 0;
            if (!idle) {
                quiet = false;
            } else if (!quiet) {
                quiet = true;
                quietSince = now;
            }
            if (quiet && now - quietSince >= DRAIN_SETTLE_NANOS) {
                return true;
            }
            long left = deadline - now;
            if (left <= 0) {
                return idle;
            }
            Thread.sleep(Math.min(DRAIN_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    /**
     * Work a graceful stop waits for: server transactions that have not sent their final response
     * (calls being forwarded in proxy mode among them; finished ones that only absorb
     * retransmissions do not count), and in respond mode the 2xx still waiting for their ACK.
     */
    int inProgress() {
        int unacknowledged = application instanceof RespondingSipListener responder ? responder.unacknowledgedAnswers() : 0;
        return SipauthStreamReplies.unansweredServerTransactions(stack) + unacknowledged;
    }

    /** Accepted INVITEs answered from their datagram, without a server transaction, since start. */
    long datagramAnswers() {
        return application instanceof RespondingSipListener responder ? responder.datagramAnswers() : 0;
    }

    @Override
    public void close() {
        try {
            stack.deleteSipProvider(provider);
        } catch (Exception e) {
            LOG.debug("deleting the SIP provider failed: {}", e.toString());
        }
        EventScanner scanner = stack.getEventScanner();
        stack.stop();
        if (scanner != null) {
            // jain-sip-ri 1.3.0-91's stop() only flags its non-daemon "EventScannerThread", which sits
            // in take() and reads the flag after its next event, so without one it would keep the
            // JVM alive. This event wakes it; it is handed to the listener's no-op processIOException.
            scanner.addEvent(new EventWrapper(new IOExceptionEvent(stack, host, port, ListeningPoint.UDP), null));
        }
        closeQuietly(application);
        LOG.info("SIP listener on {}:{} stopped", host, port);
    }
}
