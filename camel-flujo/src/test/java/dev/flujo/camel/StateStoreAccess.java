package dev.flujo.camel;

import dev.flujo.core.state.StateStore;
import org.apache.camel.CamelContext;

/**
 * The store a started {@code flujo:resume} endpoint continues runs from, for tests outside this package: with
 * {@code stateStore=memory} it is the component's own, which nothing else reaches.
 */
public final class StateStoreAccess {

    private StateStoreAccess() {
    }

    /** @param resumeUri the URI of a started resume endpoint, as its route names it */
    public static StateStore of(CamelContext camel, String resumeUri) {
        StateStore store = camel.getEndpoint(resumeUri, FlujoEndpoint.class).getStateStore();
        if (store == null) {
            throw new IllegalStateException(resumeUri + " is not a started flujo:resume endpoint");
        }
        return store;
    }
}
