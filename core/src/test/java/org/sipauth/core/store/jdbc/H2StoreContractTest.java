package org.sipauth.core.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.store.Store;
import org.sipauth.core.store.StoreContractTest;

/** The shared Store contract on embedded H2 (file mode, temporary directory). */
class H2StoreContractTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return JdbcStore.h2(dir);
    }
}
