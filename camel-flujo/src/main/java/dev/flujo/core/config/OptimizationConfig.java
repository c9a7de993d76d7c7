package dev.flujo.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.flujo.core.FlujoConfigurationException;

/**
 * How a step executes: retries, time-out, cache, usage limits, pricing and resilience. Immutable; build one with
 * {@link #builder()}, check it with {@link #validate()}, and move it around as JSON with {@link #toJson()} /
 * {@link #fromJson(String)}.
 *
 * <p>Every field has a URI option and a component option of the same name in the Camel adapter
 * ({@code flujo:step:x?maxRetries=2}, {@code camel.component.flujo.maxRetries=2}). Step wiring (agent, processors,
 * validators, plugins, fallback, context writes) is not here: it names beans and endpoints, which only the host can
 * resolve.
 *
 * @param maxRetries         retries after the first attempt (0 = one attempt only)
 * @param timeout            bound of one agent call; {@code null} = no time-out
 * @param cache              cache successful outputs
 * @param cacheTtl           how long a cached output lives after it was written; {@code null} = until evicted by size
 * @param cacheMaxSize       the most entries the step cache holds
 * @param cacheKeyContext    context keys whose values are part of the cache key (e.g. a tenant id)
 * @param costLimitUsd       the run's cost budget in USD; {@code null} = none
 * @param tokenLimit         the run's token budget; {@code null} = none
 * @param expectedCostUsd    cost reserved against the budget before each agent call
 * @param expectedTokens     tokens reserved against the budget before each agent call
 * @param costPerInputToken  price of an input token, used when an agent reports tokens but no cost
 * @param costPerOutputToken price of an output token, likewise
 * @param enableCircuitBreaker                 guard each agent with a Resilience4j circuit breaker
 * @param circuitBreakerFailureThreshold       consecutive failed agent calls that open the breaker
 * @param circuitBreakerRecoveryTimeoutSeconds how long an open breaker refuses calls before one probe is let through
 * @param enableOptimizedErrorHandling         skip retries for agent errors a retry cannot fix (bad request, 4xx)
 * @param errorCacheSize                       how many exception types' classifications are remembered
 * @param maxConcurrentExecutions              the most executions of the step at once (a bulkhead); 0 = no cap
 * @param maxConcurrentExecutionsWait          how long one more execution waits for a slot before it is rejected
 * @param slowExecutionThresholdMs             warn (log + count) when an execution takes longer; 0 = off
 * @param cpuUsageThresholdPercent             warn when the process CPU load is above this; 0 = off
 */
@JsonDeserialize(builder = OptimizationConfig.Builder.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptimizationConfig(
        int maxRetries,
        Duration timeout,
        boolean cache,
        Duration cacheTtl,
        long cacheMaxSize,
        List<String> cacheKeyContext,
        BigDecimal costLimitUsd,
        Long tokenLimit,
        BigDecimal expectedCostUsd,
        long expectedTokens,
        BigDecimal costPerInputToken,
        BigDecimal costPerOutputToken,
        boolean enableCircuitBreaker,
        int circuitBreakerFailureThreshold,
        long circuitBreakerRecoveryTimeoutSeconds,
        boolean enableOptimizedErrorHandling,
        int errorCacheSize,
        int maxConcurrentExecutions,
        Duration maxConcurrentExecutionsWait,
        long slowExecutionThresholdMs,
        int cpuUsageThresholdPercent) {

    public static final int DEFAULT_MAX_RETRIES = 1;
    public static final long DEFAULT_CACHE_MAX_SIZE = 10_000;
    /** Guards against a typo turning one step into thousands of paid calls. */
    public static final int MAX_RETRIES_CEILING = 100;
    public static final int DEFAULT_CIRCUIT_BREAKER_FAILURE_THRESHOLD = 5;
    public static final long DEFAULT_CIRCUIT_BREAKER_RECOVERY_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_ERROR_CACHE_SIZE = 1000;
    public static final Duration DEFAULT_MAX_CONCURRENT_EXECUTIONS_WAIT = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    public OptimizationConfig {
        maxConcurrentExecutionsWait = maxConcurrentExecutionsWait == null ? DEFAULT_MAX_CONCURRENT_EXECUTIONS_WAIT
                : maxConcurrentExecutionsWait;
        // not List.copyOf: a null entry must survive until validate() can report it, naming the option
        cacheKeyContext = cacheKeyContext == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(cacheKeyContext));
        expectedCostUsd = expectedCostUsd == null ? BigDecimal.ZERO : expectedCostUsd;
        costPerInputToken = costPerInputToken == null ? BigDecimal.ZERO : costPerInputToken;
        costPerOutputToken = costPerOutputToken == null ? BigDecimal.ZERO : costPerOutputToken;
    }

    public static OptimizationConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxRetries(maxRetries).timeout(timeout)
                .cache(cache).cacheTtl(cacheTtl).cacheMaxSize(cacheMaxSize).cacheKeyContext(cacheKeyContext)
                .costLimitUsd(costLimitUsd).tokenLimit(tokenLimit)
                .expectedCostUsd(expectedCostUsd).expectedTokens(expectedTokens)
                .costPerInputToken(costPerInputToken).costPerOutputToken(costPerOutputToken)
                .enableCircuitBreaker(enableCircuitBreaker)
                .circuitBreakerFailureThreshold(circuitBreakerFailureThreshold)
                .circuitBreakerRecoveryTimeoutSeconds(circuitBreakerRecoveryTimeoutSeconds)
                .enableOptimizedErrorHandling(enableOptimizedErrorHandling)
                .errorCacheSize(errorCacheSize)
                .maxConcurrentExecutions(maxConcurrentExecutions)
                .maxConcurrentExecutionsWait(maxConcurrentExecutionsWait)
                .slowExecutionThresholdMs(slowExecutionThresholdMs)
                .cpuUsageThresholdPercent(cpuUsageThresholdPercent);
    }

    public int maxAttempts() {
        return maxRetries + 1;
    }

    /**
     * Every problem with this configuration, each naming its option; empty when valid.
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_CEILING) {
            problems.add("maxRetries must be between 0 and " + MAX_RETRIES_CEILING + ", was " + maxRetries);
        }
        positive(problems, "timeout", timeout);
        positive(problems, "cacheTtl", cacheTtl);
        if (cacheMaxSize <= 0) {
            problems.add("cacheMaxSize must be positive, was " + cacheMaxSize);
        }
        for (String key : cacheKeyContext) {
            if (key == null || key.isBlank()) {
                problems.add("cacheKeyContext must list non-empty context keys, was " + cacheKeyContext);
                break;
            }
        }
        notNegative(problems, "costLimitUsd", costLimitUsd);
        if (tokenLimit != null && tokenLimit < 0) {
            problems.add("tokenLimit must not be negative, was " + tokenLimit);
        }
        notNegative(problems, "expectedCostUsd", expectedCostUsd);
        if (expectedTokens < 0) {
            problems.add("expectedTokens must not be negative, was " + expectedTokens);
        }
        notNegative(problems, "costPerInputToken", costPerInputToken);
        notNegative(problems, "costPerOutputToken", costPerOutputToken);
        if (circuitBreakerFailureThreshold < 1) {
            problems.add("circuitBreakerFailureThreshold must be at least 1, was " + circuitBreakerFailureThreshold);
        }
        if (circuitBreakerRecoveryTimeoutSeconds < 1) {
            problems.add("circuitBreakerRecoveryTimeoutSeconds must be at least 1, was "
                    + circuitBreakerRecoveryTimeoutSeconds);
        }
        if (errorCacheSize < 1) {
            problems.add("errorCacheSize must be at least 1, was " + errorCacheSize);
        }
        if (maxConcurrentExecutions < 0) {
            problems.add("maxConcurrentExecutions must not be negative (0 = no cap), was " + maxConcurrentExecutions);
        }
        if (maxConcurrentExecutionsWait.isNegative()) {
            problems.add("maxConcurrentExecutionsWait must not be negative, was " + maxConcurrentExecutionsWait);
        }
        if (slowExecutionThresholdMs < 0) {
            problems.add("slowExecutionThresholdMs must not be negative (0 = off), was " + slowExecutionThresholdMs);
        }
        if (cpuUsageThresholdPercent < 0 || cpuUsageThresholdPercent > 100) {
            problems.add("cpuUsageThresholdPercent must be between 0 (off) and 100, was " + cpuUsageThresholdPercent);
        }
        return problems;
    }

    /** @throws FlujoConfigurationException listing every problem, naming the step */
    public OptimizationConfig validateOrThrow(String stepName) {
        List<String> problems = validate();
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid configuration of step '" + stepName + "'", problems);
        }
        return this;
    }

    private static void positive(List<String> problems, String option, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            problems.add(option + " must be a positive duration, was " + value);
        }
    }

    private static void notNegative(List<String> problems, String option, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            problems.add(option + " must not be negative, was " + value.toPlainString());
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OptimizationConfig could not be written as JSON", e);
        }
    }

    /**
     * Reads a configuration written by {@link #toJson()} (absent fields keep their defaults) and validates it.
     *
     * @throws FlujoConfigurationException when the JSON is malformed, names an unknown option or is invalid
     */
    public static OptimizationConfig fromJson(String json) {
        if (json == null) {
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON: null");
        }
        OptimizationConfig config;
        try {
            config = JSON.readValue(json, OptimizationConfig.class);
        } catch (JsonMappingException e) {
            String option = e.getPath().isEmpty() ? "" : " (option " + e.getPath().get(0).getFieldName() + ")";
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON" + option + ": "
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON: " + e.getOriginalMessage(), e);
        }
        if (config == null) {
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON: expected an object, got null");
        }
        return config.validateOrThrow("(from JSON)");
    }

    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration timeout;
        private boolean cache;
        private Duration cacheTtl;
        private long cacheMaxSize = DEFAULT_CACHE_MAX_SIZE;
        private List<String> cacheKeyContext = List.of();
        private BigDecimal costLimitUsd;
        private Long tokenLimit;
        private BigDecimal expectedCostUsd = BigDecimal.ZERO;
        private long expectedTokens;
        private BigDecimal costPerInputToken = BigDecimal.ZERO;
        private BigDecimal costPerOutputToken = BigDecimal.ZERO;
        private boolean enableCircuitBreaker;
        private int circuitBreakerFailureThreshold = DEFAULT_CIRCUIT_BREAKER_FAILURE_THRESHOLD;
        private long circuitBreakerRecoveryTimeoutSeconds = DEFAULT_CIRCUIT_BREAKER_RECOVERY_TIMEOUT_SECONDS;
        private boolean enableOptimizedErrorHandling;
        private int errorCacheSize = DEFAULT_ERROR_CACHE_SIZE;
        private int maxConcurrentExecutions;
        private Duration maxConcurrentExecutionsWait = DEFAULT_MAX_CONCURRENT_EXECUTIONS_WAIT;
        private long slowExecutionThresholdMs;
        private int cpuUsageThresholdPercent;

        private Builder() {
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
            return this;
        }

        public Builder cacheMaxSize(long cacheMaxSize) {
            this.cacheMaxSize = cacheMaxSize;
            return this;
        }

        public Builder cacheKeyContext(List<String> cacheKeyContext) {
            this.cacheKeyContext = cacheKeyContext;
            return this;
        }

        public Builder costLimitUsd(BigDecimal costLimitUsd) {
            this.costLimitUsd = costLimitUsd;
            return this;
        }

        public Builder tokenLimit(Long tokenLimit) {
            this.tokenLimit = tokenLimit;
            return this;
        }

        public Builder expectedCostUsd(BigDecimal expectedCostUsd) {
            this.expectedCostUsd = expectedCostUsd;
            return this;
        }

        public Builder expectedTokens(long expectedTokens) {
            this.expectedTokens = expectedTokens;
            return this;
        }

        public Builder costPerInputToken(BigDecimal costPerInputToken) {
            this.costPerInputToken = costPerInputToken;
            return this;
        }

        public Builder costPerOutputToken(BigDecimal costPerOutputToken) {
            this.costPerOutputToken = costPerOutputToken;
            return this;
        }

        public Builder enableCircuitBreaker(boolean enableCircuitBreaker) {
            this.enableCircuitBreaker = enableCircuitBreaker;
            return this;
        }

        public Builder circuitBreakerFailureThreshold(int circuitBreakerFailureThreshold) {
            this.circuitBreakerFailureThreshold = circuitBreakerFailureThreshold;
            return this;
        }

        public Builder circuitBreakerRecoveryTimeoutSeconds(long circuitBreakerRecoveryTimeoutSeconds) {
            this.circuitBreakerRecoveryTimeoutSeconds = circuitBreakerRecoveryTimeoutSeconds;
            return this;
        }

        public Builder enableOptimizedErrorHandling(boolean enableOptimizedErrorHandling) {
            this.enableOptimizedErrorHandling = enableOptimizedErrorHandling;
            return this;
        }

        public Builder errorCacheSize(int errorCacheSize) {
            this.errorCacheSize = errorCacheSize;
            return this;
        }

        public Builder maxConcurrentExecutions(int maxConcurrentExecutions) {
            this.maxConcurrentExecutions = maxConcurrentExecutions;
            return this;
        }

        public Builder maxConcurrentExecutionsWait(Duration maxConcurrentExecutionsWait) {
            this.maxConcurrentExecutionsWait = maxConcurrentExecutionsWait;
            return this;
        }

        public Builder slowExecutionThresholdMs(long slowExecutionThresholdMs) {
            this.slowExecutionThresholdMs = slowExecutionThresholdMs;
            return this;
        }

        public Builder cpuUsageThresholdPercent(int cpuUsageThresholdPercent) {
            this.cpuUsageThresholdPercent = cpuUsageThresholdPercent;
            return this;
        }

        public OptimizationConfig build() {
            return new OptimizationConfig(maxRetries, timeout, cache, cacheTtl, cacheMaxSize, cacheKeyContext,
                    costLimitUsd, tokenLimit, expectedCostUsd, expectedTokens, costPerInputToken, costPerOutputToken,
                    enableCircuitBreaker, circuitBreakerFailureThreshold, circuitBreakerRecoveryTimeoutSeconds,
                    enableOptimizedErrorHandling, errorCacheSize, maxConcurrentExecutions, maxConcurrentExecutionsWait,
                    slowExecutionThresholdMs, cpuUsageThresholdPercent);
        }
    }
}
