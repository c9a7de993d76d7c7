package dev.flujo.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentResolver;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;

/**
 * Resolves agent references of one step: {@code #bean} references to {@link FlujoAgent} beans, anything else to a
 * Camel endpoint wrapped in an {@link EndpointAgent}. Each reference is resolved once (at endpoint start for the
 * agent and fallback, on first use for a plugin's redirect target) and kept; the producers it starts are stopped
 * with it.
 */
final class CamelAgentResolver extends ServiceSupport implements AgentResolver {

    private final CamelContext camelContext;
    private final String step;
    private final EndpointAgent.UsageHeaders usageHeaders;
    private final Map<String, NamedAgent> resolved = new ConcurrentHashMap<>();
    private final List<AsyncProducer> producers = new CopyOnWriteArrayList<>();

    CamelAgentResolver(CamelContext camelContext, String step, EndpointAgent.UsageHeaders usageHeaders) {
        this.camelContext = camelContext;
        this.step = step;
        this.usageHeaders = usageHeaders;
    }

    @Override
    public NamedAgent resolve(String reference) {
        return resolve("agent", reference);
    }

    /** Resolves a reference named by an option, so that a failure names the option. */
    NamedAgent resolve(String option, String reference) {
        if (reference == null || reference.isBlank()) {
            throw BeanReferences.problem(step, option, String.valueOf(reference), "no agent reference given");
        }
        return resolved.computeIfAbsent(reference.trim(), ref -> create(option, ref));
    }

    private NamedAgent create(String option, String ref) {
        if (BeanReferences.isBeanReference(ref)) {
            Object bean = BeanReferences.lookup(camelContext, step, option, ref);
            if (!(bean instanceof FlujoAgent agent)) {
                throw BeanReferences.problem(step, option, ref,
                        "bean is a " + BeanReferences.typeName(bean) + ", not a " + FlujoAgent.class.getName());
            }
            return new NamedAgent(ref, agent);
        }
        // URIs may carry secrets (API keys): only the sanitized form is used in results, logs and errors
        String name = URISupport.sanitizeUri(ref);
        try {
            Endpoint endpoint = camelContext.getEndpoint(ref);
            if (endpoint == null) {
                throw BeanReferences.problem(step, option, name, "no such endpoint");
            }
            AsyncProducer producer = endpoint.createAsyncProducer();
            ServiceHelper.startService(producer);
            producers.add(producer);
            return new NamedAgent(name, new EndpointAgent(camelContext, producer, usageHeaders));
        } catch (FlujoConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new FlujoConfigurationException("Step '" + step + "', option " + option + ": cannot use agent endpoint '"
                    + name + "': " + URISupport.sanitizeUri(String.valueOf(e.getMessage())), sanitized(e));
        }
    }

    /**
     * Camel's own exceptions quote the endpoint URI, secrets included: what is chained instead is a copy of the
     * error with every message in its chain sanitized and the stack traces kept.
     */
    private static Throwable sanitized(Throwable error) {
        if (error == null) {
            return null;
        }
        RuntimeException copy = new RuntimeException(error.getClass().getName() + ": "
                + URISupport.sanitizeUri(String.valueOf(error.getMessage())), sanitized(error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producers);
        producers.clear();
        resolved.clear();
    }
}
