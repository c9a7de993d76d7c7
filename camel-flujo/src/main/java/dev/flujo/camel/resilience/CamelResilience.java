package dev.flujo.camel.resilience;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.AgentBreakers;
import dev.flujo.core.resilience.AgentRateLimits;
import dev.flujo.core.resilience.StepProtection;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * The component's circuit breakers and rate limiters (per agent) and bulkheads (one per step), kept in the
 * {@link CircuitBreakerRegistry} and {@link BulkheadRegistry} camel-resilience4j's {@code circuitBreaker()} EIP uses -
 * found the same way: a registry bean, else the context's registry plugin, else a new one registered as that plugin. So
 * flujo's breakers and the EIP's live side by side, and camel-resilience4j-micrometer meters them all
 * ({@code resilience4j.circuitbreaker.*} and {@code resilience4j.bulkhead.*}, tag {@code name}).
 *
 * <p>
 * The registries are looked up when the first step that needs one starts, not when the component is created:
 * camel-resilience4j-micrometer installs its own plugins while the context initialises, and an earlier lookup would
 * create registries it then replaces (leaving flujo's unmetered).
 */
public final class CamelResilience {

    private static final Map<String, String> TAGS = Map.of("component", "flujo");

    private final java.util.function.Supplier<CamelContext> camelContext;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Set<String> createdBulkheads = ConcurrentHashMap.newKeySet();
    private final Set<String> createdLimiters = ConcurrentHashMap.newKeySet();
    private CircuitBreakerRegistry registry;
    private BulkheadRegistry bulkheads;
    private RateLimiterRegistry limiters;
    private final Map<String, TokenBucket> tokenBuckets = new ConcurrentHashMap<>();

    /** @param camelContext the component's context, read when first needed (a component gets it after creation) */
    public CamelResilience(java.util.function.Supplier<CamelContext> camelContext) {
        this.camelContext = camelContext;
    }

    synchronized CircuitBreakerRegistry registry() {
        if (registry == null) {
            registry = lookup(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults);
        }
        return registry;
    }

    private synchronized BulkheadRegistry bulkheadRegistry() {
        if (bulkheads == null) {
            bulkheads = lookup(BulkheadRegistry.class, BulkheadRegistry::ofDefaults);
        }
        return bulkheads;
    }

    /**
     * The rate limiters' registry: a {@link RateLimiterRegistry} bean (so the user's own Resilience4j set-up, and its
     * meters, see flujo's limiters), else the context's plugin, else a new plugin.
     */
    private synchronized RateLimiterRegistry rateLimiterRegistry() {
        if (limiters == null) {
            limiters = lookup(RateLimiterRegistry.class, RateLimiterRegistry::ofDefaults);
        }
        return limiters;
    }

    /**
     * The rate limiters of one step's agents: the registry's {@code flujo-<agent>-requests} and
     * {@code flujo-<agent>-tokens}, shared by every step calling that agent (the first step to create them configures
     * them; a runtime change of the limits replaces them).
     */
    AgentRateLimits rateLimitsForStep(OptimizationConfig options, boolean runtimeChange) {
        RateLimiterConfig requests = AgentRateLimits.requestsConfig(options.rateLimit());
        return new AgentRateLimits(
                agent -> new AgentRateLimits.Limiters(
                        agent, limiter(AgentRateLimits.requestsName(agent), requests, runtimeChange),
                        bucket(AgentRateLimits.tokensName(agent), options.rateLimit().tokensPerMinute(), runtimeChange),
                        options.rateLimit()));
    }

    /**
     * The token bucket of an agent, kept here by name (Resilience4j has no registry of buckets): shared like the
     * request limiter; a runtime change of tokensPerMinute replaces it.
     */
    private Bucket bucket(String name, long tokensPerMinute, boolean runtimeChange) {
        if (tokensPerMinute <= 0) {
            return null;
        }
        return tokenBuckets.compute(name, (n, existing) -> {
            if (existing != null && (!runtimeChange || existing.tokensPerMinute() == tokensPerMinute)) {
                return existing;
            }
            return new TokenBucket(tokensPerMinute, AgentRateLimits.tokenBucket(tokensPerMinute));
        }).bucket();
    }

    /** A bucket with the limit it was made for. */
    private record TokenBucket(long tokensPerMinute, Bucket bucket) {
    }

    /**
     * The tokens left in an agent's bucket ({@code flujo-<agent>-tokens}; negative in debt), or -1 when it has none.
     */
    public long availableTokens(String agent) {
        TokenBucket b = tokenBuckets.get(AgentRateLimits.tokensName(agent));
        return b == null ? -1 : b.bucket().getAvailableTokens();
    }

    private RateLimiter limiter(String name, RateLimiterConfig config, boolean runtimeChange) {
        if (config == null) {
            return null;
        }
        createdLimiters.add(name);
        RateLimiterRegistry registry = rateLimiterRegistry();
        RateLimiter existing = registry.find(name).orElse(null);
        if (runtimeChange && existing != null && !AgentRateLimits.sameSettings(existing.getRateLimiterConfig(), config)) {
            RateLimiter replacement = RateLimiter.of(name, config, TAGS);
            registry.replace(name, replacement);
            return replacement;
        }
        return registry.rateLimiter(name, config, TAGS);
    }

    /** camel-resilience4j's chain: the single bean of the type, else the context's plugin, else a new plugin. */
    private <R> R lookup(Class<R> type, java.util.function.Supplier<R> create) {
        CamelContext context = camelContext.get();
        R found = CamelContextHelper.findSingleByType(context, type);
        if (found == null) {
            var extension = context.getCamelContextExtension();
            found = extension.getContextPlugin(type);
            if (found == null) {
                found = create.get();
                extension.addContextPlugin(type, found);
            }
        }
        return found;
    }

    /**
     * The bulkhead of a step ({@code flujo-step-<name>}): at most {@code maxConcurrentExecutions} executions at once;
     * one more waits up to {@code maxConcurrentExecutionsWait}, then is rejected.
     */
    Bulkhead bulkheadForStep(String step, OptimizationConfig options) {
        String name = "flujo-step-" + step;
        createdBulkheads.add(name);
        BulkheadConfig config = BulkheadConfig.custom()
                .maxConcurrentCalls(options.protection().maxConcurrentExecutions())
                .maxWaitDuration(options.protection().maxConcurrentExecutionsWait())
                .build();
        Bulkhead bulkhead = bulkheadRegistry().bulkhead(name, config, TAGS);
        BulkheadConfig current = bulkhead.getBulkheadConfig();
        if (current.getMaxConcurrentCalls() != config.getMaxConcurrentCalls()
                || !current.getMaxWaitDuration().equals(config.getMaxWaitDuration())) {
            // the registry hands back the bulkhead it has; a runtime change (or the automatic optimizer's earlier
            // resize) is applied in place, without losing the calls in flight
            bulkhead.changeConfig(config);
        }
        return bulkhead;
    }

    /**
     * Where a step's guards come from: this component's registries, with the user's own breaker for the step's agent
     * ({@code circuitBreakerRef}, looked up only when breakers are on).
     */
    public StepProtection.Sources sources(
            String primaryAgent, java.util.function.Supplier<CircuitBreaker> ownBreaker,
            boolean runtimeChange) {
        return new StepProtection.Sources() {
            @Override
            public AgentBreakers breakers(String step, OptimizationConfig config) {
                return forStep(config, primaryAgent, ownBreaker.get(), runtimeChange);
            }

            @Override
            public Bulkhead bulkhead(String step, OptimizationConfig config) {
                return bulkheadForStep(step, config);
            }

            @Override
            public AgentRateLimits rateLimits(String step, OptimizationConfig config) {
                return rateLimitsForStep(config, runtimeChange);
            }
        };
    }

    /**
     * The breakers of one step: the registry's breaker of each agent ({@code flujo-<agent>}, shared by every step
     * calling that agent; the first step to create it configures it), or the user's own breaker for the step's agent.
     */
    AgentBreakers forStep(
            OptimizationConfig options, String primaryAgent, CircuitBreaker ownBreaker,
            boolean runtimeChange) {
        CircuitBreakerConfig config = AgentBreakers.config(options, null);
        return new AgentBreakers(agent -> {
            if (ownBreaker != null && agent.equals(primaryAgent)) {
                return ownBreaker;
            }
            String name = AgentBreakers.breakerName(agent);
            created.add(name);
            CircuitBreaker existing = registry().find(name).orElse(null);
            if (runtimeChange && existing != null && !sameSettings(existing.getCircuitBreakerConfig(), config)) {
                // a breaker's configuration is fixed: a runtime change of the threshold or the recovery time
                // replaces it in the registry (camel-resilience4j-micrometer follows the replacement)
                CircuitBreaker replacement = CircuitBreaker.of(name, config, TAGS);
                registry().replace(name, replacement);
                return replacement;
            }
            return registry().circuitBreaker(name, config, TAGS);
        });
    }

    private static boolean sameSettings(CircuitBreakerConfig a, CircuitBreakerConfig b) {
        return a.getSlidingWindowSize() == b.getSlidingWindowSize()
                && a.getMinimumNumberOfCalls() == b.getMinimumNumberOfCalls()
                && a.getWaitIntervalFunctionInOpenState().apply(1).equals(b.getWaitIntervalFunctionInOpenState().apply(1));
    }

    /** Removes the breakers and bulkheads flujo created (the EIP's and the user's are left alone). */
    public synchronized void clear() {
        if (registry != null) {
            created.forEach(registry::remove);
        }
        if (bulkheads != null) {
            createdBulkheads.forEach(bulkheads::remove);
        }
        if (limiters != null) {
            createdLimiters.forEach(limiters::remove);
        }
        created.clear();
        createdBulkheads.clear();
        createdLimiters.clear();
        tokenBuckets.clear();
        registry = null;
        bulkheads = null;
        limiters = null;
    }
}
