/**
 * sipauth core: the digest authorization engine, the resource model, the provisioning services and
 * the store SPI with its memory and JDBC implementations. No SIP stack.
 *
 * <p>Exported: {@code authz} (the engine: {@code InviteAuthorizer} and its builder,
 * {@code AuthRequest}, {@code AuthDecision}, {@code DigestChallenge}, {@code Role}, the
 * {@code Throttle} operator view), {@code model}, {@code provisioning}, {@code store} (the SPI) and
 * its two implementations. Not exported: {@code digest} (header scanning, digest arithmetic, nonces,
 * replay guard) and {@code lookup} (target index, HA1 cache and the proxy's {@code Destinations}); their
 * public classes are public only for the engine's other packages and the server (on the class path)
 * and are not API.
 */
@SuppressWarnings("requires-automatic")
module org.sipauth.core {
    exports org.sipauth.core.authz;
    exports org.sipauth.core.model;
    exports org.sipauth.core.provisioning;
    exports org.sipauth.core.store;
    exports org.sipauth.core.store.memory;
    exports org.sipauth.core.store.jdbc;

    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    // JdbcStore: its drivers, pool and migrations are optional dependencies, as in the POM.
    requires java.sql;
    requires static com.zaxxer.hikari;
    requires static flyway.core; // flyway-core 11 declares no module name: this one comes from its file name
    requires static org.postgresql.jdbc;
}
