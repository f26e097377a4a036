package org.sipauth.server;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code sipauth serve} keeps its resources, as a picocli mixin that only maps to
 * {@link ServerConfig}: embedded H2 in {@code --data-dir} by default, {@code --store memory}, or a
 * JDBC URL (PostgreSQL for several nodes).
 */
final class StoreOptions {

    @Option(names = "--store", paramLabel = "h2|memory|JDBC-URL", defaultValue = "${env:SIPAUTH_STORE:-h2}",
            description = "h2: embedded H2 in --data-dir; memory: nothing survives a restart; or a JDBC URL,"
                    + " jdbc:postgresql://host:5432/db for several nodes on one database, jdbc:h2:... for another"
                    + " H2 file (env SIPAUTH_STORE; default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SIPAUTH_DATA_DIR:-data}",
            description = "Directory of the embedded H2 store, created owner-only (700) if missing; its files are made 600"
                    + " and a looser existing mode is reported at start (env SIPAUTH_DATA_DIR; default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--data-key", paramLabel = "KEY", defaultValue = "${env:SIPAUTH_DATA_KEY}",
            description = "Encrypt the embedded H2 file (--store h2) with AES under this key, at least 16 characters"
                    + " without spaces; needed on every start, and a store created without a key cannot be opened"
                    + " with one. Prefer the environment variable, a command line is visible to other local users"
                    + " (env SIPAUTH_DATA_KEY; default: not encrypted).")
    String dataKey;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:SIPAUTH_DB_USER}",
            description = "Database user for a JDBC URL store (env SIPAUTH_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:SIPAUTH_DB_PASSWORD}",
            description = "Database password for a JDBC URL store; prefer the environment variable, a command line is"
                    + " visible to other local users (env SIPAUTH_DB_PASSWORD).")
    String dbPassword;

    /** Sets the store settings of {@code config}; throws IllegalArgumentException for a bad value. */
    void applyTo(ServerConfig.Builder config) {
        config.store(store).dataDir(dataDir).dataKey(dataKey).dbCredentials(dbUser, dbPassword);
    }
}
