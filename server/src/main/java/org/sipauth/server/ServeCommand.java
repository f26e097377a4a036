package org.sipauth.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sipauth serve}: maps the options and the environment to a {@link ServerConfig}, runs the
 * {@link SipauthServer} it describes until the process is stopped. Every option can also come from
 * an environment variable {@code SIPAUTH_<OPTION>}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the admin API (and, where configured, the SIP listener) and run until stopped.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** How long a second stop signal lets the stop take before the process halts. */
    private static final long HALT_AFTER_MILLIS = 5_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--admin-host", paramLabel = "HOST", defaultValue = "${env:SIPAUTH_ADMIN_HOST:-127.0.0.1}",
            description = "Interface of the admin API (env SIPAUTH_ADMIN_HOST; default ${DEFAULT-VALUE}).")
    String adminHost;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "${env:SIPAUTH_ADMIN_PORT:-8080}",
            description = "Port of the admin API, 0 for an ephemeral one (env SIPAUTH_ADMIN_PORT; default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--realm", paramLabel = "REALM", defaultValue = "${env:SIPAUTH_REALM:-sipauth}",
            description = "Digest realm of every credential; changing it invalidates stored credentials"
                    + " (env SIPAUTH_REALM; default ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:SIPAUTH_PUBLIC_URL}",
            description = "Base of absolute URLs in v1 responses (env SIPAUTH_PUBLIC_URL; default http://<admin host>:<port>).")
    String publicUrl;

    @Option(names = "--domain-suffix", paramLabel = "SUFFIX", defaultValue = "${env:SIPAUTH_DOMAIN_SUFFIX}",
            description = "Require every trunk and domain name to end with this suffix (env SIPAUTH_DOMAIN_SUFFIX; default: any host name).")
    String domainSuffix;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "${env:SIPAUTH_DRAIN_TIMEOUT:-10}",
            description = "On SIGTERM or SIGINT, answer new INVITEs 503 and wait this long at most for the calls in"
                    + " progress before stopping; 0 stops at once. A second signal stops at once"
                    + " (env SIPAUTH_DRAIN_TIMEOUT; default ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    @CommandLine.Mixin
    StoreOptions storage;

    @CommandLine.Mixin
    SipListenerOptions sip;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger signals = new AtomicInteger();

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }

    /**
     * The configuration these options and the bootstrap environment describe.
     *
     * @throws IllegalArgumentException for a bad option value (user-facing message)
     */
    ServerConfig config() {
        ServerConfig.Builder config = ServerConfig.builder()
                .adminHost(adminHost)
                .adminPort(adminPort)
                .realm(realm)
                .publicUrl(publicUrl)
                .account(System.getenv("SIPAUTH_ACCOUNT_SID"), System.getenv("SIPAUTH_AUTH_TOKEN"))
                .domainSuffix(domainSuffix);
        storage.applyTo(config);
        sip.applyTo(config);
        return config.build();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (drainTimeoutSeconds < 0 || drainTimeoutSeconds > 3600) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--drain-timeout must be 0..3600 seconds, not " + drainTimeoutSeconds);
        }
        SipauthServer server;
        try {
            server = new SipauthServer(config);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            // e.g. the H2 file is held by another running server, or PostgreSQL refuses the login
            PrintWriter err = spec.commandLine().getErr();
            err.println("sipauth: cannot open the store " + config.describeStore() + ": " + describe(e));
            err.flush();
            return 1;
        }
        try {
            server.start();
        } catch (IllegalArgumentException e) {
            server.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            // the SIP port cannot be bound
            server.close();
            spec.commandLine().getErr().println("sipauth: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // e.g. the admin port is taken: one line, no stack trace
            server.close();
            PrintWriter err = spec.commandLine().getErr();
            err.println("sipauth: cannot start: " + describe(e));
            err.flush();
            return 1;
        }
        // Other ways out (SIGHUP, a JVM without signal handlers) still close the server, without a drain.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "sipauth-shutdown"));
        Thread drain = new Thread(() -> drainAndStop(server, Duration.ofSeconds(drainTimeoutSeconds)), "sipauth-drain");
        if (!StopSignals.install(signal -> onStopSignal(signal, drain), "TERM", "INT").contains("TERM")) {
            LOG.warn("cannot handle SIGTERM on this JVM: it stops the server without a drain");
        }
        server.createdAccount().ifPresent(created -> {
            out.println("Created account (the auth token is shown only once):");
            out.println("  SIPAUTH_ACCOUNT_SID=" + created.account().sid());
            out.println("  SIPAUTH_AUTH_TOKEN=" + created.authToken());
        });
        out.println("sipauth store: " + config.describeStore());
        out.println("sipauth admin API listening on " + config.adminHost() + " port " + server.adminPort()
                + " (public URL " + server.publicUrl() + ")");
        server.sip().ifPresent(sipServer -> out.println("sipauth SIP listening on " + sipServer.host() + " port "
                + sipServer.port() + " (UDP, TCP)"));
        out.flush();
        stopped.await();
        return 0;
    }

    /** The first signal starts the drain; a later one cuts it short, and halts if the stop then hangs. */
    private void onStopSignal(String signal, Thread drain) {
        if (signals.incrementAndGet() == 1) {
            if (drainTimeoutSeconds == 0) {
                LOG.info("SIG{}: stopping (--drain-timeout 0)", signal);
            } else {
                LOG.info("SIG{}: draining for up to {} s (send it again to stop at once)", signal, drainTimeoutSeconds);
            }
            drain.start();
            return;
        }
        LOG.info("SIG{} again: stopping at once", signal);
        drain.interrupt();
        try {
            drain.join(HALT_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drain.isAlive()) {
            Runtime.getRuntime().halt(1);
        }
    }

    private void drainAndStop(SipauthServer server, Duration timeout) {
        try {
            if (!timeout.isZero()) {
                boolean idle = server.drain(timeout);
                LOG.info(idle ? "drained: no call in progress" : "drain timeout reached: stopping with calls in progress");
            }
        } catch (InterruptedException e) {
            LOG.info("drain cut short");
        } finally {
            stop(server);
        }
    }

    /** Closes the server once, whoever asks first, and lets {@link #call()} return. */
    private void stop(SipauthServer server) {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
        stopped.countDown();
    }
}
