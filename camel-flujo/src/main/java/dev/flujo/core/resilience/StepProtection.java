package dev.flujo.core.resilience;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.config.ProtectionOptions;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * What guards one agent step, decided once per plan by {@link #decide}: the circuit breakers of its agents
 * ({@code enableCircuitBreaker}), its bulkhead ({@code maxConcurrentExecutions > 0}), its adaptive concurrency limit
 * ({@code enableConcurrencyOptimization}) and its agents' rate limits ({@code requestsPerMinute},
 * {@code tokensPerMinute}); each {@code null} when its option is off. A plan holds what it is given and checks no
 * option again: this is the one place where the options turn into guards.
 *
 * @param breakers         the agents' circuit breakers, or {@code null}
 * @param bulkhead         the step's bulkhead, or {@code null}
 * @param concurrencyLimit the step's adaptive limit, or {@code null}
 * @param rateLimits       the agents' rate limiters, or {@code null}
 */
public record StepProtection(AgentBreakers breakers, Bulkhead bulkhead, AdaptiveConcurrencyLimit concurrencyLimit,
        AgentRateLimits rateLimits) {

    /** Nothing guards the step. */
    public static final StepProtection NONE = new StepProtection(null, null, null, null);

    /**
     * Where breakers and bulkheads come from. In Camel: the Resilience4j registries the {@code circuitBreaker()} EIP
     * uses, so they are shared and metered there; without a host, {@link #STANDALONE}.
     */
    public interface Sources {

        /** Breakers of each agent, made or found on first use. */
        AgentBreakers breakers(String step, OptimizationConfig config);

        /** The step's bulkhead. */
        Bulkhead bulkhead(String step, OptimizationConfig config);

        /** Rate limiters of each agent, made or found on first use. */
        AgentRateLimits rateLimits(String step, OptimizationConfig config);

        /** Breakers and bulkheads of the plan's own, configured from its options. */
        Sources STANDALONE = new Sources() {
            @Override
            public AgentBreakers breakers(String step, OptimizationConfig config) {
                var breakerConfig = AgentBreakers.config(config, null);
                return new AgentBreakers(agent -> CircuitBreaker.of(AgentBreakers.breakerName(agent), breakerConfig));
            }

            @Override
            public Bulkhead bulkhead(String step, OptimizationConfig config) {
                ProtectionOptions o = config.protection();
                return Bulkhead.of("flujo-step-" + step, BulkheadConfig.custom()
                        .maxConcurrentCalls(o.maxConcurrentExecutions())
                        .maxWaitDuration(o.maxConcurrentExecutionsWait()).build());
            }

            @Override
            public AgentRateLimits rateLimits(String step, OptimizationConfig config) {
                return AgentRateLimits.standalone(config.rateLimit());
            }
        };
    }

    /**
     * @param kept the adaptive limit the step had before (its options changed at runtime), kept so that what it learned
     *             survives; {@code null} for a new step. Its wait is updated to the new options.
     */
    public static StepProtection decide(
            String step, OptimizationConfig config, Sources sources,
            AdaptiveConcurrencyLimit kept) {
        ProtectionOptions o = config.protection();
        if (kept != null) {
            kept.maxWait(o.maxConcurrentExecutionsWait());
        }
        AdaptiveConcurrencyLimit limit = !o.enableConcurrencyOptimization() ? null
                : kept != null ? kept : new AdaptiveConcurrencyLimit(step, o.maxConcurrentExecutionsWait());
        return new StepProtection(
                o.enableCircuitBreaker() ? sources.breakers(step, config) : null,
                o.maxConcurrentExecutions() > 0 ? sources.bulkhead(step, config) : null, limit,
                config.rateLimit().limited() ? sources.rateLimits(step, config) : null);
    }
}
