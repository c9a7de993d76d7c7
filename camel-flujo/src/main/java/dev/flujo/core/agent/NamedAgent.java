package dev.flujo.core.agent;

import java.util.Objects;

/** An agent with the reference it was resolved from, used in messages and redirect-cycle detection. */
public record NamedAgent(String name, FlujoAgent agent) {

    public NamedAgent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agent, "agent");
    }
}
