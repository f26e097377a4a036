package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.AuthTarget;

/**
 * A data directory whose schema is version 1 (before targets had a digest algorithm offer) upgrades
 * when a {@link JdbcStore} opens it: every row is still there, and trunks and SIP domains have no
 * offer of their own (null: the engine's server-wide offer) until one is written. A directory at
 * version 2 (before IP access control lists) upgrades likewise: its rows are kept, its targets have
 * no IP access control list until one is mapped, and the new tables take lists, entries and mappings.
 */
class H2SchemaUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00.123Z");
    private static final Sid ACCOUNT = Sid.of(SidKind.ACCOUNT, "AC" + "a1".repeat(16));
    private static final Sid TRUNK = Sid.of(SidKind.TRUNK, "TK" + "a1".repeat(16));
    private static final Sid DOMAIN = Sid.of(SidKind.SIP_DOMAIN, "SD" + "a1".repeat(16));
    private static final Sid LIST = Sid.of(SidKind.CREDENTIAL_LIST, "CL" + "a1".repeat(16));
    private static final Sid CREDENTIAL = Sid.of(SidKind.CREDENTIAL, "CR" + "a1".repeat(16));
    private static final String HEX32 = "0123456789abcdef0123456789abcdef";
    /** The columns every schema version has: later versions only add columns. */
    private static final String TARGET_ROW = "INSERT INTO auth_targets (sid, kind, account_sid, friendly_name, domain_name,"
            + " secure, date_created, date_updated) VALUES ";

    @TempDir
    Path dir;

    /** The schema at {@code version} exactly, as a release before the next migration created it, with one of each resource. */
    private void writeDatabase(String version) throws SQLException {
        String url = migratedTo(dir, version);
        long t0 = Sql.nanos(T0);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            insert(c, "INSERT INTO accounts VALUES (?, 'fixture', ?, 'ACTIVE', ?, ?)", ACCOUNT.value(), HEX32 + HEX32, t0, t0);
            insert(c, TARGET_ROW + "(?, 'TK', ?, 'trunk', 'pbx.example.test', FALSE, ?, ?)",
                    TRUNK.value(), ACCOUNT.value(), t0, t0);
            insert(c, "INSERT INTO trunks VALUES (?, 'https://dr.example.test/', 'POST', 'enable-all', TRUE,"
                    + " 'from-transferor', FALSE)", TRUNK.value());
            insert(c, TARGET_ROW + "(?, 'SD', ?, NULL, 'office.example.test', TRUE, ?, ?)",
                    DOMAIN.value(), ACCOUNT.value(), t0, t0);
            insert(c, "INSERT INTO sip_domains VALUES (?, 'https://app.example.test/voice', 'GET', NULL, 'POST', NULL,"
                    + " 'POST', TRUE, FALSE, NULL, NULL)", DOMAIN.value());
            insert(c, "INSERT INTO credential_lists VALUES (?, ?, 'staff', ?, ?)", LIST.value(), ACCOUNT.value(), t0, t0);
            insert(c, "INSERT INTO credentials VALUES (?, ?, ?, 'alice', 'sipauth', ?, ?, ?, ?, ?)", CREDENTIAL.value(),
                    ACCOUNT.value(), LIST.value(), HEX32, HEX32 + HEX32, HEX32 + HEX32, t0, t0);
            insert(c, "INSERT INTO credential_list_mappings VALUES (?, 'TRUNK', ?, ?, ?, ?)", TRUNK.value(), LIST.value(),
                    ACCOUNT.value(), t0, t0);
            insert(c, "INSERT INTO credential_list_mappings VALUES (?, 'DOMAIN_CALLS', ?, ?, ?, ?)", DOMAIN.value(),
                    LIST.value(), ACCOUNT.value(), t0, t0);
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    /** Creates the H2 database of data directory {@code dir} at schema {@code version} exactly; returns its URL. */
    static String migratedTo(Path dir, String version) {
        String url = JdbcStore.h2Url("jdbc:h2:file:" + dir.resolve("sipauth"));
        Flyway.configure(JdbcStore.class.getClassLoader()).dataSource(url, "sa", "")
                .locations("classpath:db/migration").table("sipauth_schema_history").target(version).load().migrate();
        return url;
    }

    static void insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }

    static List<String> appliedVersions(JdbcStore store) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT version FROM sipauth_schema_history WHERE success AND version IS NOT NULL"
                             + " ORDER BY installed_rank")) {
            List<String> versions = Sql.list(ps, rs -> rs.getString(1));
            c.rollback();
            return versions;
        }
    }

    @Test
    void version1DataDirectory_upgradesWithoutLoss_andTargetsHaveNoOfferOfTheirOwn() throws SQLException {
        writeDatabase("1");
        Trunk expectedTrunk = new Trunk(TRUNK, ACCOUNT, "trunk", "pbx.example.test", "https://dr.example.test/", "POST",
                "enable-all", false, true, "from-transferor", false, null, T0, T0);
        SipDomain expectedDomain = new SipDomain(DOMAIN, ACCOUNT, null, "office.example.test",
                "https://app.example.test/voice", "GET", null, "POST", null, "POST", true, false, true, null, null, null,
                T0, T0);

        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertEquals(List.of("1", "2", "3", "4"), appliedVersions(store));
            assertEquals(expectedTrunk, store.findTrunk(ACCOUNT, TRUNK).orElseThrow());
            assertEquals(expectedDomain, store.findSipDomain(ACCOUNT, DOMAIN).orElseThrow());
            assertEquals(List.of(
                    new AuthTarget(DOMAIN, ACCOUNT, "office.example.test", List.of(LIST), List.of(), null),
                    new AuthTarget(TRUNK, ACCOUNT, "pbx.example.test", List.of(LIST), List.of(), null)),
                    store.authTargets());
            Credential alice = store.findCredential(ACCOUNT, LIST, CREDENTIAL).orElseThrow();
            assertEquals("alice", alice.username());
            assertEquals(HEX32, alice.ha1().md5());
            assertEquals("staff", store.findMapping(MappingKind.DOMAIN_CALLS, ACCOUNT, DOMAIN, LIST).orElseThrow()
                    .friendlyName());

            // the upgraded table takes an offer like a new one
            Trunk withOffer = new Trunk(TRUNK, ACCOUNT, "trunk", "pbx.example.test", "https://dr.example.test/",
                    "POST", "enable-all", false, true, "from-transferor", false, List.of("SHA-256", "MD5"), T0,
                    T0.plusSeconds(1));
            store.updateTrunk(withOffer);
        }
        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertEquals(List.of("1", "2", "3", "4"), appliedVersions(store), "a current schema is left as it is");
            assertEquals(List.of("SHA-256", "MD5"), store.findTrunk(ACCOUNT, TRUNK).orElseThrow().digestAlgorithms());
            assertNull(store.findSipDomain(ACCOUNT, DOMAIN).orElseThrow().digestAlgorithms());
        }
    }

    @Test
    void version2DataDirectory_upgradesWithoutLoss_andTakesIpAccessControlLists() throws SQLException {
        writeDatabase("2");
        Sid acl = Sid.of(SidKind.IP_ACCESS_CONTROL_LIST, "AL" + "a1".repeat(16));
        Sid entry = Sid.of(SidKind.IP_ADDRESS, "IP" + "a1".repeat(16));
        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertEquals(List.of("1", "2", "3", "4"), appliedVersions(store));
            assertEquals(List.of(
                    new AuthTarget(DOMAIN, ACCOUNT, "office.example.test", List.of(LIST), List.of(), null, List.of()),
                    new AuthTarget(TRUNK, ACCOUNT, "pbx.example.test", List.of(LIST), List.of(), null, List.of())),
                    store.authTargets());
            assertEquals("alice", store.findCredential(ACCOUNT, LIST, CREDENTIAL).orElseThrow().username());

            store.insertIpAccessControlList(new IpAccessControlList(acl, ACCOUNT, "office", T0, T0));
            store.insertIpAddress(new IpAddress(entry, ACCOUNT, acl, "loopback", "127.0.0.0", 8, T0, T0));
            store.insertIpAccessControlListMapping(MappingKind.TRUNK, ACCOUNT, TRUNK, acl, T0);
        }
        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertEquals(List.of(acl), store.authTarget(TRUNK).orElseThrow().callIpAccessControlListSids());
            assertEquals(List.of(LIST), store.authTarget(TRUNK).orElseThrow().callCredentialListSids());
            assertEquals("127.0.0.0", store.ipAddressesOf(acl).get(0).ipAddress());
        }
    }
}
