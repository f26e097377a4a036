package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Credential;

/** {@link JdbcStoreBehaviour} on embedded H2 in a temporary directory, plus H2-only settings. */
class H2JdbcStoreTest extends JdbcStoreBehaviour {

    @TempDir
    Path dir;

    @Override
    JdbcStore open() {
        return JdbcStore.h2(dir);
    }

    @Test
    void closedAndReopened_keepsEverything() {
        CredentialList l = insertedList("staff");
        Credential c = insertedCredential(l, "alice", T0);
        store.close();
        store = open();
        assertEquals(l, store.findCredentialList(account, l.sid()).orElseThrow());
        assertEquals(java.util.List.of(c), store.credentialsOf(l.sid()));
    }

    @Test
    void h2UrlWithAWriteDelay_isRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder()
                .url("jdbc:h2:file:" + dir.resolve("other") + ";WRITE_DELAY=500").build());
        assertEquals("H2 URL must not set WRITE_DELAY other than 0 (durability)", e.getMessage());
    }
}
