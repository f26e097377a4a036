package org.sipauth.core.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} in a relational database: embedded H2 (file mode, the standalone server's default)
 * or PostgreSQL (several nodes sharing one database). One SQL code path serves both; the schema is
 * created and upgraded by Flyway migrations from {@code db/migration} on open.
 *
 * <p>Consistency: every mutation runs in one transaction; uniqueness (usernames per list, domain
 * names across trunks and domains, friendly names, one mapping per target, kind and list) is
 * enforced by unique constraints, so two nodes racing for the same name cannot both win.
 *
 * <p>Durability: a mutation returns only after its commit; H2 is opened with {@code WRITE_DELAY=0}
 * so a commit is written to the file before the call returns (it survives {@code kill -9}).
 *
 * <p>Change feed: after the commit, the mutation's {@link ChangeEvent}s go to local subscribers
 * before the call returns. On PostgreSQL the transaction also issues {@code NOTIFY sipauth_changes}
 * (delivered on commit) and a dedicated {@code LISTEN} connection turns other nodes' notifications
 * into local events; when that connection drops, subscribers get {@code RESET}.
 *
 * <p>Thread-safe. The pool, the listener thread and (for H2) the database file are released by
 * {@link #close()}.
 */
public final class JdbcStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final Dialect dialect;
    private final String nodeId;
    private final HikariDataSource dataSource;
    private final Subscribers subscribers = new Subscribers();
    private final PgChangeListener listener;

    private JdbcStore(Builder b) {
        this.dialect = Dialect.of(b.url);
        this.nodeId = b.nodeId;
        String url = dialect == Dialect.H2 ? h2Url(b.url) : b.url;
        HikariConfig config = new HikariConfig();
        config.setPoolName("sipauth-" + nodeId);
        config.setJdbcUrl(url);
        config.setUsername(b.user);
        config.setPassword(b.password);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(b.maximumPoolSize);
        config.setMinimumIdle(Math.min(2, b.maximumPoolSize));
        config.setConnectionTimeout(b.connectionTimeout.toMillis());
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("ApplicationName", "sipauth-" + nodeId);
        }
        HikariDataSource ds = new HikariDataSource(config);
        PgChangeListener pg = null;
        try {
            migrate(ds);
            if (dialect == Dialect.POSTGRESQL) {
                Properties props = new Properties();
                if (b.user != null) {
                    props.setProperty("user", b.user);
                }
                if (b.password != null) {
                    props.setProperty("password", b.password);
                }
                props.setProperty("ApplicationName", "sipauth-listen-" + nodeId);
                props.setProperty("tcpKeepAlive", "true");
                pg = new PgChangeListener(() -> DriverManager.getConnection(url, props), nodeId, subscribers,
                        b.listenPoll, b.listenHeartbeat, b.reconnectMinBackoff, b.reconnectMaxBackoff);
                pg.start();
            }
        } catch (SQLException | RuntimeException e) {
            if (pg != null) {
                pg.close();
            }
            ds.close();
            throw new JdbcStoreException("cannot open store at " + Dialect.redact(b.url) + ": " + e.getMessage(), e);
        }
        this.dataSource = ds;
        this.listener = pg;
        LOG.info("store open: {} ({}), node {}", Dialect.redact(b.url), dialect, nodeId);
    }

    /** A builder; set {@link Builder#url} or {@link Builder#h2}. */
    public static Builder builder() {
        return new Builder();
    }

    /** An embedded H2 store in {@code dataDir} (created if missing) with default settings. */
    public static JdbcStore h2(Path dataDir) {
        return builder().h2(dataDir).build();
    }

    private static String h2Url(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(url);
        // Durability: H2 defaults to a 500 ms write delay, i.e. an acknowledged commit could be lost
        // to kill -9. With 0 every commit is written to the file before commit() returns.
        if (upper.contains(";WRITE_DELAY=")) {
            if (!upper.contains(";WRITE_DELAY=0;") && !upper.endsWith(";WRITE_DELAY=0")) {
                throw new IllegalArgumentException("H2 URL must not set WRITE_DELAY other than 0 (durability)");
            }
        } else {
            out.append(";WRITE_DELAY=0");
        }
        appendIfAbsent(out, upper, "MODE", "PostgreSQL");
        appendIfAbsent(out, upper, "DATABASE_TO_LOWER", "TRUE");
        appendIfAbsent(out, upper, "DEFAULT_NULL_ORDERING", "HIGH");
        // The MVStore file itself is locked with an OS lock, released when the process dies; the
        // default extra .lock.db file would make a restart after kill -9 wait for it to go stale.
        appendIfAbsent(out, upper, "FILE_LOCK", "FS");
        return out.toString();
    }

    private static void appendIfAbsent(StringBuilder url, String upper, String key, String value) {
        if (!upper.contains(";" + key + "=")) {
            url.append(';').append(key).append('=').append(value);
        }
    }

    private static void migrate(HikariDataSource ds) {
        Flyway.configure(JdbcStore.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration")
                .table("sipauth_schema_history")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** This store's node id: NOTIFY payloads carry it so a node ignores its own notifications. */
    public String nodeId() {
        return nodeId;
    }

    /** The PostgreSQL backend pid of the LISTEN connection, or -1 on H2 (for tests). */
    int listenBackendPid() {
        return listener == null ? -1 : listener.backendPid();
    }

    // ---- engine read side -------------------------------------------------------------------

    @Override
    public List<AuthTarget> authTargets() {
        return read(c -> loadTargets(c, null));
    }

    @Override
    public Optional<AuthTarget> authTarget(Sid targetSid) {
        Objects.requireNonNull(targetSid, "targetSid");
        return read(c -> loadTargets(c, targetSid.canonical().value())).stream().findFirst();
    }

    private static List<AuthTarget> loadTargets(Connection c, String onlySid) throws SQLException {
        record Row(Sid sid, Sid account, String domainName, List<Sid> calls, List<Sid> registrations) { }
        Map<String, Row> rows = new LinkedHashMap<>();
        String where = onlySid == null ? "" : " AND t.sid = ?";
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t.sid, t.account_sid, t.domain_name FROM auth_targets t"
                        + " WHERE t.domain_name IS NOT NULL" + where + " ORDER BY t.sid")) {
            if (onlySid != null) {
                ps.setString(1, onlySid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sid = rs.getString(1);
                    rows.put(sid, new Row(Sql.sid(sid), Sql.sid(rs.getString(2)), rs.getString(3),
                            new ArrayList<>(), new ArrayList<>()));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT m.target_sid, m.kind, m.credential_list_sid FROM credential_list_mappings m"
                        + (onlySid == null ? "" : " WHERE m.target_sid = ?")
                        + " ORDER BY m.target_sid, m.date_created, m.credential_list_sid")) {
            if (onlySid != null) {
                ps.setString(1, onlySid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = rows.get(rs.getString(1));
                    if (row == null) {
                        continue;
                    }
                    Sid list = Sql.sid(rs.getString(3));
                    if (MappingKind.valueOf(rs.getString(2)) == MappingKind.REGISTRATIONS) {
                        row.registrations().add(list);
                    } else {
                        row.calls().add(list);
                    }
                }
            }
        }
        List<AuthTarget> out = new ArrayList<>(rows.size());
        for (Row r : rows.values()) {
            out.add(new AuthTarget(r.sid(), r.account(), r.domainName(), r.calls(), r.registrations()));
        }
        return out;
    }

    @Override
    public List<Credential> credentialsOf(Sid credentialListSid) {
        Objects.requireNonNull(credentialListSid, "credentialListSid");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.SELECT_CREDENTIAL
                    + " WHERE c.credential_list_sid = ? ORDER BY c.date_created, c.sid")) {
                ps.setString(1, credentialListSid.canonical().value());
                return Sql.credentials(ps);
            }
        });
    }

    @Override
    public AutoCloseable subscribe(Consumer<ChangeEvent> listener) {
        return subscribers.add(listener);
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        dataSource.close();
    }

    // ---- transactions -----------------------------------------------------------------------

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs read-only work on a pooled connection. */
    <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new JdbcStoreException("store read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction, NOTIFYing its events on PostgreSQL, commits, then publishes
     * the events locally. Returns the work's result.
     */
    <T> T write(Work<T> work, Consumer<List<ChangeEvent>> events) {
        throw new UnsupportedOperationException("write side comes with the Store SPI");
    }

    /** Options of a {@link JdbcStore}; each setter checks its value. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private String nodeId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        private int maximumPoolSize = 8;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration listenPoll = Duration.ofMillis(250);
        private Duration listenHeartbeat = Duration.ofSeconds(5);
        private Duration reconnectMinBackoff = Duration.ofMillis(100);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(5);

        private Builder() {
        }

        /** A {@code jdbc:h2:} or {@code jdbc:postgresql:} URL. */
        public Builder url(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Dialect.of(jdbcUrl);
            this.url = jdbcUrl;
            return this;
        }

        /** Embedded H2 in {@code dataDir} (file {@code sipauth.mv.db}); creates the directory. */
        public Builder h2(Path dataDir) {
            Objects.requireNonNull(dataDir, "dataDir");
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
            }
            this.url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("sipauth");
            return this;
        }

        /** Database user (PostgreSQL; for H2 the file's owner, default {@code sa}). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Database password; never logged. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Identifies this node in NOTIFY payloads; letters, digits, '-' and '_', 1..64 characters. */
        public Builder nodeId(String nodeId) {
            if (nodeId == null || !nodeId.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("nodeId must be 1..64 of [A-Za-z0-9_-], got: " + nodeId);
            }
            this.nodeId = nodeId;
            return this;
        }

        /** Pool size, 1..200 (default 8). */
        public Builder maximumPoolSize(int size) {
            if (size < 1 || size > 200) {
                throw new IllegalArgumentException("maximumPoolSize must be 1..200, got " + size);
            }
            this.maximumPoolSize = size;
            return this;
        }

        /** How long a caller waits for a pooled connection before the store reports an outage (default 10 s). */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connectionTimeout", Duration.ofMillis(250));
            return this;
        }

        /** Quiet time after which the LISTEN connection is probed with a query (default 5 s). */
        public Builder listenHeartbeat(Duration heartbeat) {
            this.listenHeartbeat = positive(heartbeat, "listenHeartbeat", Duration.ofMillis(100));
            return this;
        }

        /** First and longest wait between LISTEN reconnect attempts (default 100 ms and 5 s). */
        public Builder reconnectBackoff(Duration min, Duration max) {
            positive(min, "reconnect min backoff", Duration.ofMillis(1));
            positive(max, "reconnect max backoff", Duration.ofMillis(1));
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect max backoff " + max + " < min " + min);
            }
            this.reconnectMinBackoff = min;
            this.reconnectMaxBackoff = max;
            return this;
        }

        private static Duration positive(Duration d, String name, Duration least) {
            if (d == null || d.compareTo(least) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + least + ", got " + d);
            }
            return d;
        }

        /** Opens the pool, migrates the schema and (PostgreSQL) starts listening. */
        public JdbcStore build() {
            if (url == null) {
                throw new IllegalStateException("set url(..) or h2(..) before build()");
            }
            if (user == null && Dialect.of(url) == Dialect.H2) {
                user = "sa";
            }
            return new JdbcStore(this);
        }
    }
}
