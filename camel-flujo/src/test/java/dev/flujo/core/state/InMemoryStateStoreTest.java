package dev.flujo.core.state;

class InMemoryStateStoreTest extends StateStoreContract {

    private final InMemoryStateStore store = new InMemoryStateStore();

    @Override
    StateStore store() {
        return store;
    }
}
