package dev.flujo.core.agent;

import dev.flujo.core.result.Usage;

/**
 * What an agent answered.
 *
 * @param output the agent's output (becomes the step output after output processors)
 * @param usage  what the call consumed; {@link Usage#ZERO} when unknown. A usage without cost is priced from the step's
 *               {@code costPerInputToken} / {@code costPerOutputToken}.
 * @param model  the model that answered, as the provider names it (e.g. {@code gpt-4o-mini-2024-07-18}), or
 *               {@code null} when unknown; it goes into the step result ({@code model}) and the header
 *               {@code CamelFlujoModel}
 */
public record AgentResponse(Object output, Usage usage, String model) {

    public AgentResponse {
        usage = usage == null ? Usage.ZERO : usage;
    }

    public AgentResponse(Object output, Usage usage) {
        this(output, usage, null);
    }

    public static AgentResponse of(Object output) {
        return new AgentResponse(output, Usage.ZERO);
    }

    public static AgentResponse of(Object output, Usage usage) {
        return new AgentResponse(output, usage);
    }
}
