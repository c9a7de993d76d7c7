package dev.flujo.core.agent;

/**
 * Resolves an agent reference (an endpoint URI or {@code #bean}) named at run time, e.g. by a plugin's redirect.
 * Implementations resolve each reference once and keep it.
 */
@FunctionalInterface
public interface AgentResolver {

    AgentResolver NONE = ref -> {
        throw new dev.flujo.core.FlujoConfigurationException("No agent resolver: cannot resolve agent '" + ref + "'");
    };

    /**
     * @throws dev.flujo.core.FlujoConfigurationException naming the reference when it cannot be resolved
     */
    NamedAgent resolve(String reference);
}
