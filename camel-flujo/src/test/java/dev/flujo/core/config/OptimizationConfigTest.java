package dev.flujo.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizationConfigTest {

    private static OptimizationConfig full() {
        return OptimizationConfig.builder()
                .set("maxRetries", 3)
                .set("timeout", Duration.ofMillis(1500))
                .set("cache", true)
                .set("cacheTtl", Duration.ofMinutes(10))
                .set("cacheMaxSize", 500)
                .set("cacheKeyContext", List.of("tenant", "lang"))
                .set("costLimitUsd", new BigDecimal("12.50"))
                .set("tokenLimit", 100_000L)
                .set("expectedCostUsd", new BigDecimal("0.0025"))
                .set("expectedTokens", 1200)
                .set("costPerInputToken", new BigDecimal("0.0000025"))
                .set("costPerOutputToken", new BigDecimal("1E-5"))
                .set("enableCircuitBreaker", true)
                .set("circuitBreakerFailureThreshold", 3)
                .set("circuitBreakerRecoveryTimeoutSeconds", 45)
                .set("enableOptimizedErrorHandling", true)
                .set("errorCacheSize", 50)
                .set("maxConcurrentExecutions", 8)
                .set("maxConcurrentExecutionsWait", Duration.ofMillis(250))
                .set("slowExecutionThresholdMs", 2000)
                .set("cpuUsageThresholdPercent", 90)
                .set("enablePerformanceMonitoring", true)
                .set("enableOptimizedTelemetry", true)
                .set("telemetryBatchSize", 7)
                .set("telemetryFlushIntervalSeconds", 9)
                .set("enableConcurrencyOptimization", true)
                .set("enableAutomaticOptimization", true)
                .set("optimizationAnalysisIntervalSeconds", 30)
                .set("performanceDegradationThreshold", 0.25)
                .set("enableMemoryOptimization", true)
                .set("memoryPressureThresholdMb", 512)
                .set("enableObjectPool", true)
                .set("objectPoolMaxSize", 4)
                .set("objectPoolCleanupThreshold", 99)
                .set("enableContextOptimization", false)
                .set("enableStepOptimization", false)
                .set("enableAlgorithmOptimization", true)
                .set("enableCacheOptimization", false)
                .set("cacheCompression", true)
                .build();
    }

    @Test
    void theOptimizationOptionsHaveTheirDocumentedDefaults() {
        OptimizationConfig d = OptimizationConfig.defaults();

        assertFalse(d.telemetry().enablePerformanceMonitoring());
        assertFalse(d.telemetry().enableOptimizedTelemetry());
        assertEquals(100, d.telemetry().telemetryBatchSize());
        assertEquals(5, d.telemetry().telemetryFlushIntervalSeconds());
        assertFalse(d.protection().enableConcurrencyOptimization());
        assertFalse(d.telemetry().enableAutomaticOptimization());
        assertEquals(60, d.telemetry().optimizationAnalysisIntervalSeconds());
        assertEquals(0.5, d.telemetry().performanceDegradationThreshold());
        assertFalse(d.caching().enableMemoryOptimization());
        assertEquals(0, d.caching().memoryPressureThresholdMb());
        assertFalse(d.caching().enableObjectPool());
        assertEquals(16, d.caching().objectPoolMaxSize());
        assertEquals(1000, d.caching().objectPoolCleanupThreshold());
        assertTrue(d.pipeline().enableContextOptimization());
        assertTrue(d.pipeline().enableStepOptimization());
        assertFalse(d.caching().enableAlgorithmOptimization());
        assertTrue(d.caching().enableCacheOptimization());
        assertFalse(d.caching().cacheCompression());
    }

    @Test
    void theOptimizationOptionsAreValidatedNamingEach() {
        OptimizationConfig bad = OptimizationConfig.builder()
                .set("telemetryBatchSize", 0)
                .set("telemetryFlushIntervalSeconds", 0)
                .set("optimizationAnalysisIntervalSeconds", -1)
                .set("performanceDegradationThreshold", 0)
                .set("memoryPressureThresholdMb", -1)
                .set("objectPoolMaxSize", 0)
                .set("objectPoolCleanupThreshold", 0)
                .build();

        List<String> problems = bad.validate();

        // concern by concern, in declaration order: the cache's, then telemetry's
        String[] options = {
                "memoryPressureThresholdMb", "objectPoolMaxSize", "objectPoolCleanupThreshold",
                "telemetryBatchSize", "telemetryFlushIntervalSeconds", "optimizationAnalysisIntervalSeconds",
                "performanceDegradationThreshold" };
        assertEquals(options.length, problems.size(), String.join("\n", problems));
        for (int i = 0; i < options.length; i++) {
            assertTrue(problems.get(i).startsWith(options[i] + " "), problems.get(i));
        }
        assertTrue(problemsOf(OptimizationConfig.builder().set("performanceDegradationThreshold", Double.NaN).build())
                .startsWith("performanceDegradationThreshold"));
    }

    @Test
    void withoutOptimizationsTurnsOffEveryOptimizationAndKeepsWhatTheUserAskedFor() {
        OptimizationConfig off = full().withoutOptimizations();

        assertFalse(off.retry().enableOptimizedErrorHandling() || off.telemetry().enableOptimizedTelemetry()
                || off.protection().enableConcurrencyOptimization() || off.telemetry().enableAutomaticOptimization()
                || off.caching().enableMemoryOptimization() || off.caching().enableObjectPool()
                || off.pipeline().enableContextOptimization()
                || off.pipeline().enableStepOptimization() || off.caching().enableAlgorithmOptimization()
                || off.caching().enableCacheOptimization()
                || off.caching().cacheCompression());
        assertEquals(full().toBuilder().set("enableOptimizedErrorHandling", false).set("enableOptimizedTelemetry", false)
                .set("enableConcurrencyOptimization", false).set("enableAutomaticOptimization", false)
                .set("enableMemoryOptimization", false).set("enableObjectPool", false).set("enableStepOptimization", false)
                .set("enableAlgorithmOptimization", false).set("cacheCompression", false).build(), off);
        assertTrue(off.caching().cache() && off.protection().enableCircuitBreaker()
                && off.telemetry().enablePerformanceMonitoring());
        assertEquals(8, off.protection().maxConcurrentExecutions());
    }

    private static String problemsOf(OptimizationConfig config) {
        return String.join("\n", config.validate());
    }

    @Test
    void defaults() {
        OptimizationConfig d = OptimizationConfig.defaults();

        assertEquals(1, d.retry().maxRetries());
        assertEquals(2, d.maxAttempts());
        assertNull(d.retry().timeout());
        assertFalse(d.caching().cache());
        assertNull(d.caching().cacheTtl());
        assertEquals(10_000, d.caching().cacheMaxSize());
        assertEquals(List.of(), d.caching().cacheKeyContext());
        assertNull(d.budget().costLimitUsd());
        assertNull(d.budget().tokenLimit());
        assertEquals(BigDecimal.ZERO, d.budget().expectedCostUsd());
        assertEquals(0, d.budget().expectedTokens());
        assertEquals(BigDecimal.ZERO, d.budget().costPerInputToken());
        assertEquals(BigDecimal.ZERO, d.budget().costPerOutputToken());
        assertFalse(d.protection().enableCircuitBreaker());
        assertEquals(5, d.protection().circuitBreakerFailureThreshold());
        assertEquals(60, d.protection().circuitBreakerRecoveryTimeoutSeconds());
        assertTrue(d.retry().enableOptimizedErrorHandling());
        assertEquals(1000, d.retry().errorCacheSize());
        assertEquals(Duration.ofMillis(500), d.retry().retryDelay());
        assertEquals(2.0, d.retry().retryBackoffMultiplier());
        assertEquals(Duration.ofSeconds(30), d.retry().retryMaxDelay());
        assertTrue(d.retry().retryJitter());
        assertEquals(0, d.rateLimit().requestsPerMinute());
        assertEquals(0, d.rateLimit().tokensPerMinute());
        assertEquals(Duration.ofSeconds(60), d.rateLimit().rateLimitWait());
        assertEquals(List.of(), d.validate());
        assertEquals(d, OptimizationConfig.builder().build());
    }

    @Test
    void nullCollectionsAndAmountsBecomeEmptyAndZero() {
        OptimizationConfig c = OptimizationConfig.builder().set("cacheKeyContext", null).set("expectedCostUsd", null)
                .set("costPerInputToken", null).set("costPerOutputToken", null).build();

        assertEquals(List.of(), c.caching().cacheKeyContext());
        assertEquals(BigDecimal.ZERO, c.budget().expectedCostUsd());
        assertEquals(BigDecimal.ZERO, c.budget().costPerInputToken());
        assertEquals(BigDecimal.ZERO, c.budget().costPerOutputToken());
    }

    @Test
    void cacheKeyContextIsCopied() {
        List<String> keys = new ArrayList<>(List.of("tenant"));
        OptimizationConfig c = OptimizationConfig.builder().set("cacheKeyContext", keys).build();
        keys.add("user");

        assertEquals(List.of("tenant"), c.caching().cacheKeyContext());
        assertThrows(UnsupportedOperationException.class, () -> c.caching().cacheKeyContext().add("x"));
    }

    @Test
    void toBuilderReproducesTheConfig() {
        assertEquals(full(), full().toBuilder().build());
        assertEquals(4, full().toBuilder().set("maxRetries", 3).build().maxAttempts());
    }

    @Test
    void aFullValidConfigHasNoProblems() {
        assertEquals(List.of(), full().validate());
        assertSame(full().getClass(), full().validateOrThrow("s").getClass());
    }

    @Test
    void validateNamesEachBadOption() {
        OptimizationConfig bad = OptimizationConfig.builder()
                .set("maxRetries", -1)
                .set("timeout", Duration.ZERO)
                .set("cacheTtl", Duration.ofSeconds(-5))
                .set("cacheMaxSize", 0)
                .set("cacheKeyContext", List.of("tenant", " "))
                .set("costLimitUsd", new BigDecimal("-0.01"))
                .set("tokenLimit", -1L)
                .set("expectedCostUsd", new BigDecimal("-1"))
                .set("expectedTokens", -5)
                .set("costPerInputToken", new BigDecimal("-0.1"))
                .set("costPerOutputToken", new BigDecimal("-0.2"))
                .set("circuitBreakerFailureThreshold", 0)
                .set("circuitBreakerRecoveryTimeoutSeconds", 0)
                .set("errorCacheSize", 0)
                .build();

        List<String> problems = bad.validate();

        assertEquals(14, problems.size(), String.join("\n", problems));
        // concern by concern, in declaration order: retry, cache, budget, protection
        String[] options = {
                "maxRetries", "timeout", "errorCacheSize", "cacheTtl", "cacheMaxSize", "cacheKeyContext",
                "costLimitUsd", "tokenLimit", "expectedCostUsd", "expectedTokens", "costPerInputToken",
                "costPerOutputToken", "circuitBreakerFailureThreshold", "circuitBreakerRecoveryTimeoutSeconds" };
        for (int i = 0; i < options.length; i++) {
            assertTrue(problems.get(i).startsWith(options[i] + " "), problems.get(i));
        }
        assertTrue(problems.get(0).contains("-1"), problems.get(0));
    }

    @Test
    void eachBadOptionAloneIsReported() {
        assertTrue(problemsOf(OptimizationConfig.builder().set("maxRetries", -1).build()).startsWith("maxRetries"));
        assertTrue(problemsOf(OptimizationConfig.builder()
                .set("maxRetries", RetryOptions.MAX_RETRIES_CEILING + 1).build()).startsWith("maxRetries"));
        assertEquals(List.of(), OptimizationConfig.builder()
                .set("maxRetries", RetryOptions.MAX_RETRIES_CEILING).build().validate());
        assertEquals(List.of(), OptimizationConfig.builder().set("maxRetries", 0).build().validate());
        assertTrue(problemsOf(OptimizationConfig.builder().set("timeout", Duration.ZERO).build()).startsWith("timeout"));
        assertTrue(problemsOf(OptimizationConfig.builder().set("timeout", Duration.ofMillis(-1)).build())
                .startsWith("timeout"));
        assertTrue(problemsOf(OptimizationConfig.builder().set("cacheMaxSize", 0).build()).startsWith("cacheMaxSize"));
        assertTrue(problemsOf(OptimizationConfig.builder().set("cacheKeyContext", List.of("")).build())
                .startsWith("cacheKeyContext"));
        assertTrue(problemsOf(OptimizationConfig.builder().set("costLimitUsd", new BigDecimal("-1")).build())
                .startsWith("costLimitUsd"));
        assertEquals(List.of(), OptimizationConfig.builder().set("costLimitUsd", BigDecimal.ZERO).set("tokenLimit", 0L).build()
                .validate());
    }

    @Test
    void validateOrThrowListsEveryProblemAndNamesTheStep() {
        OptimizationConfig bad = OptimizationConfig.builder().set("maxRetries", -1).set("cacheMaxSize", 0).build();

        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> bad.validateOrThrow("summarize"));

        assertEquals(2, e.getProblems().size());
        assertTrue(e.getMessage().contains("'summarize'"), e.getMessage());
        assertTrue(e.getMessage().contains("maxRetries"), e.getMessage());
        assertTrue(e.getMessage().contains("cacheMaxSize"), e.getMessage());
    }

    @Test
    void jsonRoundTripIsEqualIncludingDurationsAndAmounts() {
        OptimizationConfig original = full();

        String json = original.toJson();
        OptimizationConfig read = OptimizationConfig.fromJson(json);

        assertEquals(original, read);
        assertEquals(Duration.ofMillis(1500), read.retry().timeout());
        assertEquals(new BigDecimal("12.50"), read.budget().costLimitUsd()); // scale kept, not just the value
        assertEquals(new BigDecimal("0.0000025"), read.budget().costPerInputToken());
        assertTrue(json.contains("\"timeout\":\"PT1.5S\""), json);
    }

    @Test
    void defaultsRoundTripAndOmitAbsentOptions() {
        String json = OptimizationConfig.defaults().toJson();

        assertEquals(OptimizationConfig.defaults(), OptimizationConfig.fromJson(json));
        assertFalse(json.contains("timeout"), json);
        assertFalse(json.contains("costLimitUsd"), json);
        assertFalse(json.contains("maxAttempts"), json);
    }

    @Test
    void partialJsonKeepsTheDefaults() {
        OptimizationConfig c = OptimizationConfig.fromJson("{\"maxRetries\":3,\"timeout\":\"PT30S\"}");

        assertEquals(3, c.retry().maxRetries());
        assertEquals(Duration.ofSeconds(30), c.retry().timeout());
        assertEquals(
                OptimizationConfig.defaults().toBuilder().set("maxRetries", 3).set("timeout", Duration.ofSeconds(30)).build(),
                c);
        assertEquals(OptimizationConfig.defaults(), OptimizationConfig.fromJson("{}"));
    }

    @Test
    void unknownPropertyIsRejectedNamingIt() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":2,\"maxRetrys\":3}"));

        assertTrue(e.getMessage().contains("maxRetrys"), e.getMessage());
        assertTrue(e.getMessage().contains("maxRetries"), "lists the options: " + e.getMessage());
    }

    @Test
    void invalidValuesAreRejectedNamingTheOption() {
        FlujoConfigurationException negative = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":-1,\"cacheMaxSize\":0}"));
        assertEquals(2, negative.getProblems().size());
        assertTrue(negative.getMessage().contains("maxRetries"), negative.getMessage());
        assertTrue(negative.getMessage().contains("cacheMaxSize"), negative.getMessage());

        FlujoConfigurationException zeroTimeout = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"timeout\":\"PT0S\"}"));
        assertTrue(zeroTimeout.getMessage().contains("timeout"), zeroTimeout.getMessage());

        FlujoConfigurationException negativeCost = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"costLimitUsd\":-0.5}"));
        assertTrue(negativeCost.getMessage().contains("costLimitUsd"), negativeCost.getMessage());

        FlujoConfigurationException blankKey = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"cacheKeyContext\":[\"tenant\",\"\"]}"));
        assertTrue(blankKey.getMessage().contains("cacheKeyContext"), blankKey.getMessage());
    }

    @Test
    void malformedOrMistypedJsonIsAConfigurationError() {
        FlujoConfigurationException badDuration = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"timeout\":\"soon\"}"));
        assertTrue(badDuration.getMessage().contains("soon"), badDuration.getMessage());

        FlujoConfigurationException badNumber = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":\"many\"}"));
        assertTrue(badNumber.getMessage().contains("many"), badNumber.getMessage());

        FlujoConfigurationException nullPrimitive = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":null}"));
        assertNotNull(nullPrimitive.getCause());

        FlujoConfigurationException broken = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":"));
        assertTrue(broken.getMessage().startsWith("Invalid OptimizationConfig JSON"), broken.getMessage());
    }

    @Test
    void jsonNullLiteralIsAConfigurationError() {
        // "null" is well-formed JSON but no configuration; fromJson promises a FlujoConfigurationException
        assertThrows(FlujoConfigurationException.class, () -> OptimizationConfig.fromJson("null"));
    }

    @Test
    void fractionalValueOfAnIntegerOptionIsRejectedNotTruncated() {
        // 1.5 retries is not a valid value; it must not silently become 1
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":1.5}"));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void nullCacheKeyContextEntryIsReportedNamingTheOption() {
        // validate() checks for null entries, but the record constructor's List.copyOf throws a bare NPE first
        List<String> keys = java.util.Arrays.asList("tenant", null);
        OptimizationConfig c = OptimizationConfig.builder().set("cacheKeyContext", keys).build();
        assertTrue(problemsOf(c).startsWith("cacheKeyContext"), problemsOf(c));

        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"cacheKeyContext\":[\"tenant\",null]}"));
        assertTrue(e.getMessage().contains("cacheKeyContext"), e.getMessage());
    }

    // from the review of issue 5 (a pin)
    @Test
    void everyOptimizationFieldSurvivesTheJsonRoundTrip() {
        OptimizationConfig config = OptimizationConfig.builder()
                .set("maxRetries", 3).set("timeout", Duration.ofSeconds(7)).set("cache", true)
                .set("cacheTtl", Duration.ofMinutes(2))
                .set("cacheMaxSize", 123).set("cacheKeyContext", List.of("tenant")).set("costLimitUsd", new BigDecimal("1.5"))
                .set("tokenLimit", 999L).set("expectedCostUsd", new BigDecimal("0.01")).set("expectedTokens", 10)
                .set("costPerInputToken", new BigDecimal("0.000001")).set("costPerOutputToken", new BigDecimal("0.000002"))
                .set("enableCircuitBreaker", true).set("circuitBreakerFailureThreshold", 4)
                .set("circuitBreakerRecoveryTimeoutSeconds", 9)
                .set("enableOptimizedErrorHandling", true).set("errorCacheSize", 17).set("maxConcurrentExecutions", 5)
                .set("maxConcurrentExecutionsWait", Duration.ofMillis(250)).set("slowExecutionThresholdMs", 100)
                .set("cpuUsageThresholdPercent", 80).set("enablePerformanceMonitoring", true)
                .set("enableOptimizedTelemetry", true)
                .set("telemetryBatchSize", 7).set("telemetryFlushIntervalSeconds", 11)
                .set("enableConcurrencyOptimization", true)
                .set("enableAutomaticOptimization", true).set("optimizationAnalysisIntervalSeconds", 13)
                .set("performanceDegradationThreshold", 0.25).set("enableMemoryOptimization", true)
                .set("memoryPressureThresholdMb", 512)
                .set("enableObjectPool", true).set("objectPoolMaxSize", 3).set("objectPoolCleanupThreshold", 50)
                .set("enableContextOptimization", false).set("enableStepOptimization", false)
                .set("enableAlgorithmOptimization", true)
                .set("enableCacheOptimization", false).set("cacheCompression", true).build();

        assertEquals(config, OptimizationConfig.fromJson(config.toJson()));
        assertEquals(config.withoutOptimizations(), OptimizationConfig.fromJson(config.withoutOptimizations().toJson()));
        assertTrue(config.withoutOptimizations().caching().cache(), "the kill switch keeps what the user asked for");
    }
}
