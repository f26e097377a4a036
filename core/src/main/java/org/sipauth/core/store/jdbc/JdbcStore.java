package org.sipauth.core.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.time.Instant;
import org.postgresql.util.PSQLException;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.ChangeFeed;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;
import org.sipauth.core.store.StoreException;
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
 * <p>Data at rest: an embedded H2 store in a data directory ({@link Builder#h2}) keeps that
 * directory and its files owner-only ({@code rwx------} / {@code rw-------}) and logs one warning at
 * open when an existing directory or file is looser; the file can also be encrypted
 * ({@link Builder#fileEncryptionKey}).
 *
 * <p>Thread-safe. The pool, the listener thread and (for H2) the database file are released by
 * {@link #close()}.
 */
public final class JdbcStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    /** Above this many events in one transaction, other nodes get one RESET instead. */
    static final int MAX_NOTIFICATIONS_PER_TRANSACTION = 1000;
    /** H2's FILE_CORRUPTED_1: what it reports for a file opened with a missing or wrong file encryption key. */
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final String H2_KEY_HINT = " (if the file is encrypted, the file encryption key is missing or"
            + " wrong; a file created without a key opens only without one)";

    private final Dialect dialect;
    private final String nodeId;
    private final HikariDataSource dataSource;
    private final ChangeFeed feed = new ChangeFeed();
    private final PgChangeListener listener;
    private final DataDirectory dataDirectory;

    private JdbcStore(Builder b) {
        this.dialect = Dialect.of(b.url);
        this.nodeId = b.nodeId;
        // H2 takes the file key and the user's password as one string, separated by a space.
        boolean encrypted = b.fileEncryptionKey != null;
        String url = dialect == Dialect.H2 ? h2Url(b.url) + (encrypted ? ";CIPHER=AES" : "") : b.url;
        String password = encrypted ? b.fileEncryptionKey + " " + (b.password == null ? "" : b.password) : b.password;
        DataDirectory directory = b.dataDir == null ? null : DataDirectory.beforeOpen(b.dataDir);
        HikariConfig config = new HikariConfig();
        config.setPoolName("sipauth-" + nodeId);
        config.setJdbcUrl(url);
        config.setUsername(b.user);
        config.setPassword(password);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(b.maximumPoolSize);
        config.setMinimumIdle(Math.min(2, b.maximumPoolSize));
        config.setConnectionTimeout(b.connectionTimeout.toMillis());
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("ApplicationName", "sipauth-" + nodeId);
        }
        HikariDataSource ds = null;
        PgChangeListener pg = null;
        try {
            ds = new HikariDataSource(config);
            migrate(ds);
            if (directory != null) {
                warnIfLoose(directory.secure());
            }
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
                pg = new PgChangeListener(() -> DriverManager.getConnection(url, props), nodeId, feed,
                        b.listenPoll, b.listenHeartbeat, b.reconnectMinBackoff, b.reconnectMaxBackoff);
                pg.start();
            }
        } catch (SQLException | RuntimeException e) {
            if (pg != null) {
                pg.close();
            }
            if (ds != null) {
                ds.close();
            }
            if (directory != null) {
                directory.secure();
            }
            throw new StoreException("cannot open store at " + Dialect.redact(b.url) + ": " + e.getMessage()
                    + (dialect == Dialect.H2 && isH2FileCorrupted(e) ? H2_KEY_HINT : ""), e);
        }
        this.dataSource = ds;
        this.listener = pg;
        this.dataDirectory = directory;
        LOG.info("store open: {} ({}), node {}", Dialect.redact(b.url), dialect, nodeId);
    }

    private static boolean isH2FileCorrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_FILE_CORRUPTED) {
                return true;
            }
        }
        return false;
    }

    private static void warnIfLoose(List<String> loose) {
        if (!loose.isEmpty()) {
            LOG.warn("data directory is open to other users, and it holds password-equivalent credential digests:"
                    + " {}; run chmod 700 on the directory and chmod 600 on its files", String.join(", ", loose));
        }
    }

    /** A builder; set {@link Builder#url} or {@link Builder#h2}. */
    public static Builder builder() {
        return new Builder();
    }

    /** An embedded H2 store in {@code dataDir} (created if missing) with default settings. */
    public static JdbcStore h2(Path dataDir) {
        return builder().h2(dataDir).build();
    }

    /** The H2 URL with the settings durability and the schema rely on (package-private for H2DurabilityIT). */
    static String h2Url(String url) {
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
        // No chunk moving when the database closes (H2 default: up to 200 ms of it). H2DurabilityIT
        // saw H2 2.3.232's close-time compaction fail an internal assertion
        // (RandomAccessStore.moveChunkInside) on most closes of a file that had survived kill -9, and
        // one CI run lost an acknowledged row (not proven to be the same cause); free space in the
        // file is reused without compaction.
        appendIfAbsent(out, upper, "MAX_COMPACT_TIME", "0");
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

    /** The pool (for tests and the bulk-load measurement tool in this package). */
    javax.sql.DataSource dataSource() {
        return dataSource;
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
        return read(c -> loadTargets(c, Sql.key(targetSid))).stream().findFirst();
    }

    private static List<AuthTarget> loadTargets(Connection c, String onlySid) throws SQLException {
        record Row(Sid sid, Sid account, String domainName, List<Sid> calls, List<Sid> registrations,
                   List<String> algorithms, List<Sid> ipAcls) { }
        Map<String, Row> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t.sid, t.account_sid, t.domain_name, t.digest_algorithms FROM auth_targets t"
                        + " WHERE t.domain_name IS NOT NULL"
                        + (onlySid == null ? "" : " AND t.sid = ?") + " ORDER BY t.date_created, t.sid")) {
            if (onlySid != null) {
                ps.setString(1, onlySid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sid = rs.getString(1);
                    rows.put(sid, new Row(Sql.sid(sid), Sql.sid(rs.getString(2)), rs.getString(3),
                            new ArrayList<>(), new ArrayList<>(), Sql.algorithms(rs.getString(4)), new ArrayList<>()));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        for (MappingTable<?> table : List.of(CREDENTIAL_LIST_MAPPINGS, IP_ACCESS_CONTROL_LIST_MAPPINGS)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT m.target_sid, m.kind, m." + table.listColumn() + " FROM " + table.table() + " m"
                            + (onlySid == null ? "" : " WHERE m.target_sid = ?")
                            + " ORDER BY m.date_created, m." + table.listColumn())) {
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
                        if (table == IP_ACCESS_CONTROL_LIST_MAPPINGS) {
                            row.ipAcls().add(list);
                        } else if (MappingKind.valueOf(rs.getString(2)) == MappingKind.DOMAIN_REGISTRATIONS) {
                            row.registrations().add(list);
                        } else {
                            row.calls().add(list);
                        }
                    }
                }
            }
        }
        List<AuthTarget> out = new ArrayList<>(rows.size());
        for (Row r : rows.values()) {
            out.add(new AuthTarget(r.sid(), r.account(), r.domainName(), r.calls(), r.registrations(), r.algorithms(),
                    r.ipAcls()));
        }
        return out;
    }

    @Override
    public List<Credential> credentialsOf(Sid credentialListSid) {
        Objects.requireNonNull(credentialListSid, "credentialListSid");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    Sql.CREDENTIAL + " WHERE c.credential_list_sid = ? ORDER BY c.date_created, c.sid")) {
                ps.setString(1, Sql.key(credentialListSid));
                ps.setFetchSize(1000);
                return Sql.list(ps, Sql::credential);
            }
        });
    }

    @Override
    public List<IpAddress> ipAddressesOf(Sid ipAccessControlListSid) {
        Objects.requireNonNull(ipAccessControlListSid, "ipAccessControlListSid");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    Sql.IP_ADDRESS + " WHERE a.ip_access_control_list_sid = ? ORDER BY a.date_created, a.sid")) {
                ps.setString(1, Sql.key(ipAccessControlListSid));
                return Sql.list(ps, Sql::ipAddress);
            }
        });
    }

    // ---- accounts -----------------------------------------------------------------------------

    @Override
    public Optional<Account> findAccount(Sid accountSid) {
        return read(c -> findOne(c, Sql.ACCOUNT + " WHERE a.sid = ?", Sql::account, Sql.key(accountSid)));
    }

    @Override
    public void insertAccount(Account a) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (sid, friendly_name,"
                    + " auth_token_sha256, status, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Sql.key(a.sid()));
                ps.setString(2, a.friendlyName());
                ps.setString(3, a.authTokenSha256());
                ps.setString(4, a.status().name());
                ps.setLong(5, Sql.nanos(a.dateCreated()));
                ps.setLong(6, Sql.nanos(a.dateUpdated()));
                ps.executeUpdate();
            }
            return List.of(new ChangeEvent(ChangeEvent.Type.ACCOUNT_CHANGED, a.sid(), a.sid(), null));
        });
    }

    @Override
    public boolean updateAccount(Account a) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET friendly_name = ?,"
                    + " auth_token_sha256 = ?, status = ?, date_updated = ? WHERE sid = ?")) {
                ps.setString(1, a.friendlyName());
                ps.setString(2, a.authTokenSha256());
                ps.setString(3, a.status().name());
                ps.setLong(4, Sql.nanos(a.dateUpdated()));
                ps.setString(5, Sql.key(a.sid()));
                return ps.executeUpdate() == 0 ? List.of()
                        : List.of(new ChangeEvent(ChangeEvent.Type.ACCOUNT_CHANGED, a.sid(), a.sid(), null));
            }
        });
    }

    @Override
    public long accountCount() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM accounts");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- trunks and SIP domains ----------------------------------------------------------------

    /** The columns of {@code auth_targets} that every trunk and SIP domain has. */
    private record TargetColumns(Sid sid, Sid account, String friendlyName, String domainName, boolean secure,
                                 List<String> digestAlgorithms, Instant created, Instant updated) {
    }

    /** Binds a target's own columns, from 1 in {@link TargetTable#columns} order. */
    @FunctionalInterface
    private interface ColumnBinder<T> {
        void bind(PreparedStatement ps, T target) throws SQLException;
    }

    /**
     * How one kind of target is stored: a row in {@code auth_targets} (kind {@code code}) and a row
     * with the same SID in {@code table}, removed with it by ON DELETE CASCADE.
     */
    private record TargetTable<T>(String code, String table, List<String> columns, ColumnBinder<T> binder,
                                  java.util.function.Function<T, TargetColumns> common, String select,
                                  Sql.RowMapper<T> mapper, ChangeEvent.Type changed, ChangeEvent.Type deleted) {

        String insertSql() {
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ", sid) VALUES ("
                    + "?, ".repeat(columns.size()) + "?)";
        }

        String updateSql() {
            return "UPDATE " + table + " SET " + String.join(" = ?, ", columns) + " = ? WHERE sid = ?";
        }
    }

    private static final TargetTable<Trunk> TRUNKS = new TargetTable<>("TK", "trunks",
            List.of("disaster_recovery_url", "disaster_recovery_method", "transfer_mode", "cnam_lookup_enabled",
                    "transfer_caller_id", "symmetric_rtp_enabled"),
            (ps, t) -> {
                ps.setString(1, t.disasterRecoveryUrl());
                ps.setString(2, t.disasterRecoveryMethod());
                ps.setString(3, t.transferMode());
                ps.setBoolean(4, t.cnamLookupEnabled());
                ps.setString(5, t.transferCallerId());
                ps.setBoolean(6, t.symmetricRtpEnabled());
            },
            t -> new TargetColumns(t.sid(), t.accountSid(), t.friendlyName(), t.domainName(), t.secure(),
                    t.digestAlgorithms(), t.dateCreated(), t.dateUpdated()),
            Sql.TRUNK, Sql::trunk, ChangeEvent.Type.TRUNK_CHANGED, ChangeEvent.Type.TRUNK_DELETED);

    private static final TargetTable<SipDomain> SIP_DOMAINS = new TargetTable<>("SD", "sip_domains",
            List.of("voice_url", "voice_method", "voice_fallback_url", "voice_fallback_method",
                    "voice_status_callback_url", "voice_status_callback_method", "sip_registration",
                    "emergency_calling_enabled", "byoc_trunk_sid", "emergency_caller_sid"),
            (ps, d) -> {
                ps.setString(1, d.voiceUrl());
                ps.setString(2, d.voiceMethod());
                ps.setString(3, d.voiceFallbackUrl());
                ps.setString(4, d.voiceFallbackMethod());
                ps.setString(5, d.voiceStatusCallbackUrl());
                ps.setString(6, d.voiceStatusCallbackMethod());
                ps.setBoolean(7, d.sipRegistration());
                ps.setBoolean(8, d.emergencyCallingEnabled());
                ps.setString(9, d.byocTrunkSid());
                ps.setString(10, d.emergencyCallerSid());
            },
            d -> new TargetColumns(d.sid(), d.accountSid(), d.friendlyName(), d.domainName(), d.secure(),
                    d.digestAlgorithms(), d.dateCreated(), d.dateUpdated()),
            Sql.SIP_DOMAIN, Sql::sipDomain, ChangeEvent.Type.SIP_DOMAIN_CHANGED, ChangeEvent.Type.SIP_DOMAIN_DELETED);

    @Override
    public void insertTrunk(Trunk t) {
        insertTarget(TRUNKS, t);
    }

    @Override
    public boolean updateTrunk(Trunk t) {
        return updateTarget(TRUNKS, t);
    }

    @Override
    public Optional<Trunk> findTrunk(Sid accountSid, Sid trunkSid) {
        return findTarget(TRUNKS, accountSid, trunkSid);
    }

    @Override
    public List<Trunk> listTrunks(Sid accountSid, PageQuery query) {
        return listTargets(TRUNKS, accountSid, query);
    }

    @Override
    public boolean deleteTrunk(Sid accountSid, Sid trunkSid) {
        return deleteTarget(accountSid, trunkSid, TRUNKS.code(), TRUNKS.deleted());
    }

    @Override
    public void insertSipDomain(SipDomain d) {
        insertTarget(SIP_DOMAINS, d);
    }

    @Override
    public boolean updateSipDomain(SipDomain d) {
        return updateTarget(SIP_DOMAINS, d);
    }

    @Override
    public Optional<SipDomain> findSipDomain(Sid accountSid, Sid domainSid) {
        return findTarget(SIP_DOMAINS, accountSid, domainSid);
    }

    @Override
    public List<SipDomain> listSipDomains(Sid accountSid, PageQuery query) {
        return listTargets(SIP_DOMAINS, accountSid, query);
    }

    @Override
    public boolean deleteSipDomain(Sid accountSid, Sid domainSid) {
        return deleteTarget(accountSid, domainSid, SIP_DOMAINS.code(), SIP_DOMAINS.deleted());
    }

    private <T> void insertTarget(TargetTable<T> table, T target) {
        TargetColumns t = table.common().apply(target);
        write(c -> {
            requireAccount(c, t.account());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO auth_targets (sid, kind, account_sid,"
                    + " friendly_name, domain_name, secure, digest_algorithms, date_created, date_updated)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Sql.key(t.sid()));
                ps.setString(2, table.code());
                ps.setString(3, Sql.key(t.account()));
                ps.setString(4, t.friendlyName());
                ps.setString(5, t.domainName());
                ps.setBoolean(6, t.secure());
                ps.setString(7, Sql.algorithms(t.digestAlgorithms()));
                ps.setLong(8, Sql.nanos(t.created()));
                ps.setLong(9, Sql.nanos(t.updated()));
                ps.executeUpdate();
            }
            writeOwnRow(c, table, table.insertSql(), target, t.sid());
            return List.of(new ChangeEvent(table.changed(), t.account(), t.sid(), null));
        });
    }

    private <T> boolean updateTarget(TargetTable<T> table, T target) {
        TargetColumns t = table.common().apply(target);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE auth_targets SET friendly_name = ?, domain_name = ?,"
                    + " secure = ?, digest_algorithms = ?, date_updated = ? WHERE sid = ? AND account_sid = ? AND kind = ?")) {
                ps.setString(1, t.friendlyName());
                ps.setString(2, t.domainName());
                ps.setBoolean(3, t.secure());
                ps.setString(4, Sql.algorithms(t.digestAlgorithms()));
                ps.setLong(5, Sql.nanos(t.updated()));
                ps.setString(6, Sql.key(t.sid()));
                ps.setString(7, Sql.key(t.account()));
                ps.setString(8, table.code());
                if (ps.executeUpdate() == 0) {
                    return List.of();
                }
            }
            writeOwnRow(c, table, table.updateSql(), target, t.sid());
            return List.of(new ChangeEvent(table.changed(), t.account(), t.sid(), null));
        });
    }

    private static <T> void writeOwnRow(Connection c, TargetTable<T> table, String sql, T target, Sid sid)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            table.binder().bind(ps, target);
            ps.setString(table.columns().size() + 1, Sql.key(sid));
            ps.executeUpdate();
        }
    }

    private <T> Optional<T> findTarget(TargetTable<T> table, Sid accountSid, Sid targetSid) {
        return read(c -> findOne(c, table.select() + " WHERE t.sid = ? AND t.account_sid = ?", table.mapper(),
                Sql.key(targetSid), Sql.key(accountSid)));
    }

    private <T> List<T> listTargets(TargetTable<T> table, Sid accountSid, PageQuery query) {
        return read(c -> Sql.page(c, table.select() + " WHERE t.account_sid = ? AND t.kind = '" + table.code() + "'",
                "t.date_created", "t.sid", query, ps -> bind(ps, Sql.key(accountSid)), table.mapper()));
    }

    private boolean deleteTarget(Sid accountSid, Sid targetSid, String kind, ChangeEvent.Type deleted) {
        return write(c -> {
            String target = Sql.key(targetSid);
            String account = Sql.key(accountSid);
            // Lock the target first: a concurrent mapping insert locks it too, so it either commits
            // before us (and its mapping is deleted and reported below) or finds the target gone.
            if (!lock(c, "SELECT sid FROM auth_targets WHERE sid = ? AND account_sid = ? AND kind = ? FOR UPDATE",
                    target, account, kind)) {
                return List.of();
            }
            List<ChangeEvent> events = new ArrayList<>();
            for (MappingTable<?> table : List.of(CREDENTIAL_LIST_MAPPINGS, IP_ACCESS_CONTROL_LIST_MAPPINGS)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + table.listColumn() + " FROM " + table.table()
                        + " WHERE target_sid = ? ORDER BY date_created, " + table.listColumn())) {
                    ps.setString(1, target);
                    for (String list : Sql.list(ps, rs -> rs.getString(1))) {
                        events.add(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, accountSid, Sql.sid(list), targetSid));
                    }
                }
                update(c, "DELETE FROM " + table.table() + " WHERE target_sid = ?", target);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sid FROM origination_urls WHERE target_sid = ? ORDER BY date_created, sid")) {
                ps.setString(1, target);
                for (String url : Sql.list(ps, rs -> rs.getString(1))) {
                    events.add(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, accountSid, Sql.sid(url), targetSid));
                }
            }
            update(c, "DELETE FROM origination_urls WHERE target_sid = ?", target);
            // trunks / sip_domains rows go with ON DELETE CASCADE
            update(c, "DELETE FROM auth_targets WHERE sid = ?", target);
            events.add(new ChangeEvent(deleted, accountSid, targetSid, null));
            return events;
        });
    }

    // ---- credential lists ---------------------------------------------------------------------

    @Override
    public void insertCredentialList(CredentialList l) {
        insertList(CREDENTIAL_LISTS, l.sid(), l.accountSid(), l.friendlyName(), l.dateCreated(), l.dateUpdated());
    }

    @Override
    public boolean updateCredentialList(CredentialList l) {
        return updateList(CREDENTIAL_LISTS, l.sid(), l.accountSid(), l.friendlyName(), l.dateUpdated());
    }

    @Override
    public Optional<CredentialList> findCredentialList(Sid accountSid, Sid listSid) {
        return read(c -> findOne(c, Sql.CREDENTIAL_LIST + " WHERE l.sid = ? AND l.account_sid = ?",
                Sql::credentialList, Sql.key(listSid), Sql.key(accountSid)));
    }

    @Override
    public List<CredentialList> listCredentialLists(Sid accountSid, PageQuery query) {
        return read(c -> Sql.page(c, Sql.CREDENTIAL_LIST + " WHERE l.account_sid = ?", "l.date_created", "l.sid",
                query, ps -> bind(ps, Sql.key(accountSid)), Sql::credentialList));
    }

    @Override
    public boolean deleteCredentialList(Sid accountSid, Sid listSid) {
        return deleteList(CREDENTIAL_LISTS, accountSid, listSid);
    }

    /**
     * How a kind of list is stored: its table, its members' table (credentials, IP addresses) and the
     * members' column naming the list, its mappings, and the events a write publishes.
     */
    private record ListTable(String table, String memberTable, String memberListColumn, MappingTable<?> mappings,
                             ChangeEvent.Type changed, ChangeEvent.Type deleted, ChangeEvent.Type memberDeleted) {
    }

    private void insertList(ListTable table, Sid sid, Sid account, String friendlyName, Instant created,
                            Instant updated) {
        write(c -> {
            requireAccount(c, account);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.table() + " (sid, account_sid,"
                    + " friendly_name, date_created, date_updated) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, Sql.key(sid));
                ps.setString(2, Sql.key(account));
                ps.setString(3, friendlyName);
                ps.setLong(4, Sql.nanos(created));
                ps.setLong(5, Sql.nanos(updated));
                ps.executeUpdate();
            }
            return List.of(new ChangeEvent(table.changed(), account, sid, null));
        });
    }

    private boolean updateList(ListTable table, Sid sid, Sid account, String friendlyName, Instant updated) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table.table() + " SET friendly_name = ?,"
                    + " date_updated = ? WHERE sid = ? AND account_sid = ?")) {
                ps.setString(1, friendlyName);
                ps.setLong(2, Sql.nanos(updated));
                ps.setString(3, Sql.key(sid));
                ps.setString(4, Sql.key(account));
                return ps.executeUpdate() == 0 ? List.of()
                        : List.of(new ChangeEvent(table.changed(), account, sid, null));
            }
        });
    }

    /** Deletes a list with its members and every mapping of it; events: members, mappings, the list. */
    private boolean deleteList(ListTable table, Sid accountSid, Sid listSid) {
        return write(c -> {
            String list = Sql.key(listSid);
            String account = Sql.key(accountSid);
            // Lock the list: concurrent member and mapping inserts lock it too (see insertCredential).
            if (!lock(c, "SELECT sid FROM " + table.table() + " WHERE sid = ? AND account_sid = ? FOR UPDATE",
                    list, account)) {
                return List.of();
            }
            List<ChangeEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT sid FROM " + table.memberTable() + " WHERE "
                    + table.memberListColumn() + " = ? ORDER BY date_created, sid")) {
                ps.setString(1, list);
                ps.setFetchSize(1000);
                for (String member : Sql.list(ps, rs -> rs.getString(1))) {
                    events.add(new ChangeEvent(table.memberDeleted(), accountSid, Sql.sid(member), listSid));
                }
            }
            String mappings = table.mappings().table();
            String listColumn = table.mappings().listColumn();
            try (PreparedStatement ps = c.prepareStatement("SELECT target_sid FROM " + mappings
                    + " WHERE " + listColumn + " = ? ORDER BY date_created, target_sid, kind")) {
                ps.setString(1, list);
                for (String target : Sql.list(ps, rs -> rs.getString(1))) {
                    events.add(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, accountSid, listSid, Sql.sid(target)));
                }
            }
            update(c, "DELETE FROM " + table.memberTable() + " WHERE " + table.memberListColumn() + " = ?", list);
            update(c, "DELETE FROM " + mappings + " WHERE " + listColumn + " = ?", list);
            update(c, "DELETE FROM " + table.table() + " WHERE sid = ?", list);
            events.add(new ChangeEvent(table.deleted(), accountSid, listSid, null));
            return events;
        });
    }

    // ---- credentials --------------------------------------------------------------------------

    @Override
    public void insertCredential(Credential cr) {
        write(c -> {
            // FOR UPDATE on the parent serializes with deleteCredentialList on both databases, so a
            // credential can never be committed into a list that is being deleted.
            if (!lock(c, "SELECT sid FROM credential_lists WHERE sid = ? AND account_sid = ? FOR UPDATE",
                    Sql.key(cr.credentialListSid()), Sql.key(cr.accountSid()))) {
                throw new MissingReferenceException("credential list " + cr.credentialListSid());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials (sid, account_sid,"
                    + " credential_list_sid, username, realm, ha1_md5, ha1_sha256, ha1_sha512_256, date_created,"
                    + " date_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Sql.key(cr.sid()));
                ps.setString(2, Sql.key(cr.accountSid()));
                ps.setString(3, Sql.key(cr.credentialListSid()));
                ps.setString(4, cr.username());
                ps.setString(5, cr.ha1().realm());
                ps.setString(6, cr.ha1().md5());
                ps.setString(7, cr.ha1().sha256());
                ps.setString(8, cr.ha1().sha512256());
                ps.setLong(9, Sql.nanos(cr.dateCreated()));
                ps.setLong(10, Sql.nanos(cr.dateUpdated()));
                ps.executeUpdate();
            }
            return List.of(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_CHANGED, cr.accountSid(), cr.sid(),
                    cr.credentialListSid()));
        });
    }

    @Override
    public boolean updateCredential(Credential cr) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE credentials SET username = ?, realm = ?,"
                    + " ha1_md5 = ?, ha1_sha256 = ?, ha1_sha512_256 = ?, date_updated = ?"
                    + " WHERE sid = ? AND account_sid = ? AND credential_list_sid = ?")) {
                ps.setString(1, cr.username());
                ps.setString(2, cr.ha1().realm());
                ps.setString(3, cr.ha1().md5());
                ps.setString(4, cr.ha1().sha256());
                ps.setString(5, cr.ha1().sha512256());
                ps.setLong(6, Sql.nanos(cr.dateUpdated()));
                ps.setString(7, Sql.key(cr.sid()));
                ps.setString(8, Sql.key(cr.accountSid()));
                ps.setString(9, Sql.key(cr.credentialListSid()));
                return ps.executeUpdate() == 0 ? List.of()
                        : List.of(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_CHANGED, cr.accountSid(), cr.sid(),
                                cr.credentialListSid()));
            }
        });
    }

    @Override
    public Optional<Credential> findCredential(Sid accountSid, Sid listSid, Sid credentialSid) {
        return read(c -> findOne(c, Sql.CREDENTIAL + " WHERE c.sid = ? AND c.account_sid = ? AND c.credential_list_sid = ?",
                Sql::credential, Sql.key(credentialSid), Sql.key(accountSid), Sql.key(listSid)));
    }

    @Override
    public List<Credential> listCredentials(Sid accountSid, Sid listSid, PageQuery query) {
        return read(c -> Sql.page(c, Sql.CREDENTIAL + " WHERE c.account_sid = ? AND c.credential_list_sid = ?",
                "c.date_created", "c.sid", query, ps -> bind(ps, Sql.key(accountSid), Sql.key(listSid)),
                Sql::credential));
    }

    @Override
    public boolean deleteCredential(Sid accountSid, Sid listSid, Sid credentialSid) {
        return write(c -> update(c, "DELETE FROM credentials WHERE sid = ? AND account_sid = ? AND credential_list_sid = ?",
                Sql.key(credentialSid), Sql.key(accountSid), Sql.key(listSid)) == 0 ? List.of()
                : List.of(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, accountSid, credentialSid, listSid)));
    }

    // ---- IP access control lists and their entries ------------------------------------------

    @Override
    public void insertIpAccessControlList(IpAccessControlList l) {
        insertList(IP_ACCESS_CONTROL_LISTS, l.sid(), l.accountSid(), l.friendlyName(), l.dateCreated(),
                l.dateUpdated());
    }

    @Override
    public boolean updateIpAccessControlList(IpAccessControlList l) {
        return updateList(IP_ACCESS_CONTROL_LISTS, l.sid(), l.accountSid(), l.friendlyName(), l.dateUpdated());
    }

    @Override
    public Optional<IpAccessControlList> findIpAccessControlList(Sid accountSid, Sid listSid) {
        return read(c -> findOne(c, Sql.IP_ACCESS_CONTROL_LIST + " WHERE l.sid = ? AND l.account_sid = ?",
                Sql::ipAccessControlList, Sql.key(listSid), Sql.key(accountSid)));
    }

    @Override
    public List<IpAccessControlList> listIpAccessControlLists(Sid accountSid, PageQuery query) {
        return read(c -> Sql.page(c, Sql.IP_ACCESS_CONTROL_LIST + " WHERE l.account_sid = ?", "l.date_created", "l.sid",
                query, ps -> bind(ps, Sql.key(accountSid)), Sql::ipAccessControlList));
    }

    @Override
    public boolean deleteIpAccessControlList(Sid accountSid, Sid listSid) {
        return deleteList(IP_ACCESS_CONTROL_LISTS, accountSid, listSid);
    }

    @Override
    public void insertIpAddress(IpAddress a) {
        write(c -> {
            // FOR UPDATE on the parent serializes with deleteIpAccessControlList, as for credentials.
            if (!lock(c, "SELECT sid FROM ip_access_control_lists WHERE sid = ? AND account_sid = ? FOR UPDATE",
                    Sql.key(a.ipAccessControlListSid()), Sql.key(a.accountSid()))) {
                throw new MissingReferenceException("IP access control list " + a.ipAccessControlListSid());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ip_addresses (sid, account_sid,"
                    + " ip_access_control_list_sid, friendly_name, ip_address, cidr_prefix_length, date_created,"
                    + " date_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Sql.key(a.sid()));
                ps.setString(2, Sql.key(a.accountSid()));
                ps.setString(3, Sql.key(a.ipAccessControlListSid()));
                ps.setString(4, a.friendlyName());
                ps.setString(5, a.ipAddress());
                ps.setInt(6, a.cidrPrefixLength());
                ps.setLong(7, Sql.nanos(a.dateCreated()));
                ps.setLong(8, Sql.nanos(a.dateUpdated()));
                ps.executeUpdate();
            }
            return List.of(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_CHANGED, a.accountSid(), a.sid(),
                    a.ipAccessControlListSid()));
        });
    }

    @Override
    public boolean updateIpAddress(IpAddress a) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ip_addresses SET friendly_name = ?, ip_address = ?,"
                    + " cidr_prefix_length = ?, date_updated = ? WHERE sid = ? AND account_sid = ?"
                    + " AND ip_access_control_list_sid = ?")) {
                ps.setString(1, a.friendlyName());
                ps.setString(2, a.ipAddress());
                ps.setInt(3, a.cidrPrefixLength());
                ps.setLong(4, Sql.nanos(a.dateUpdated()));
                ps.setString(5, Sql.key(a.sid()));
                ps.setString(6, Sql.key(a.accountSid()));
                ps.setString(7, Sql.key(a.ipAccessControlListSid()));
                return ps.executeUpdate() == 0 ? List.of()
                        : List.of(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_CHANGED, a.accountSid(), a.sid(),
                                a.ipAccessControlListSid()));
            }
        });
    }

    @Override
    public Optional<IpAddress> findIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid) {
        return read(c -> findOne(c, Sql.IP_ADDRESS + " WHERE a.sid = ? AND a.account_sid = ?"
                + " AND a.ip_access_control_list_sid = ?", Sql::ipAddress, Sql.key(ipAddressSid), Sql.key(accountSid),
                Sql.key(listSid)));
    }

    @Override
    public List<IpAddress> listIpAddresses(Sid accountSid, Sid listSid, PageQuery query) {
        return read(c -> Sql.page(c, Sql.IP_ADDRESS + " WHERE a.account_sid = ? AND a.ip_access_control_list_sid = ?",
                "a.date_created", "a.sid", query, ps -> bind(ps, Sql.key(accountSid), Sql.key(listSid)),
                Sql::ipAddress));
    }

    @Override
    public boolean deleteIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid) {
        return write(c -> update(c, "DELETE FROM ip_addresses WHERE sid = ? AND account_sid = ?"
                        + " AND ip_access_control_list_sid = ?", Sql.key(ipAddressSid), Sql.key(accountSid),
                Sql.key(listSid)) == 0 ? List.of()
                : List.of(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_DELETED, accountSid, ipAddressSid, listSid)));
    }

    // ---- mappings of both kinds of list -------------------------------------------------------

    /** Builds a mapping record from a new row's values. */
    @FunctionalInterface
    private interface MappingFactory<M> {
        M of(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid, String friendlyName, Instant dateCreated);
    }

    /** How one kind of mapping is stored: its table, its list column, its lists' table, how to read a row. */
    private record MappingTable<M>(String table, String listColumn, String listTable, String select,
                                   Sql.RowMapper<M> mapper, MappingFactory<M> factory) {
    }

    private static final MappingTable<CredentialListMapping> CREDENTIAL_LIST_MAPPINGS = new MappingTable<>(
            "credential_list_mappings", "credential_list_sid", "credential_lists", Sql.MAPPING, Sql::mapping,
            (kind, account, target, list, name, at) -> new CredentialListMapping(kind, account, target, list, name, at, at));

    private static final MappingTable<IpAccessControlListMapping> IP_ACCESS_CONTROL_LIST_MAPPINGS = new MappingTable<>(
            "ip_access_control_list_mappings", "ip_access_control_list_sid", "ip_access_control_lists", Sql.IP_MAPPING,
            Sql::ipMapping,
            (kind, account, target, list, name, at) -> new IpAccessControlListMapping(kind, account, target, list, name,
                    at, at));

    private static final ListTable CREDENTIAL_LISTS = new ListTable("credential_lists", "credentials",
            "credential_list_sid", CREDENTIAL_LIST_MAPPINGS, ChangeEvent.Type.CREDENTIAL_LIST_CHANGED,
            ChangeEvent.Type.CREDENTIAL_LIST_DELETED, ChangeEvent.Type.CREDENTIAL_DELETED);

    private static final ListTable IP_ACCESS_CONTROL_LISTS = new ListTable("ip_access_control_lists", "ip_addresses",
            "ip_access_control_list_sid", IP_ACCESS_CONTROL_LIST_MAPPINGS, ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_CHANGED,
            ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_DELETED, ChangeEvent.Type.IP_ADDRESS_DELETED);

    @Override
    public CredentialListMapping insertMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid,
                                               Instant dateCreated) {
        return insertMapping(CREDENTIAL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid, dateCreated);
    }

    @Override
    public Optional<CredentialListMapping> findMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return findMapping(CREDENTIAL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid);
    }

    @Override
    public List<CredentialListMapping> listMappings(MappingKind kind, Sid accountSid, Sid targetSid, PageQuery query) {
        return listMappings(CREDENTIAL_LIST_MAPPINGS, kind, accountSid, targetSid, query);
    }

    @Override
    public boolean deleteMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return deleteMapping(CREDENTIAL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid);
    }

    @Override
    public IpAccessControlListMapping insertIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid,
                                                                       Sid listSid, Instant dateCreated) {
        return insertMapping(IP_ACCESS_CONTROL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid, dateCreated);
    }

    @Override
    public Optional<IpAccessControlListMapping> findIpAccessControlListMapping(MappingKind kind, Sid accountSid,
                                                                               Sid targetSid, Sid listSid) {
        return findMapping(IP_ACCESS_CONTROL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid);
    }

    @Override
    public List<IpAccessControlListMapping> listIpAccessControlListMappings(MappingKind kind, Sid accountSid,
                                                                            Sid targetSid, PageQuery query) {
        return listMappings(IP_ACCESS_CONTROL_LIST_MAPPINGS, kind, accountSid, targetSid, query);
    }

    @Override
    public boolean deleteIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return deleteMapping(IP_ACCESS_CONTROL_LIST_MAPPINGS, kind, accountSid, targetSid, listSid);
    }

    private <M> M insertMapping(MappingTable<M> table, MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid,
                                Instant dateCreated) {
        return write(c -> {
            String account = Sql.key(accountSid);
            String target = Sql.key(targetSid);
            String list = Sql.key(listSid);
            String targetKind = kind.targetKind().prefix();
            // Lock order target -> list, the same as every other writer that takes both.
            if (!lock(c, "SELECT sid FROM auth_targets WHERE sid = ? AND account_sid = ? AND kind = ? FOR UPDATE",
                    target, account, targetKind)) {
                throw new MissingReferenceException((kind == MappingKind.TRUNK ? "trunk " : "SIP domain ") + targetSid);
            }
            String friendlyName = findOne(c, "SELECT friendly_name FROM " + table.listTable()
                    + " WHERE sid = ? AND account_sid = ? FOR UPDATE", rs -> rs.getString(1), list, account).orElseThrow(
                    () -> new MissingReferenceException("list " + listSid));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.table() + " (target_sid, kind, "
                    + table.listColumn() + ", account_sid, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, target);
                ps.setString(2, kind.name());
                ps.setString(3, list);
                ps.setString(4, account);
                ps.setLong(5, Sql.nanos(dateCreated));
                ps.setLong(6, Sql.nanos(dateCreated));
                ps.executeUpdate();
            }
            return new Result<>(table.factory().of(kind, accountSid, targetSid, listSid, friendlyName, dateCreated),
                    List.of(new ChangeEvent(ChangeEvent.Type.MAPPING_CHANGED, accountSid, listSid, targetSid)));
        }, Result::events).value();
    }

    private <M> Optional<M> findMapping(MappingTable<M> table, MappingKind kind, Sid accountSid, Sid targetSid,
                                        Sid listSid) {
        return read(c -> findOne(c, table.select() + " WHERE m.kind = ? AND m.account_sid = ? AND m.target_sid = ?"
                + " AND m." + table.listColumn() + " = ?", table.mapper(), kind.name(), Sql.key(accountSid),
                Sql.key(targetSid), Sql.key(listSid)));
    }

    private <M> List<M> listMappings(MappingTable<M> table, MappingKind kind, Sid accountSid, Sid targetSid,
                                     PageQuery query) {
        return read(c -> Sql.page(c, table.select() + " WHERE m.kind = ? AND m.account_sid = ? AND m.target_sid = ?",
                "m.date_created", "m." + table.listColumn(), query,
                ps -> bind(ps, kind.name(), Sql.key(accountSid), Sql.key(targetSid)), table.mapper()));
    }

    private boolean deleteMapping(MappingTable<?> table, MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return write(c -> update(c, "DELETE FROM " + table.table() + " WHERE kind = ? AND account_sid = ?"
                        + " AND target_sid = ? AND " + table.listColumn() + " = ?", kind.name(), Sql.key(accountSid),
                Sql.key(targetSid), Sql.key(listSid)) == 0 ? List.of()
                : List.of(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, accountSid, listSid, targetSid)));
    }

    // ---- origination URLs ------------------------------------------------------------------------

    @Override
    public List<OriginationUrl> originationUrlsOf(Sid targetSid) {
        Objects.requireNonNull(targetSid, "targetSid");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    Sql.ORIGINATION_URL + " WHERE o.target_sid = ? ORDER BY o.date_created, o.sid")) {
                ps.setString(1, Sql.key(targetSid));
                return Sql.list(ps, Sql::originationUrl);
            }
        });
    }

    @Override
    public boolean insertOriginationUrl(OriginationUrl u, int maxPerTarget) {
        return write(c -> {
            String account = Sql.key(u.accountSid());
            String target = Sql.key(u.targetSid());
            // The target's row lock serializes inserts for one target on every node, so the count
            // below cannot be passed by a concurrent insert (and a concurrent delete of the target
            // either runs first, and the target is gone, or waits for us and deletes this URL too).
            if (!lock(c, "SELECT sid FROM auth_targets WHERE sid = ? AND account_sid = ? AND kind = ? FOR UPDATE",
                    target, account, u.targetSid().kind().prefix())) {
                throw new MissingReferenceException(u.targetSid().kind() + " " + u.targetSid());
            }
            long count = findOne(c, "SELECT COUNT(*) FROM origination_urls WHERE target_sid = ?", rs -> rs.getLong(1),
                    target).orElse(0L);
            if (count >= maxPerTarget) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO origination_urls (friendly_name, sip_url,"
                    + " priority, weight, enabled, date_updated, account_sid, target_sid, date_created, sid)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = bindOriginationUrl(ps, u);
                ps.setString(i++, account);
                ps.setString(i++, target);
                ps.setLong(i++, Sql.nanos(u.dateCreated()));
                ps.setString(i, Sql.key(u.sid()));
                ps.executeUpdate();
            }
            return List.of(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_CHANGED, u.accountSid(), u.sid(), u.targetSid()));
        });
    }

    @Override
    public boolean updateOriginationUrl(OriginationUrl u) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE origination_urls SET friendly_name = ?, sip_url = ?,"
                    + " priority = ?, weight = ?, enabled = ?, date_updated = ?"
                    + " WHERE account_sid = ? AND target_sid = ? AND sid = ?")) {
                int i = bindOriginationUrl(ps, u);
                bindFrom(ps, i, Sql.key(u.accountSid()), Sql.key(u.targetSid()), Sql.key(u.sid()));
                return ps.executeUpdate() == 0 ? List.of()
                        : List.of(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_CHANGED, u.accountSid(), u.sid(),
                                u.targetSid()));
            }
        });
    }

    /** Binds the updatable columns, from 1; returns the next free index. */
    private static int bindOriginationUrl(PreparedStatement ps, OriginationUrl u) throws SQLException {
        ps.setString(1, u.friendlyName());
        ps.setString(2, u.sipUrl());
        ps.setInt(3, u.priority());
        ps.setInt(4, u.weight());
        ps.setBoolean(5, u.enabled());
        ps.setLong(6, Sql.nanos(u.dateUpdated()));
        return 7;
    }

    @Override
    public Optional<OriginationUrl> findOriginationUrl(Sid accountSid, Sid targetSid, Sid sid) {
        return read(c -> findOne(c, Sql.ORIGINATION_URL + " WHERE o.account_sid = ? AND o.target_sid = ? AND o.sid = ?",
                Sql::originationUrl, Sql.key(accountSid), Sql.key(targetSid), Sql.key(sid)));
    }

    @Override
    public List<OriginationUrl> listOriginationUrls(Sid accountSid, Sid targetSid, PageQuery query) {
        return read(c -> Sql.page(c, Sql.ORIGINATION_URL + " WHERE o.account_sid = ? AND o.target_sid = ?",
                "o.date_created", "o.sid", query, ps -> bind(ps, Sql.key(accountSid), Sql.key(targetSid)),
                Sql::originationUrl));
    }

    @Override
    public boolean deleteOriginationUrl(Sid accountSid, Sid targetSid, Sid sid) {
        return write(c -> update(c, "DELETE FROM origination_urls WHERE account_sid = ? AND target_sid = ? AND sid = ?",
                Sql.key(accountSid), Sql.key(targetSid), Sql.key(sid)) == 0 ? List.of()
                : List.of(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, accountSid, sid, targetSid)));
    }

    // ---- change feed and lifecycle -------------------------------------------------------------

    @Override
    public AutoCloseable subscribe(Consumer<ChangeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return feed.subscribe(listener);
    }

    /**
     * A pooled connection passes {@link Connection#isValid} within a second (a ping, no query of
     * sipauth's tables) and, on PostgreSQL, the LISTEN connection of the change feed is up. Waits up
     * to the pool's connection timeout when the database is down.
     */
    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1) && (listener == null || listener.isListening());
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        dataSource.close();
        if (dataDirectory != null) {
            dataDirectory.secure(); // files H2 created while open (e.g. a trace file); looseness was reported at open
        }
    }

    // ---- statement helpers ---------------------------------------------------------------------

    private static int bind(PreparedStatement ps, String... values) throws SQLException {
        return bindFrom(ps, 1, values);
    }

    /** Binds {@code values} from parameter {@code first}; returns the next free index. */
    private static int bindFrom(PreparedStatement ps, int first, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setString(first + i, values[i]);
        }
        return first + values.length;
    }

    private static int update(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static boolean lock(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static <T> Optional<T> findOne(Connection c, String sql, Sql.RowMapper<T> mapper, String... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return Optional.ofNullable(Sql.single(ps, mapper));
        }
    }

    private static void requireAccount(Connection c, Sid account) throws SQLException {
        if (!lock(c, "SELECT sid FROM accounts WHERE sid = ?", Sql.key(account))) {
            throw new MissingReferenceException("account " + account);
        }
    }

    // ---- transactions -----------------------------------------------------------------------

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** What a write produced: its value and the events to publish once committed. */
    record Result<T>(T value, List<ChangeEvent> events) { }

    /** Runs read-only work on a pooled connection. */
    private <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("store read failed: " + e.getMessage(), e);
        }
    }

    /** A write whose work returns its events; true when it changed anything. */
    private boolean write(Work<List<ChangeEvent>> work) {
        return !write(c -> {
            List<ChangeEvent> events = work.run(c);
            return new Result<>(events, events);
        }, Result::events).value().isEmpty();
    }

    /**
     * Runs {@code work} in one transaction; on PostgreSQL the transaction also NOTIFYs its events
     * (delivered to other nodes on commit). Commits, then publishes the events to local subscribers,
     * then returns: so a write is durable and visible to this node's caches before it is acknowledged.
     * A unique or foreign-key violation rolls back and becomes a {@link DuplicateKeyException} or
     * {@link MissingReferenceException}; anything else is an outage ({@link StoreException}).
     */
    private <R> R write(Work<R> work, java.util.function.Function<R, List<ChangeEvent>> events) {
        R result;
        List<ChangeEvent> published;
        try (Connection c = dataSource.getConnection()) {
            try {
                result = work.run(c);
                published = events.apply(result);
                if (dialect == Dialect.POSTGRESQL && !published.isEmpty()) {
                    notifyOthers(c, published);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        feed.publish(published);
        return result;
    }

    private void notifyOthers(Connection c, List<ChangeEvent> events) throws SQLException {
        // A huge cascade (a list with many credentials) is sent as one RESET: cheaper for every
        // node than thousands of single invalidations, and NOTIFY payloads queue in shared memory.
        List<ChangeEvent> sent = events.size() > MAX_NOTIFICATIONS_PER_TRANSACTION
                ? List.of(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null)) : events;
        String[] payloads = new String[sent.size()];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = new ChangePayload(nodeId, sent.get(i)).encode();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_notify('" + PgChangeListener.CHANNEL + "', p) FROM unnest(?::text[]) AS p")) {
            ps.setArray(1, c.createArrayOf("text", payloads));
            ps.executeQuery().close();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; Hikari discards it
        }
    }

    private StoreException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("23505")) {
            String text = violatedConstraint(e);
            if (text.contains("domain_name_key")) {
                return new DuplicateKeyException(DuplicateKeyException.Key.DOMAIN_NAME);
            }
            if (text.contains("friendly_name_key")) {
                return new DuplicateKeyException(DuplicateKeyException.Key.FRIENDLY_NAME);
            }
            if (text.contains("username_key")) {
                return new DuplicateKeyException(DuplicateKeyException.Key.USERNAME);
            }
            if (text.contains("list_mappings")) { // credential_list_mappings, ip_access_control_list_mappings
                return new DuplicateKeyException(DuplicateKeyException.Key.MAPPING);
            }
            return new DuplicateKeyException(DuplicateKeyException.Key.SID);
        }
        if (state.equals("23503")) {
            return new MissingReferenceException("referenced resource (" + e.getMessage() + ")");
        }
        return new StoreException("store write failed: " + e.getMessage(), e);
    }

    /**
     * The violated constraint's name (ours, from V1__schema.sql), lowercase: PostgreSQL reports it
     * as a field; H2 names the constraint's index at the start of its message, before the values.
     */
    private String violatedConstraint(SQLException e) {
        if (dialect == Dialect.POSTGRESQL && e instanceof PSQLException pe && pe.getServerErrorMessage() != null
                && pe.getServerErrorMessage().getConstraint() != null) {
            return pe.getServerErrorMessage().getConstraint().toLowerCase(Locale.ROOT);
        }
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        int values = text.indexOf(" values ");
        return values < 0 ? text : text.substring(0, values);
    }

    /** Options of a {@link JdbcStore}; each setter checks its value. */
    public static final class Builder {
        private String url;
        private Path dataDir;
        private String user;
        private String password;
        private String fileEncryptionKey;
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
            this.dataDir = null;
            return this;
        }

        /**
         * Embedded H2 in {@code dataDir} (file {@code sipauth.mv.db}). A missing directory is created
         * owner-only ({@code rwx------}), the files H2 creates in it are made {@code rw-------}, and
         * an existing directory or file that group or others can use is reported with one warning
         * when the store opens (POSIX file systems; elsewhere nothing is checked).
         */
        public Builder h2(Path dataDir) {
            Objects.requireNonNull(dataDir, "dataDir");
            Path dir = dataDir.toAbsolutePath().normalize();
            try {
                DataDirectory.create(dir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
            }
            this.url = "jdbc:h2:file:" + dir.resolve("sipauth");
            this.dataDir = dir;
            return this;
        }

        /**
         * Encrypts the H2 database file with AES under this key (H2's {@code CIPHER=AES}); H2 only.
         * The same key must be given on every open: without it (or with another) the file cannot be
         * opened, and a file created without a key cannot be opened with one (H2's
         * {@code ChangeFileEncryption} tool converts it). At least 16 characters, no white space
         * (H2 separates the file key from the user's password with a space); never logged.
         */
        public Builder fileEncryptionKey(String key) {
            if (key == null) {
                this.fileEncryptionKey = null;
                return this;
            }
            if (key.length() < 16) {
                throw new IllegalArgumentException("the file encryption key must be at least 16 characters");
            }
            if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("the file encryption key must not contain white space or control characters");
            }
            this.fileEncryptionKey = key;
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
            if (fileEncryptionKey != null) {
                if (Dialect.of(url) != Dialect.H2) {
                    throw new IllegalArgumentException("a file encryption key applies to H2 only");
                }
                if (url.toUpperCase(Locale.ROOT).contains(";CIPHER=")) {
                    throw new IllegalArgumentException("set the cipher either in the H2 URL or with fileEncryptionKey, not both");
                }
            }
            return new JdbcStore(this);
        }
    }
}
