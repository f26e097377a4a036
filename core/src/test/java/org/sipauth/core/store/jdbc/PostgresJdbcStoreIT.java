package org.sipauth.core.store.jdbc;

/** {@link JdbcStoreBehaviour} on a real PostgreSQL (see {@link PostgresFixture}). */
class PostgresJdbcStoreIT extends JdbcStoreBehaviour {

    @Override
    JdbcStore open() {
        return PostgresFixture.newDatabase().storeBuilder().build();
    }
}
