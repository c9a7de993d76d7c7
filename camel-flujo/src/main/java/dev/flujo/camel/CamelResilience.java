package dev.flujo.camel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.AgentBreakers;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * The component's circuit breakers (one per agent) and bulkheads (one per step), kept in the
 * {@link CircuitBreakerRegistry} and {@link BulkheadRegistry} camel-resilience4j's {@code circuitBreaker()} EIP uses -
 * found the same way: a registry bean, else the context's registry plugin, else a new one registered as that
 * plugin. So flujo's breakers and the EIP's live side by side, and camel-resilience4j-micrometer meters them all
 * ({@code resilience4j.circuitbreaker.*} and {@code resilience4j.bulkhead.*}, tag {@code name}).
 *
 * <p>The registries are looked up when the first step that needs one starts, not when the component is created:
 * camel-resilience4j-micrometer installs its own plugins while the context initialises, and an earlier lookup would
 * create registries it then replaces (leaving flujo's unmetered).
 */
final class CamelResilience {

    private static final Map<String, String> TAGS = Map.of("component", "flujo");

    private final java.util.function.Supplier<CamelContext> camelContext;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Set<String> createdBulkheads = ConcurrentHashMap.newKeySet();
    private volatile CircuitBreakerRegistry registry;
    private volatile BulkheadRegistry bulkheads;

    /** @param camelContext the component's context, read when first needed (a component gets it after creation) */
    CamelResilience(java.util.function.Supplier<CamelContext> camelContext) {
        this.camelContext = camelContext;
    }

    CircuitBreakerRegistry registry() {
        CircuitBreakerRegistry found = registry;
        if (found == null) {
            synchronized (this) {
                found = registry;
                if (found == null) {
                    CamelContext context = camelContext.get();
                    found = CamelContextHelper.findSingleByType(context, CircuitBreakerRegistry.class);
                    if (found == null) {
                        var extension = context.getCamelContextExtension();
                        found = extension.getContextPlugin(CircuitBreakerRegistry.class);
                        if (found == null) {
                            found = CircuitBreakerRegistry.ofDefaults();
                            extension.addContextPlugin(CircuitBreakerRegistry.class, found);
                        }
                    }
                    registry = found;
                }
            }
        }
        return found;
    }

    private synchronized BulkheadRegistry bulkheadRegistry() {
        if (bulkheads == null) {
            CamelContext context = camelContext.get();
            BulkheadRegistry found = CamelContextHelper.findSingleByType(context, BulkheadRegistry.class);
            if (found == null) {
                var extension = context.getCamelContextExtension();
                found = extension.getContextPlugin(BulkheadRegistry.class);
                if (found == null) {
                    found = BulkheadRegistry.ofDefaults();
                    extension.addContextPlugin(BulkheadRegistry.class, found);
                }
            }
            bulkheads = found;
        }
        return bulkheads;
    }

    /**
     * The bulkhead of a step ({@code flujo-step-<name>}): at most {@code maxConcurrentExecutions} executions at
     * once; one more waits up to {@code maxConcurrentExecutionsWait}, then is rejected.
     */
    Bulkhead bulkheadForStep(String step, OptimizationConfig options) {
        String name = "flujo-step-" + step;
        createdBulkheads.add(name);
        return bulkheadRegistry().bulkhead(name, BulkheadConfig.custom()
                .maxConcurrentCalls(options.maxConcurrentExecutions())
                .maxWaitDuration(options.maxConcurrentExecutionsWait())
                .build(), TAGS);
    }

    /**
     * The breakers of one step: the registry's breaker of each agent ({@code flujo-<agent>}, shared by every step
     * calling that agent; the first step to create it configures it), or the user's own breaker for the step's agent.
     */
    AgentBreakers forStep(OptimizationConfig options, String primaryAgent, CircuitBreaker ownBreaker) {
        CircuitBreakerConfig config = AgentBreakers.config(options, null);
        return new AgentBreakers(agent -> {
            if (ownBreaker != null && agent.equals(primaryAgent)) {
                return ownBreaker;
            }
            String name = AgentBreakers.breakerName(agent);
            created.add(name);
            return registry().circuitBreaker(name, config, TAGS);
        });
    }

    /** Removes the breakers and bulkheads flujo created (the EIP's and the user's are left alone). */
    void clear() {
        CircuitBreakerRegistry found = registry;
        if (found != null) {
            created.forEach(found::remove);
        }
        created.clear();
        registry = null;
        BulkheadRegistry foundBulkheads = bulkheads;
        if (foundBulkheads != null) {
            createdBulkheads.forEach(foundBulkheads::remove);
        }
        createdBulkheads.clear();
        bulkheads = null;
    }
}
