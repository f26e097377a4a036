package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sipauth.core.store.jdbc.JdbcStoreBehaviour.HEX64;
import static org.sipauth.core.store.jdbc.JdbcStoreBehaviour.T0;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.StoreException;

/** The embedded store's data directory: owner-only modes, the report of looser ones, file encryption. */
class H2DataAtRestTest {

    private static final String KEY = "correct-horse-battery-staple-42";
    private static final String PROBE = "plaintextprobeuser";

    @TempDir
    Path tmp;

    private static void assumePosix(Path path) {
        assumeTrue(path.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static Sid storeProbeCredential(JdbcStore store) {
        Sid account = Sid.random(SidKind.ACCOUNT);
        store.insertAccount(new Account(account, "acct", HEX64, Account.Status.ACTIVE, T0, T0));
        CredentialList list = JdbcStoreBehaviour.list(account, "staff", T0);
        store.insertCredentialList(list);
        Credential c = JdbcStoreBehaviour.credential(list, PROBE, T0);
        store.insertCredential(c);
        return list.sid();
    }

    @Test
    void freshDataDirectory_isOwnerOnly_andSoAreTheFilesH2Creates() throws IOException {
        assumePosix(tmp);
        Path data = tmp.resolve("var/data");
        try (JdbcStore store = JdbcStore.h2(data)) {
            storeProbeCredential(store);
            assertEquals("rwx------", mode(data));
            assertFalse(files(data).isEmpty());
            for (Path file : files(data)) {
                assertEquals("rw-------", mode(file), file.toString());
            }
        }
        for (Path file : files(data)) {
            assertEquals("rw-------", mode(file), file + " after close");
        }
        assertTrue(DataDirectory.beforeOpen(data).secure().isEmpty(), "nothing to warn about at the next start");
    }

    @Test
    void existingLooseDirectoryAndFile_areReported_andLeftAsTheOperatorSetThem() throws IOException {
        assumePosix(tmp);
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (JdbcStore store = JdbcStore.h2(data)) {
            storeProbeCredential(store);
        }
        Path db = data.resolve("sipauth.mv.db");
        assertEquals("rw-------", mode(db), "created by H2 in this run, so tightened");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        List<String> loose = DataDirectory.beforeOpen(data).secure();
        assertEquals(List.of(data + " (rwxr-xr-x)", db + " (rw-r--r--)"), loose);
        JdbcStore.h2(data).close();
        assertEquals("rwxr-xr-x", mode(data), "reported at open, not changed");
        assertEquals("rw-r--r--", mode(db));
    }

    @Test
    void encryptedFile_holdsNoPlaintext_andOpensOnlyWithItsKey() throws IOException {
        Path plain = tmp.resolve("plain");
        try (JdbcStore store = JdbcStore.h2(plain)) {
            storeProbeCredential(store);
        }
        assertTrue(contains(plain.resolve("sipauth.mv.db"), PROBE), "control: an unencrypted file shows the username");

        Path data = tmp.resolve("encrypted");
        Sid list;
        try (JdbcStore store = JdbcStore.builder().h2(data).fileEncryptionKey(KEY).build()) {
            list = storeProbeCredential(store);
        }
        Path db = data.resolve("sipauth.mv.db");
        assertFalse(contains(db, PROBE), "the encrypted file shows no username");
        assertFalse(contains(db, HEX64), "nor a digest");
        try (JdbcStore store = JdbcStore.builder().h2(data).fileEncryptionKey(KEY).build()) {
            assertEquals(PROBE, store.credentialsOf(list).get(0).username());
        }
        var withoutKey = assertThrows(StoreException.class, () -> JdbcStore.builder().h2(data).build().close());
        assertTrue(withoutKey.getMessage().contains("file encryption key is missing or wrong"), withoutKey.getMessage());
        assertThrows(StoreException.class,
                () -> JdbcStore.builder().h2(data).fileEncryptionKey("another-key-of-16-chars").build().close());
    }

    @Test
    void fileEncryptionKey_isChecked_andNeverInTheMessage() {
        var shortKey = assertThrows(IllegalArgumentException.class,
                () -> JdbcStore.builder().fileEncryptionKey("Short1key"));
        assertFalse(shortKey.getMessage().contains("Short1key"));
        var spaced = assertThrows(IllegalArgumentException.class,
                () -> JdbcStore.builder().fileEncryptionKey("a key with spaces in it"));
        assertFalse(spaced.getMessage().contains("spaces in it"));
        assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder()
                .url("jdbc:postgresql://127.0.0.1:1/db").fileEncryptionKey(KEY).build());
        assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder()
                .url("jdbc:h2:file:" + tmp.resolve("x") + ";CIPHER=AES").fileEncryptionKey(KEY).build());
    }

    private static boolean contains(Path file, String text) throws IOException {
        byte[] haystack = Files.readAllBytes(file);
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
