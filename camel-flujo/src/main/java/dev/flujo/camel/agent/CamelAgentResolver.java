package dev.flujo.camel.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flujo.camel.agent.model.ModelAgents;
import dev.flujo.camel.option.BeanReferences;
import dev.flujo.core.agent.AgentResolver;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;

/**
 * Resolves agent references of one step: {@code #bean} references to {@link FlujoAgent} beans or LangChain4j chat
 * models ({@link ModelAgents}), anything else to a Camel endpoint wrapped in an {@link EndpointAgent}. Each reference
 * is resolved once (at endpoint start for the agent and fallback, on first use for a plugin's redirect target) and
 * kept; the producers it starts are stopped with it.
 */
public final class CamelAgentResolver extends ServiceSupport implements AgentResolver {

    private final CamelContext camelContext;
    private final String step;
    private final EndpointAgent.UsageHeaders usageHeaders;
    private final Map<String, NamedAgent> resolved = new ConcurrentHashMap<>();
    private final EndpointProducers producers;
    private final org.apache.camel.Expression systemMessage;

    public CamelAgentResolver(CamelContext camelContext, String step, EndpointAgent.UsageHeaders usageHeaders) {
        this(camelContext, step, usageHeaders, null);
    }

    /**
     * @param systemMessage the step's {@code systemMessage} template, given to model agents (LangChain4j chat models);
     *                      {@code null} for none
     */
    public CamelAgentResolver(CamelContext camelContext, String step, EndpointAgent.UsageHeaders usageHeaders,
                              String systemMessage) {
        this.camelContext = camelContext;
        this.step = step;
        this.usageHeaders = usageHeaders;
        this.producers = new EndpointProducers(camelContext, step);
        this.systemMessage = systemMessage == null || systemMessage.isBlank()
                ? null
                : dev.flujo.camel.option.SimpleLanguage.expression(camelContext, step, "systemMessage", systemMessage);
    }

    @Override
    public NamedAgent resolve(String reference) {
        return resolve("agent", reference);
    }

    /** Resolves a reference named by an option, so that a failure names the option. */
    public NamedAgent resolve(String option, String reference) {
        if (reference == null || reference.isBlank()) {
            throw BeanReferences.problem(step, option, String.valueOf(reference), "no agent reference given");
        }
        return resolved.computeIfAbsent(reference.trim(), ref -> create(option, ref));
    }

    private NamedAgent create(String option, String ref) {
        if (BeanReferences.isBeanReference(ref)) {
            Object bean = BeanReferences.lookup(camelContext, step, option, ref);
            if (bean instanceof FlujoAgent agent) {
                return new NamedAgent(ref, agent);
            }
            FlujoAgent model = ModelAgents.adapt(camelContext, step, bean, systemMessage);
            if (model == null) {
                throw BeanReferences.problem(step, option, ref,
                        "bean is a " + BeanReferences.typeName(bean) + ", neither a " + FlujoAgent.class.getName()
                                                                + " nor a LangChain4j ChatModel or StreamingChatModel");
            }
            return new NamedAgent(ref, model);
        }
        // URIs may carry secrets (API keys): only the sanitized form is used in results, logs and errors
        EndpointProducers.Call producer = producers.start(option, ref, "agent");
        // an agent route's HTTP client retrying on its own would multiply this step's retries: say so, once
        AgentOwnRetries.warnOnce(camelContext);
        return new NamedAgent(URISupport.sanitizeUri(ref), new EndpointAgent(camelContext, producer, usageHeaders));
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producers);
        resolved.clear();
    }
}
