package dev.flujo.core.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.flujo.core.config.OptimizationConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The circuit breakers of one step's agents (its agent, fallback and redirect targets), one per agent, obtained from a
 * source once and kept. In Camel the source is the Resilience4j registry the {@code circuitBreaker()} EIP uses, so a
 * breaker is shared by every step calling that agent and shows in camel-resilience4j-micrometer's meters.
 *
 * <p>
 * What counts: an agent call that fails or times out is a failure; an answer is a success, whatever the validators
 * later make of it (a breaker protects against an unavailable agent, not a poor answer). A call abandoned because its
 * branch was cancelled releases its permission without counting.
 */
public final class AgentBreakers {

    /** Prefix of the breakers' names in the registry, so they never collide with an EIP's node id. */
    public static final String NAME_PREFIX = "flujo-";

    private final Function<String, CircuitBreaker> source;
    private final Map<String, CircuitBreaker> byAgent = new ConcurrentHashMap<>();

    /** @param source the breaker of an agent, by agent name */
    public AgentBreakers(Function<String, CircuitBreaker> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public CircuitBreaker forAgent(String agentName) {
        return byAgent.computeIfAbsent(agentName, source);
    }

    public static String breakerName(String agentName) {
        return NAME_PREFIX + agentName;
    }

    /**
     * The breaker configuration of the options: opens after {@code circuitBreakerFailureThreshold} consecutive failed
     * calls (a count-based window of that size, all failed), stays open for
     * {@code circuitBreakerRecoveryTimeoutSeconds}, then lets one probe call through: its success closes the breaker,
     * its failure opens it again.
     *
     * @param clock the breaker's clock ({@code null} for the system clock); tests inject one to pass the recovery time
     *              without waiting
     */
    public static CircuitBreakerConfig config(OptimizationConfig options, Clock clock) {
        int threshold = options.protection().circuitBreakerFailureThreshold();
        CircuitBreakerConfig.Builder config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(threshold)
                .minimumNumberOfCalls(threshold)
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(options.protection().circuitBreakerRecoveryTimeoutSeconds()))
                .permittedNumberOfCallsInHalfOpenState(1);
        if (clock != null) {
            config.clock(clock);
        }
        return config.build();
    }
}
