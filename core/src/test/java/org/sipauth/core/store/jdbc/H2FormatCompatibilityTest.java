package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.PageQuery;

/**
 * An H2 data directory written by an earlier H2 release opens with the H2 in use: the data files in
 * {@code src/test/resources/h2-2.3.232} were written through {@link JdbcStore} with H2 2.3.232 (see the
 * README there and {@link #main}). Each test opens a copy, reads every resource back, and writes.
 */
class H2FormatCompatibilityTest {

    static final String FIXTURE = "h2-2.3.232";
    static final String KEY = "fixture-file-encryption-key-2.3.232";
    static final Instant T0 = Instant.parse("2026-12-03T12:00:00.123Z");
    static final Sid ACCOUNT = Sid.of(SidKind.ACCOUNT, "AC" + "23".repeat(16));
    static final Sid TRUNK = Sid.of(SidKind.TRUNK, "TK" + "23".repeat(16));
    static final Sid DOMAIN = Sid.of(SidKind.SIP_DOMAIN, "SD" + "23".repeat(16));
    static final Sid LIST = Sid.of(SidKind.CREDENTIAL_LIST, "CL" + "23".repeat(16));
    static final Sid CREDENTIAL = Sid.of(SidKind.CREDENTIAL, "CR" + "23".repeat(16));
    static final String HEX32 = "0123456789abcdef0123456789abcdef";
    static final String HEX64 = HEX32 + HEX32;

    @TempDir
    Path tmp;

    /**
     * Writes the fixture: {@code plain/} and {@code encrypted/} (file encryption with {@link #KEY}) under
     * {@code args[0]}. Run with the H2 release the fixture is named after on the class path.
     */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        try (JdbcStore store = JdbcStore.h2(out.resolve("plain"))) {
            write(store);
        }
        try (JdbcStore store = JdbcStore.builder().h2(out.resolve("encrypted")).fileEncryptionKey(KEY).build()) {
            write(store);
        }
    }

    private static void write(JdbcStore store) {
        store.insertAccount(new Account(ACCOUNT, "fixture", HEX64, Account.Status.ACTIVE, T0, T0));
        store.insertTrunk(new Trunk(TRUNK, ACCOUNT, "trunk", "pbx.example.test", null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, T0, T0));
        store.insertSipDomain(new SipDomain(DOMAIN, ACCOUNT, "domain", "office.sip.example.test",
                "https://example.test/voice", "POST", null, "POST", null, "POST", true, false, true, null, null, null, T0, T0));
        store.insertCredentialList(new CredentialList(LIST, ACCOUNT, "staff", T0, T0));
        store.insertCredential(new Credential(CREDENTIAL, ACCOUNT, LIST, "alice",
                new Ha1Set("sipauth", HEX32, HEX64, HEX64), T0, T0));
        store.insertMapping(MappingKind.DOMAIN_CALLS, ACCOUNT, DOMAIN, LIST, T0);
        store.insertMapping(MappingKind.TRUNK, ACCOUNT, TRUNK, LIST, T0);
    }

    private Path copy(String variant) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(variant));
        try (InputStream in = getClass().getResourceAsStream("/" + FIXTURE + "/" + variant + "/sipauth.mv.db")) {
            assertTrue(in != null, "fixture " + variant);
            Files.copy(in, dir.resolve("sipauth.mv.db"));
        }
        return dir;
    }

    private static void readsAndWrites(JdbcStore.Builder builder) {
        try (JdbcStore store = builder.build()) {
            assertEquals("fixture", store.findAccount(ACCOUNT).orElseThrow().friendlyName());
            assertEquals("pbx.example.test", store.findTrunk(ACCOUNT, TRUNK).orElseThrow().domainName());
            assertEquals("office.sip.example.test", store.findSipDomain(ACCOUNT, DOMAIN).orElseThrow().domainName());
            // the fixture predates schema version 2: its targets have no digest algorithm offer of their own
            assertNull(store.findTrunk(ACCOUNT, TRUNK).orElseThrow().digestAlgorithms());
            assertNull(store.findSipDomain(ACCOUNT, DOMAIN).orElseThrow().digestAlgorithms());
            assertEquals("staff", store.findCredentialList(ACCOUNT, LIST).orElseThrow().friendlyName());
            Credential alice = store.findCredential(ACCOUNT, LIST, CREDENTIAL).orElseThrow();
            assertEquals("alice", alice.username());
            assertEquals(new Ha1Set("sipauth", HEX32, HEX64, HEX64), alice.ha1());
            assertEquals(T0, alice.dateCreated());
            assertEquals(1, store.listMappings(MappingKind.DOMAIN_CALLS, ACCOUNT, DOMAIN, PageQuery.first(10)).size());
            List<String> targets = store.authTargets().stream().map(t -> t.sid().value()).sorted().toList();
            assertEquals(List.of(DOMAIN.value(), TRUNK.value()).stream().sorted().toList(), targets);

            store.insertCredentialList(new CredentialList(Sid.random(SidKind.CREDENTIAL_LIST), ACCOUNT, "new", T0, T0));
            assertEquals(2, store.listCredentialLists(ACCOUNT, PageQuery.first(10)).size());
        }
        try (JdbcStore store = builder.build()) {
            assertEquals(2, store.listCredentialLists(ACCOUNT, PageQuery.first(10)).size(), "after reopening");
        }
    }

    @Test
    void dataDirectoryWrittenByH2_2_3_232_opens() throws IOException {
        Path dir = copy("plain");
        readsAndWrites(JdbcStore.builder().h2(dir));
    }

    @Test
    void encryptedDataDirectoryWrittenByH2_2_3_232_opensWithItsKey() throws IOException {
        Path dir = copy("encrypted");
        readsAndWrites(JdbcStore.builder().h2(dir).fileEncryptionKey(KEY));
    }
}
