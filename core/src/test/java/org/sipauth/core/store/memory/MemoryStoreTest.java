package org.sipauth.core.store.memory;

import org.sipauth.core.store.Store;
import org.sipauth.core.store.StoreContractTest;

class MemoryStoreTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
