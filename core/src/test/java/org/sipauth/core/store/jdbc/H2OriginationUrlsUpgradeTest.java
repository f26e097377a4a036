package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.store.jdbc.H2SchemaUpgradeTest.appliedVersions;
import static org.sipauth.core.store.jdbc.H2SchemaUpgradeTest.insert;
import static org.sipauth.core.store.jdbc.H2SchemaUpgradeTest.migratedTo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;

/**
 * A data directory whose schema is version 2 (before origination URLs) upgrades when a
 * {@link JdbcStore} opens it: its trunks are still there, have no origination URLs, take new ones,
 * and delete as before.
 */
class H2OriginationUrlsUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00.123Z");
    private static final Sid ACCOUNT = Sid.of(SidKind.ACCOUNT, "AC" + "b2".repeat(16));
    private static final Sid TRUNK = Sid.of(SidKind.TRUNK, "TK" + "b2".repeat(16));
    private static final String HEX32 = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** The schema at version 2 exactly, as a release before V4 created it, with one trunk. */
    private void writeVersion2Database() throws SQLException {
        String url = migratedTo(dir, "2");
        long t0 = Sql.nanos(T0);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            insert(c, "INSERT INTO accounts VALUES (?, 'fixture', ?, 'ACTIVE', ?, ?)", ACCOUNT.value(), HEX32 + HEX32, t0, t0);
            insert(c, "INSERT INTO auth_targets (sid, kind, account_sid, friendly_name, domain_name, secure, date_created,"
                    + " date_updated, digest_algorithms) VALUES (?, 'TK', ?, 'trunk', 'pbx.example.test', FALSE, ?, ?, 'MD5')",
                    TRUNK.value(), ACCOUNT.value(), t0, t0);
            insert(c, "INSERT INTO trunks VALUES (?, NULL, NULL, 'disable-all', FALSE, 'from-transferee', FALSE)",
                    TRUNK.value());
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void version2DataDirectory_upgrades_andItsTrunksTakeOriginationUrls() throws SQLException {
        writeVersion2Database();
        OriginationUrl url = new OriginationUrl(Sid.random(SidKind.ORIGINATION_URL), ACCOUNT, TRUNK, "pbx",
                "sip:pbx.example.test:5080;transport=tcp", 10, 20, true, T0.plusSeconds(1), T0.plusSeconds(1));
        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertTrue(appliedVersions(store).containsAll(List.of("1", "2", "3", "4")), appliedVersions(store).toString());
            assertEquals("4", appliedVersions(store).get(appliedVersions(store).size() - 1));
            assertEquals(List.of(new AuthTarget(TRUNK, ACCOUNT, "pbx.example.test", List.of(), List.of(), List.of("MD5"))),
                    store.authTargets());
            assertTrue(store.originationUrlsOf(TRUNK).isEmpty());
            assertTrue(store.insertOriginationUrl(url, 100));
        }
        try (JdbcStore store = JdbcStore.h2(dir)) {
            assertEquals(List.of(url), store.originationUrlsOf(TRUNK));
            List<ChangeEvent> events = new ArrayList<>();
            store.subscribe(events::add);
            assertTrue(store.deleteTrunk(ACCOUNT, TRUNK));
            assertEquals(List.of(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, ACCOUNT, url.sid(), TRUNK),
                    new ChangeEvent(ChangeEvent.Type.TRUNK_DELETED, ACCOUNT, TRUNK, null)), events);
            assertTrue(store.originationUrlsOf(TRUNK).isEmpty());
        }
    }
}
