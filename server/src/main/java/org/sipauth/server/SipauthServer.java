package org.sipauth.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import org.sipauth.core.authz.Throttle;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: one {@link Store}, the {@link Provisioning} services over it, and the
 * components that serve it (today the admin API; a SIP listener sharing the same store is started
 * beside it). Owns the store: {@link #close()} stops every component, then closes the store.
 *
 * <pre>{@code
 * try (SipauthServer server = new SipauthServer(ServerConfig.defaults().withAdminPort(0), new MemoryStore())) {
 *     server.start();
 *     int port = server.adminPort();
 * }
 * }</pre>
 * Not thread-safe for start/close; the running components are.
 */
public final class SipauthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipauthServer.class);

    private final ServerConfig config;
    private final Store store;
    private final Provisioning provisioning;
    private final AdminApi adminApi;
    private final Deque<AutoCloseable> components = new ArrayDeque<>();
    private NewAccount createdAccount;
    private boolean started;

    public SipauthServer(ServerConfig config, Store store) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.provisioning = Provisioning.builder()
                .store(store)
                .realm(config.realm())
                .requiredDomainSuffix(config.domainSuffix())
                .build();
        this.adminApi = new AdminApi(provisioning, config.adminHost(), config.adminPort(), config.publicUrl());
    }

    /**
     * Bootstraps the account (see {@link #createdAccount()}) and starts the admin API.
     *
     * @throws IllegalArgumentException when the configured bootstrap account SID or token is malformed
     */
    public void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        bootstrapAccount();
        int port = adminApi.start();
        LOG.info("admin API listening on {}:{} (public URL {})", config.adminHost(), port, adminApi.publicUrl());
    }

    private void bootstrapAccount() {
        if (config.accountSid() != null) {
            provisioning.accounts().ensure(config.accountSid(), config.authToken());
        } else if (provisioning.accounts().isEmpty()) {
            createdAccount = provisioning.accounts().create(null);
        }
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

    /**
     * Shows {@code throttle} (the SIP engine's) in the admin API at {@code /v1/sipauth/Throttle};
     * until then that resource lists nothing.
     */
    public void showThrottle(Throttle throttle) {
        adminApi.throttle().show(throttle, config.accountSid());
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
     * Hands a running component that shares this server's store (e.g. the SIP listener) to the
     * server, which closes it in {@link #close()} before the admin API and the store, most
     * recently attached first.
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
        try {
            adminApi.close();
        } finally {
            try {
                store.close();
            } catch (Exception e) {
                LOG.warn("closing the store failed", e);
            }
        }
    }
}
