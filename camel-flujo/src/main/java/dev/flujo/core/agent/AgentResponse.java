package dev.flujo.core.agent;

import dev.flujo.core.result.Usage;

/**
 * What an agent answered.
 *
 * @param output the agent's output (becomes the step output after output processors)
 * @param usage  what the call consumed; {@link Usage#ZERO} when unknown. A usage without cost is priced from the step's
 *               {@code costPerInputToken} / {@code costPerOutputToken}.
 */
public record AgentResponse(Object output, Usage usage) {

    public AgentResponse {
        usage = usage == null ? Usage.ZERO : usage;
    }

    public static AgentResponse of(Object output) {
        return new AgentResponse(output, Usage.ZERO);
    }

    public static AgentResponse of(Object output, Usage usage) {
        return new AgentResponse(output, usage);
    }
}
