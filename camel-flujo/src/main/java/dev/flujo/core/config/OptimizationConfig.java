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
 * @param enablePerformanceMonitoring          keep statistics and Micrometer meters of every execution
 * @param enableOptimizedTelemetry             hand meters their recordings in batches instead of one by one
 * @param telemetryBatchSize                   recordings per batch
 * @param telemetryFlushIntervalSeconds        the longest a recording waits in a batch
 * @param enableConcurrencyOptimization        an adaptive concurrency limit per step (Netflix concurrency-limits)
 * @param enableAutomaticOptimization          periodically apply the safe recommendations (cache size, limits)
 * @param optimizationAnalysisIntervalSeconds  how often the automatic optimizer looks at the statistics
 * @param performanceDegradationThreshold      how much slower (0.5 = 50%) than its baseline a step counts as degraded
 * @param enableMemoryOptimization             shrink the cache and refuse new entries under memory pressure
 * @param memoryPressureThresholdMb            used heap above which memory is under pressure; 0 = 90% of the maximum
 * @param enableObjectPool                     pool the compression codecs of cacheCompression (native zlib state)
 * @param objectPoolMaxSize                    idle objects the pool keeps
 * @param objectPoolCleanupThreshold           borrows after which an idle pooled object is released
 * @param enableContextOptimization            copy-on-write branch contexts instead of eager copies
 * @param enableStepOptimization               run only the phases a step uses, decided at start
 * @param enableAlgorithmOptimization          a 128-bit content hash of text cache keys (full-key equality kept)
 * @param enableCacheOptimization              concurrent misses of the same key share one agent call
 * @param cacheCompression                     keep large text outputs compressed in the cache
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
        int cpuUsageThresholdPercent,
        boolean enablePerformanceMonitoring,
        boolean enableOptimizedTelemetry,
        int telemetryBatchSize,
        long telemetryFlushIntervalSeconds,
        boolean enableConcurrencyOptimization,
        boolean enableAutomaticOptimization,
        long optimizationAnalysisIntervalSeconds,
        double performanceDegradationThreshold,
        boolean enableMemoryOptimization,
        long memoryPressureThresholdMb,
        boolean enableObjectPool,
        int objectPoolMaxSize,
        int objectPoolCleanupThreshold,
        boolean enableContextOptimization,
        boolean enableStepOptimization,
        boolean enableAlgorithmOptimization,
        boolean enableCacheOptimization,
        boolean cacheCompression) {

    public static final int DEFAULT_MAX_RETRIES = 1;
    public static final long DEFAULT_CACHE_MAX_SIZE = 10_000;
    /** Guards against a typo turning one step into thousands of paid calls. */
    public static final int MAX_RETRIES_CEILING = 100;
    public static final int DEFAULT_CIRCUIT_BREAKER_FAILURE_THRESHOLD = 5;
    public static final long DEFAULT_CIRCUIT_BREAKER_RECOVERY_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_ERROR_CACHE_SIZE = 1000;
    public static final Duration DEFAULT_MAX_CONCURRENT_EXECUTIONS_WAIT = Duration.ofSeconds(1);
    public static final int DEFAULT_TELEMETRY_BATCH_SIZE = 100;
    public static final long DEFAULT_TELEMETRY_FLUSH_INTERVAL_SECONDS = 5;
    public static final long DEFAULT_OPTIMIZATION_ANALYSIS_INTERVAL_SECONDS = 60;
    public static final double DEFAULT_PERFORMANCE_DEGRADATION_THRESHOLD = 0.5;
    public static final int DEFAULT_OBJECT_POOL_MAX_SIZE = 16;
    /** The most MB that still fits in a long count of bytes. */
    public static final long MAX_MEMORY_PRESSURE_THRESHOLD_MB = Long.MAX_VALUE >> 20;
    public static final int DEFAULT_OBJECT_POOL_CLEANUP_THRESHOLD = 1000;

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
                .cpuUsageThresholdPercent(cpuUsageThresholdPercent)
                .enablePerformanceMonitoring(enablePerformanceMonitoring)
                .enableOptimizedTelemetry(enableOptimizedTelemetry)
                .telemetryBatchSize(telemetryBatchSize)
                .telemetryFlushIntervalSeconds(telemetryFlushIntervalSeconds)
                .enableConcurrencyOptimization(enableConcurrencyOptimization)
                .enableAutomaticOptimization(enableAutomaticOptimization)
                .optimizationAnalysisIntervalSeconds(optimizationAnalysisIntervalSeconds)
                .performanceDegradationThreshold(performanceDegradationThreshold)
                .enableMemoryOptimization(enableMemoryOptimization)
                .memoryPressureThresholdMb(memoryPressureThresholdMb)
                .enableObjectPool(enableObjectPool)
                .objectPoolMaxSize(objectPoolMaxSize)
                .objectPoolCleanupThreshold(objectPoolCleanupThreshold)
                .enableContextOptimization(enableContextOptimization)
                .enableStepOptimization(enableStepOptimization)
                .enableAlgorithmOptimization(enableAlgorithmOptimization)
                .enableCacheOptimization(enableCacheOptimization)
                .cacheCompression(cacheCompression);
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
        atLeastOne(problems, "telemetryBatchSize", telemetryBatchSize);
        atLeastOne(problems, "telemetryFlushIntervalSeconds", telemetryFlushIntervalSeconds);
        atLeastOne(problems, "optimizationAnalysisIntervalSeconds", optimizationAnalysisIntervalSeconds);
        if (!(performanceDegradationThreshold > 0) || Double.isInfinite(performanceDegradationThreshold)) {
            problems.add("performanceDegradationThreshold must be a positive fraction (0.5 = 50% slower), was "
                    + performanceDegradationThreshold);
        }
        if (memoryPressureThresholdMb < 0 || memoryPressureThresholdMb > MAX_MEMORY_PRESSURE_THRESHOLD_MB) {
            problems.add("memoryPressureThresholdMb must be between 0 (= 90% of the maximum heap) and "
                    + MAX_MEMORY_PRESSURE_THRESHOLD_MB + ", was " + memoryPressureThresholdMb);
        }
        atLeastOne(problems, "objectPoolMaxSize", objectPoolMaxSize);
        atLeastOne(problems, "objectPoolCleanupThreshold", objectPoolCleanupThreshold);
        return problems;
    }

    private static void atLeastOne(List<String> problems, String option, long value) {
        if (value < 1) {
            problems.add(option + " must be at least 1, was " + value);
        }
    }

    /**
     * Which of the given options (those a user set explicitly) have no effect in this configuration because an
     * option they depend on is off, each as "option has no effect without prerequisite"; empty when all count.
     */
    public List<String> ineffective(java.util.Collection<String> setOptions) {
        java.util.Map<String, String> missing = new java.util.LinkedHashMap<>();
        if (!cache) {
            for (String o : List.of("cacheTtl", "cacheMaxSize", "cacheKeyContext", "cacheCompression",
                    "enableAlgorithmOptimization", "enableCacheOptimization", "enableMemoryOptimization",
                    "memoryPressureThresholdMb", "enableObjectPool", "objectPoolMaxSize", "objectPoolCleanupThreshold")) {
                missing.put(o, "cache=true");
            }
        } else if (!cacheCompression) {
            for (String o : List.of("enableObjectPool", "objectPoolMaxSize", "objectPoolCleanupThreshold")) {
                missing.put(o, "cacheCompression=true");
            }
        }
        if (cache && !enableMemoryOptimization) {
            missing.put("memoryPressureThresholdMb", "enableMemoryOptimization=true");
        }
        if (!enableCircuitBreaker) {
            missing.put("circuitBreakerFailureThreshold", "enableCircuitBreaker=true");
            missing.put("circuitBreakerRecoveryTimeoutSeconds", "enableCircuitBreaker=true");
        }
        if (!enableOptimizedErrorHandling) {
            missing.put("errorCacheSize", "enableOptimizedErrorHandling=true");
        }
        if (maxConcurrentExecutions == 0 && !enableConcurrencyOptimization) {
            missing.put("maxConcurrentExecutionsWait", "maxConcurrentExecutions > 0 or enableConcurrencyOptimization=true");
        }
        if (!enablePerformanceMonitoring) {
            for (String o : List.of("enableOptimizedTelemetry", "telemetryBatchSize", "telemetryFlushIntervalSeconds",
                    "enableAutomaticOptimization")) {
                missing.put(o, "enablePerformanceMonitoring=true");
            }
        } else if (!enableOptimizedTelemetry) {
            missing.put("telemetryBatchSize", "enableOptimizedTelemetry=true");
            missing.put("telemetryFlushIntervalSeconds", "enableOptimizedTelemetry=true");
        }
        if (!enableAutomaticOptimization) {
            missing.put("optimizationAnalysisIntervalSeconds", "enableAutomaticOptimization=true");
            missing.put("performanceDegradationThreshold", "enableAutomaticOptimization=true");
        }
        List<String> ineffective = new ArrayList<>();
        for (String option : setOptions) {
            String needs = missing.get(option);
            if (needs != null) {
                ineffective.add(option + " has no effect without " + needs);
            }
        }
        return ineffective;
    }

    /**
     * This configuration with every optimization off (the kill switch behind {@code disableOptimizations()}): the
     * enable*Optimization flags, optimized error handling and telemetry, the object pool and cache compression.
     * What changes results or protects the agents (cache, limits, retries, breakers, bulkheads, monitoring) stays.
     */
    public OptimizationConfig withoutOptimizations() {
        return toBuilder().enableOptimizedErrorHandling(false).enableOptimizedTelemetry(false)
                .enableConcurrencyOptimization(false).enableAutomaticOptimization(false)
                .enableMemoryOptimization(false).enableObjectPool(false).enableContextOptimization(false)
                .enableStepOptimization(false).enableAlgorithmOptimization(false).enableCacheOptimization(false)
                .cacheCompression(false).build();
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
        private boolean enablePerformanceMonitoring;
        private boolean enableOptimizedTelemetry;
        private int telemetryBatchSize = DEFAULT_TELEMETRY_BATCH_SIZE;
        private long telemetryFlushIntervalSeconds = DEFAULT_TELEMETRY_FLUSH_INTERVAL_SECONDS;
        private boolean enableConcurrencyOptimization;
        private boolean enableAutomaticOptimization;
        private long optimizationAnalysisIntervalSeconds = DEFAULT_OPTIMIZATION_ANALYSIS_INTERVAL_SECONDS;
        private double performanceDegradationThreshold = DEFAULT_PERFORMANCE_DEGRADATION_THRESHOLD;
        private boolean enableMemoryOptimization;
        private long memoryPressureThresholdMb;
        private boolean enableObjectPool;
        private int objectPoolMaxSize = DEFAULT_OBJECT_POOL_MAX_SIZE;
        private int objectPoolCleanupThreshold = DEFAULT_OBJECT_POOL_CLEANUP_THRESHOLD;
        private boolean enableContextOptimization = true;
        private boolean enableStepOptimization = true;
        private boolean enableAlgorithmOptimization;
        private boolean enableCacheOptimization = true;
        private boolean cacheCompression;

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

        public Builder enablePerformanceMonitoring(boolean enablePerformanceMonitoring) {
            this.enablePerformanceMonitoring = enablePerformanceMonitoring;
            return this;
        }

        public Builder enableOptimizedTelemetry(boolean enableOptimizedTelemetry) {
            this.enableOptimizedTelemetry = enableOptimizedTelemetry;
            return this;
        }

        public Builder telemetryBatchSize(int telemetryBatchSize) {
            this.telemetryBatchSize = telemetryBatchSize;
            return this;
        }

        public Builder telemetryFlushIntervalSeconds(long telemetryFlushIntervalSeconds) {
            this.telemetryFlushIntervalSeconds = telemetryFlushIntervalSeconds;
            return this;
        }

        public Builder enableConcurrencyOptimization(boolean enableConcurrencyOptimization) {
            this.enableConcurrencyOptimization = enableConcurrencyOptimization;
            return this;
        }

        public Builder enableAutomaticOptimization(boolean enableAutomaticOptimization) {
            this.enableAutomaticOptimization = enableAutomaticOptimization;
            return this;
        }

        public Builder optimizationAnalysisIntervalSeconds(long optimizationAnalysisIntervalSeconds) {
            this.optimizationAnalysisIntervalSeconds = optimizationAnalysisIntervalSeconds;
            return this;
        }

        public Builder performanceDegradationThreshold(double performanceDegradationThreshold) {
            this.performanceDegradationThreshold = performanceDegradationThreshold;
            return this;
        }

        public Builder enableMemoryOptimization(boolean enableMemoryOptimization) {
            this.enableMemoryOptimization = enableMemoryOptimization;
            return this;
        }

        public Builder memoryPressureThresholdMb(long memoryPressureThresholdMb) {
            this.memoryPressureThresholdMb = memoryPressureThresholdMb;
            return this;
        }

        public Builder enableObjectPool(boolean enableObjectPool) {
            this.enableObjectPool = enableObjectPool;
            return this;
        }

        public Builder objectPoolMaxSize(int objectPoolMaxSize) {
            this.objectPoolMaxSize = objectPoolMaxSize;
            return this;
        }

        public Builder objectPoolCleanupThreshold(int objectPoolCleanupThreshold) {
            this.objectPoolCleanupThreshold = objectPoolCleanupThreshold;
            return this;
        }

        public Builder enableContextOptimization(boolean enableContextOptimization) {
            this.enableContextOptimization = enableContextOptimization;
            return this;
        }

        public Builder enableStepOptimization(boolean enableStepOptimization) {
            this.enableStepOptimization = enableStepOptimization;
            return this;
        }

        public Builder enableAlgorithmOptimization(boolean enableAlgorithmOptimization) {
            this.enableAlgorithmOptimization = enableAlgorithmOptimization;
            return this;
        }

        public Builder enableCacheOptimization(boolean enableCacheOptimization) {
            this.enableCacheOptimization = enableCacheOptimization;
            return this;
        }

        public Builder cacheCompression(boolean cacheCompression) {
            this.cacheCompression = cacheCompression;
            return this;
        }

        public OptimizationConfig build() {
            return new OptimizationConfig(maxRetries, timeout, cache, cacheTtl, cacheMaxSize, cacheKeyContext,
                    costLimitUsd, tokenLimit, expectedCostUsd, expectedTokens, costPerInputToken, costPerOutputToken,
                    enableCircuitBreaker, circuitBreakerFailureThreshold, circuitBreakerRecoveryTimeoutSeconds,
                    enableOptimizedErrorHandling, errorCacheSize, maxConcurrentExecutions, maxConcurrentExecutionsWait,
                    slowExecutionThresholdMs, cpuUsageThresholdPercent, enablePerformanceMonitoring,
                    enableOptimizedTelemetry, telemetryBatchSize, telemetryFlushIntervalSeconds,
                    enableConcurrencyOptimization, enableAutomaticOptimization, optimizationAnalysisIntervalSeconds,
                    performanceDegradationThreshold, enableMemoryOptimization, memoryPressureThresholdMb,
                    enableObjectPool, objectPoolMaxSize, objectPoolCleanupThreshold, enableContextOptimization,
                    enableStepOptimization, enableAlgorithmOptimization, enableCacheOptimization, cacheCompression);
        }
    }
}
