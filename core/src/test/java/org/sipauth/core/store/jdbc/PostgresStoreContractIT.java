package org.sipauth.core.store.jdbc;

import org.sipauth.core.store.Store;
import org.sipauth.core.store.StoreContractTest;

/** The shared Store contract on a real PostgreSQL 15 (see {@link PostgresFixture}). */
class PostgresStoreContractIT extends StoreContractTest {

    @Override
    protected Store newStore() {
        return PostgresFixture.newDatabase().storeBuilder().build();
    }
}
