package dev.flujo.core.config;

import java.time.Duration;
import java.util.List;

/**
 * What protects the agents and the step from overload: a circuit breaker per agent, a bulkhead per step, an adaptive
 * concurrency limit.
 *
 * @param enableCircuitBreaker                 guard each agent with a Resilience4j circuit breaker
 * @param circuitBreakerFailureThreshold       consecutive failed agent calls that open the breaker
 * @param circuitBreakerRecoveryTimeoutSeconds how long an open breaker refuses calls before one probe is let through
 * @param maxConcurrentExecutions              the most executions of the step at once (a bulkhead); 0 = no cap
 * @param maxConcurrentExecutionsWait          how long one more execution waits for a slot before it is rejected
 * @param enableConcurrencyOptimization        an adaptive concurrency limit per step (Netflix concurrency-limits)
 */
public record ProtectionOptions(boolean enableCircuitBreaker, int circuitBreakerFailureThreshold,
        long circuitBreakerRecoveryTimeoutSeconds, int maxConcurrentExecutions, Duration maxConcurrentExecutionsWait,
        boolean enableConcurrencyOptimization) {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);
    public static final ProtectionOptions DEFAULTS = new ProtectionOptions(false, 5, 60, 0, DEFAULT_WAIT, false);

    public ProtectionOptions {
        maxConcurrentExecutionsWait = maxConcurrentExecutionsWait == null ? DEFAULT_WAIT : maxConcurrentExecutionsWait;
    }

    void validate(List<String> problems) {
        Checks.atLeastOne(problems, "circuitBreakerFailureThreshold", circuitBreakerFailureThreshold);
        Checks.atLeastOne(problems, "circuitBreakerRecoveryTimeoutSeconds", circuitBreakerRecoveryTimeoutSeconds);
        if (maxConcurrentExecutions < 0) {
            problems.add("maxConcurrentExecutions must not be negative (0 = no cap), was " + maxConcurrentExecutions);
        }
        if (maxConcurrentExecutionsWait.isNegative()) {
            problems.add("maxConcurrentExecutionsWait must not be negative, was " + maxConcurrentExecutionsWait);
        }
    }
}
