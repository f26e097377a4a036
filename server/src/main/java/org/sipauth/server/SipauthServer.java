package org.sipauth.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.lookup.Destinations;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.store.Store;
import org.sipauth.core.store.jdbc.JdbcStore;
import org.sipauth.core.store.memory.MemoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server, assembled from one {@link ServerConfig}: the {@link Store}, the
 * {@link Provisioning} services over it, the engine ({@link InviteAuthorizer}), the SIP listener
 * ({@link SipServer}) and the admin API. This is the one place that wires them; the CLI only builds
 * the configuration. Owns the store: {@link #close()} stops every component (the SIP listener
 * first), then closes the store.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().adminPort(0).sipPort(0).store("memory").build();
 * try (SipauthServer server = new SipauthServer(config)) {
 *     server.start();
 *     int adminPort = server.adminPort();
 *     int sipPort = server.sip().orElseThrow().port();
 * }
 * }</pre>
 * Not thread-safe for start/close; the running components are.
 */
public final class SipauthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipauthServer.class);

    private final ServerConfig config;
    private final Store store;
    private final Provisioning provisioning;
    private final InviteAuthorizer authorizer;
    private final Destinations destinations;
    private final AdminApi adminApi;
    private final ExecutorService storeChecks = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sipauth-store-check");
        thread.setDaemon(true);
        return thread;
    });
    private final Readiness readiness;
    private final Deque<AutoCloseable> components = new ArrayDeque<>();
    private NewAccount createdAccount;
    private SipServer sip;
    private boolean started;

    /**
     * Opens the configured store and assembles the server over it.
     *
     * @throws IllegalArgumentException for a setting the store or the engine refuses (user-facing message)
     * @throws RuntimeException         when the store cannot be opened (e.g. the H2 file is in use)
     */
    public SipauthServer(ServerConfig config) {
        this(config, openStore(config));
    }

    /**
     * Assembles the server over {@code store}, which it then owns (and closes, also when this
     * constructor fails); the store settings of {@code config} are not used.
     *
     * @throws IllegalArgumentException for an engine setting the engine refuses (e.g. an unknown algorithm)
     */
    public SipauthServer(ServerConfig config, Store store) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        try {
            this.provisioning = Provisioning.builder()
                    .store(store)
                    .realm(config.realm())
                    .requiredDomainSuffix(config.domainSuffix())
                    .build();
            this.authorizer = config.sipEnabled() ? authorizer(config, provisioning) : null;
            this.destinations = new Destinations(store);
            this.adminApi = new AdminApi(provisioning, config.adminHost(), config.adminPort(), config.publicUrl());
        } catch (RuntimeException e) {
            storeChecks.shutdown();
            closeQuietly(store, "the store");
            throw e;
        }
        this.readiness = new Readiness(store::isReachable, System::nanoTime, storeChecks);
        adminApi.readiness(readiness);
        attach(destinations);
        if (authorizer != null) {
            attach(authorizer);
        }
    }

    private static Store openStore(ServerConfig config) {
        String kind = config.store();
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "memory" -> new MemoryStore();
            case "h2" -> JdbcStore.builder().h2(config.dataDir()).fileEncryptionKey(config.dataKey()).build();
            default -> JdbcStore.builder().url(kind).user(config.dbUser()).password(config.dbPassword()).build();
        };
    }

    /**
     * The engine over the provisioning's store and realm (given once, in {@code config}), with the
     * configured algorithms, qops, throttle, cache and nonce keys.
     */
    private static InviteAuthorizer authorizer(ServerConfig config, Provisioning provisioning) {
        InviteAuthorizer.Builder builder = InviteAuthorizer.builder()
                .provisioning(provisioning)
                .algorithms(config.digestAlgorithms().toArray(String[]::new))
                .qops(config.digestQops().toArray(String[]::new))
                .throttle(config.throttleMaxFailures(), Duration.ofSeconds(60), Duration.ofSeconds(60))
                .cacheTtl(config.cacheTtl());
        List<String> secrets = config.nonceSecrets();
        for (String secret : secrets) {
            builder.nonceKey(ServerConfig.nonceKeyId(secret), secret.getBytes(StandardCharsets.UTF_8));
        }
        if (!secrets.isEmpty()) {
            builder.issuingKeyId(ServerConfig.nonceKeyId(secrets.get(0)));
        }
        return builder.build();
    }

    /**
     * Bootstraps the account (see {@link #createdAccount()}), starts the admin API and then, unless
     * disabled, the SIP listener, whose engine's throttle the admin API shows at
     * {@code /v1/sipauth/Throttle}. On failure the caller closes the server.
     *
     * @throws IllegalArgumentException when the configured bootstrap account SID or token is malformed
     * @throws IOException              when the SIP port cannot be bound
     */
    public void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        bootstrapAccount();
        int port = adminApi.start();
        LOG.info("admin API listening on {}:{} (public URL {})", config.adminHost(), port, adminApi.publicUrl());
        if (authorizer != null) {
            adminApi.throttle().show(authorizer.throttle(), config.accountSid());
            sip = SipServer.start(config.sipListener(), authorizer::authorize, SipServer.decisionLog(config.decisionLog(),
                    config.decisionLogFormat(), config.sipRespondStatus()), this::destinationsOf,
                    SipServer.outcomeLog(config.decisionLog(), config.decisionLogFormat()));
            attach(sip);
        }
        readiness.started();
    }

    /**
     * The first part of a graceful stop: {@code GET /ready} answers 503 from now on, the SIP
     * listener answers new INVITEs 503 with Retry-After ({@link SipServer#drain()}), and this call
     * waits until the calls in progress are answered, at most {@code timeout}. Then {@link #close()}.
     *
     * @return true when nothing was left in progress, false when the timeout ended the wait
     * @throws InterruptedException when the wait is cut short
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (sip == null) {
            readiness.draining();
            return true;
        }
        sip.drain();
        readiness.draining(); // after: whoever sees /ready fail sees new INVITEs refused
        return sip.awaitDrained(timeout);
    }

    private void bootstrapAccount() {
        if (config.accountSid() != null) {
            provisioning.accounts().ensure(config.accountSid(), config.authToken());
        } else if (provisioning.accounts().isEmpty()) {
            createdAccount = provisioning.accounts().create(null);
        }
    }

    /** The running SIP listener; empty before {@link #start()} and when the configuration disables it. */
    public Optional<SipServer> sip() {
        return Optional.ofNullable(sip);
    }

    /** The account created at start because the store was empty and none was configured; its token is shown only here. */
    public Optional<NewAccount> createdAccount() {
        return Optional.ofNullable(createdAccount);
    }

    /** The bound admin API port (useful with port 0). */
    public int adminPort() {
        return adminApi.port();
    }

    /** Base of absolute URLs in v1 responses. */
    public String publicUrl() {
        return adminApi.publicUrl();
    }

    public ServerConfig config() {
        return config;
    }

    public Store store() {
        return store;
    }

    public Provisioning provisioning() {
        return provisioning;
    }

    /**
     * The enabled origination URLs of each trunk and SIP domain in failover order, cached and kept
     * current by the store's change feed: where proxy and redirect mode send an authorized call.
     */
    Destinations destinations() {
        return destinations;
    }

    /** A trunk's or domain's enabled origination URLs as the proxy tries them (cached; no store read per call). */
    private List<Destination> destinationsOf(Sid target) {
        List<OriginationUrl> urls = destinations.of(target);
        if (urls.isEmpty()) {
            return List.of();
        }
        List<Destination> list = new java.util.ArrayList<>(urls.size());
        for (OriginationUrl url : urls) {
            list.add(new Destination(url.sipUrl(), url.priority(), url.weight()));
        }
        return list;
    }

    /**
     * Hands a running component that shares this server's store to the server, which closes it in
     * {@link #close()} before the admin API and the store, most recently attached first (the SIP
     * listener before the engine).
     */
    public synchronized void attach(AutoCloseable component) {
        components.push(Objects.requireNonNull(component, "component"));
    }

    @Override
    public void close() {
        synchronized (this) {
            while (!components.isEmpty()) {
                AutoCloseable component = components.pop();
                try {
                    component.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed", component, e);
                }
            }
        }
        storeChecks.shutdownNow();
        try {
            adminApi.close();
        } finally {
            closeQuietly(store, "the store");
        }
    }

    private static void closeQuietly(AutoCloseable component, String what) {
        try {
            component.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", what, e);
        }
    }
}
