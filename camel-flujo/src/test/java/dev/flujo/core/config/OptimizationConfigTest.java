package dev.flujo.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flujo.core.FlujoConfigurationException;

class OptimizationConfigTest {

    private static OptimizationConfig full() {
        return OptimizationConfig.builder()
                .maxRetries(3)
                .timeout(Duration.ofMillis(1500))
                .cache(true)
                .cacheTtl(Duration.ofMinutes(10))
                .cacheMaxSize(500)
                .cacheKeyContext(List.of("tenant", "lang"))
                .costLimitUsd(new BigDecimal("12.50"))
                .tokenLimit(100_000L)
                .expectedCostUsd(new BigDecimal("0.0025"))
                .expectedTokens(1200)
                .costPerInputToken(new BigDecimal("0.0000025"))
                .costPerOutputToken(new BigDecimal("1E-5"))
                .enableCircuitBreaker(true)
                .circuitBreakerFailureThreshold(3)
                .circuitBreakerRecoveryTimeoutSeconds(45)
                .enableOptimizedErrorHandling(true)
                .errorCacheSize(50)
                .maxConcurrentExecutions(8)
                .maxConcurrentExecutionsWait(Duration.ofMillis(250))
                .slowExecutionThresholdMs(2000)
                .cpuUsageThresholdPercent(90)
                .enablePerformanceMonitoring(true)
                .enableOptimizedTelemetry(true)
                .telemetryBatchSize(7)
                .telemetryFlushIntervalSeconds(9)
                .enableConcurrencyOptimization(true)
                .enableAutomaticOptimization(true)
                .optimizationAnalysisIntervalSeconds(30)
                .performanceDegradationThreshold(0.25)
                .enableMemoryOptimization(true)
                .memoryPressureThresholdMb(512)
                .enableObjectPool(true)
                .objectPoolMaxSize(4)
                .objectPoolCleanupThreshold(99)
                .enableContextOptimization(false)
                .enableStepOptimization(false)
                .enableAlgorithmOptimization(true)
                .enableCacheOptimization(false)
                .cacheCompression(true)
                .build();
    }

    @Test
    void theOptimizationOptionsHaveTheirDocumentedDefaults() {
        OptimizationConfig d = OptimizationConfig.defaults();

        assertFalse(d.enablePerformanceMonitoring());
        assertFalse(d.enableOptimizedTelemetry());
        assertEquals(100, d.telemetryBatchSize());
        assertEquals(5, d.telemetryFlushIntervalSeconds());
        assertFalse(d.enableConcurrencyOptimization());
        assertFalse(d.enableAutomaticOptimization());
        assertEquals(60, d.optimizationAnalysisIntervalSeconds());
        assertEquals(0.5, d.performanceDegradationThreshold());
        assertFalse(d.enableMemoryOptimization());
        assertEquals(0, d.memoryPressureThresholdMb());
        assertFalse(d.enableObjectPool());
        assertEquals(16, d.objectPoolMaxSize());
        assertEquals(1000, d.objectPoolCleanupThreshold());
        assertTrue(d.enableContextOptimization());
        assertTrue(d.enableStepOptimization());
        assertFalse(d.enableAlgorithmOptimization());
        assertTrue(d.enableCacheOptimization());
        assertFalse(d.cacheCompression());
    }

    @Test
    void theOptimizationOptionsAreValidatedNamingEach() {
        OptimizationConfig bad = OptimizationConfig.builder()
                .telemetryBatchSize(0)
                .telemetryFlushIntervalSeconds(0)
                .optimizationAnalysisIntervalSeconds(-1)
                .performanceDegradationThreshold(0)
                .memoryPressureThresholdMb(-1)
                .objectPoolMaxSize(0)
                .objectPoolCleanupThreshold(0)
                .build();

        List<String> problems = bad.validate();

        String[] options = {"telemetryBatchSize", "telemetryFlushIntervalSeconds", "optimizationAnalysisIntervalSeconds",
                "performanceDegradationThreshold", "memoryPressureThresholdMb", "objectPoolMaxSize",
                "objectPoolCleanupThreshold"};
        assertEquals(options.length, problems.size(), String.join("\n", problems));
        for (int i = 0; i < options.length; i++) {
            assertTrue(problems.get(i).startsWith(options[i] + " "), problems.get(i));
        }
        assertTrue(problemsOf(OptimizationConfig.builder().performanceDegradationThreshold(Double.NaN).build())
                .startsWith("performanceDegradationThreshold"));
    }

    @Test
    void withoutOptimizationsTurnsOffEveryOptimizationAndKeepsWhatTheUserAskedFor() {
        OptimizationConfig off = full().withoutOptimizations();

        assertFalse(off.enableOptimizedErrorHandling() || off.enableOptimizedTelemetry()
                || off.enableConcurrencyOptimization() || off.enableAutomaticOptimization()
                || off.enableMemoryOptimization() || off.enableObjectPool() || off.enableContextOptimization()
                || off.enableStepOptimization() || off.enableAlgorithmOptimization() || off.enableCacheOptimization()
                || off.cacheCompression());
        assertEquals(full().toBuilder().enableOptimizedErrorHandling(false).enableOptimizedTelemetry(false)
                .enableConcurrencyOptimization(false).enableAutomaticOptimization(false)
                .enableMemoryOptimization(false).enableObjectPool(false).enableStepOptimization(false)
                .enableAlgorithmOptimization(false).cacheCompression(false).build(), off);
        assertTrue(off.cache() && off.enableCircuitBreaker() && off.enablePerformanceMonitoring());
        assertEquals(8, off.maxConcurrentExecutions());
    }

    @Test
    void optionsWhosePrerequisiteIsOffAreNamedAsIneffective() {
        OptimizationConfig plain = OptimizationConfig.defaults();

        assertEquals(List.of("cacheCompression has no effect without cache=true",
                "telemetryBatchSize has no effect without enablePerformanceMonitoring=true",
                "circuitBreakerFailureThreshold has no effect without enableCircuitBreaker=true"),
                plain.ineffective(List.of("maxRetries", "cacheCompression", "telemetryBatchSize",
                        "circuitBreakerFailureThreshold")));
        assertEquals(List.of("objectPoolMaxSize has no effect without cacheCompression=true"),
                plain.toBuilder().cache(true).build().ineffective(List.of("objectPoolMaxSize", "cacheMaxSize")));
        assertEquals(List.of(), full().ineffective(List.of("cacheCompression", "objectPoolMaxSize",
                "telemetryBatchSize", "errorCacheSize", "performanceDegradationThreshold")));
    }

    private static String problemsOf(OptimizationConfig config) {
        return String.join("\n", config.validate());
    }

    @Test
    void defaults() {
        OptimizationConfig d = OptimizationConfig.defaults();

        assertEquals(1, d.maxRetries());
        assertEquals(2, d.maxAttempts());
        assertNull(d.timeout());
        assertFalse(d.cache());
        assertNull(d.cacheTtl());
        assertEquals(10_000, d.cacheMaxSize());
        assertEquals(List.of(), d.cacheKeyContext());
        assertNull(d.costLimitUsd());
        assertNull(d.tokenLimit());
        assertEquals(BigDecimal.ZERO, d.expectedCostUsd());
        assertEquals(0, d.expectedTokens());
        assertEquals(BigDecimal.ZERO, d.costPerInputToken());
        assertEquals(BigDecimal.ZERO, d.costPerOutputToken());
        assertFalse(d.enableCircuitBreaker());
        assertEquals(5, d.circuitBreakerFailureThreshold());
        assertEquals(60, d.circuitBreakerRecoveryTimeoutSeconds());
        assertFalse(d.enableOptimizedErrorHandling());
        assertEquals(1000, d.errorCacheSize());
        assertEquals(List.of(), d.validate());
        assertEquals(d, OptimizationConfig.builder().build());
    }

    @Test
    void nullCollectionsAndAmountsBecomeEmptyAndZero() {
        OptimizationConfig c = OptimizationConfig.builder().cacheKeyContext(null).expectedCostUsd(null)
                .costPerInputToken(null).costPerOutputToken(null).build();

        assertEquals(List.of(), c.cacheKeyContext());
        assertEquals(BigDecimal.ZERO, c.expectedCostUsd());
        assertEquals(BigDecimal.ZERO, c.costPerInputToken());
        assertEquals(BigDecimal.ZERO, c.costPerOutputToken());
    }

    @Test
    void cacheKeyContextIsCopied() {
        List<String> keys = new ArrayList<>(List.of("tenant"));
        OptimizationConfig c = OptimizationConfig.builder().cacheKeyContext(keys).build();
        keys.add("user");

        assertEquals(List.of("tenant"), c.cacheKeyContext());
        assertThrows(UnsupportedOperationException.class, () -> c.cacheKeyContext().add("x"));
    }

    @Test
    void toBuilderReproducesTheConfig() {
        assertEquals(full(), full().toBuilder().build());
        assertEquals(4, full().toBuilder().maxRetries(3).build().maxAttempts());
    }

    @Test
    void aFullValidConfigHasNoProblems() {
        assertEquals(List.of(), full().validate());
        assertSame(full().getClass(), full().validateOrThrow("s").getClass());
    }

    @Test
    void validateNamesEachBadOption() {
        OptimizationConfig bad = OptimizationConfig.builder()
                .maxRetries(-1)
                .timeout(Duration.ZERO)
                .cacheTtl(Duration.ofSeconds(-5))
                .cacheMaxSize(0)
                .cacheKeyContext(List.of("tenant", " "))
                .costLimitUsd(new BigDecimal("-0.01"))
                .tokenLimit(-1L)
                .expectedCostUsd(new BigDecimal("-1"))
                .expectedTokens(-5)
                .costPerInputToken(new BigDecimal("-0.1"))
                .costPerOutputToken(new BigDecimal("-0.2"))
                .circuitBreakerFailureThreshold(0)
                .circuitBreakerRecoveryTimeoutSeconds(0)
                .errorCacheSize(0)
                .build();

        List<String> problems = bad.validate();

        assertEquals(14, problems.size(), String.join("\n", problems));
        String[] options = {"maxRetries", "timeout", "cacheTtl", "cacheMaxSize", "cacheKeyContext", "costLimitUsd",
                "tokenLimit", "expectedCostUsd", "expectedTokens", "costPerInputToken", "costPerOutputToken",
                "circuitBreakerFailureThreshold", "circuitBreakerRecoveryTimeoutSeconds", "errorCacheSize"};
        for (int i = 0; i < options.length; i++) {
            assertTrue(problems.get(i).startsWith(options[i] + " "), problems.get(i));
        }
        assertTrue(problems.get(0).contains("-1"), problems.get(0));
    }

    @Test
    void eachBadOptionAloneIsReported() {
        assertTrue(problemsOf(OptimizationConfig.builder().maxRetries(-1).build()).startsWith("maxRetries"));
        assertTrue(problemsOf(OptimizationConfig.builder()
                .maxRetries(OptimizationConfig.MAX_RETRIES_CEILING + 1).build()).startsWith("maxRetries"));
        assertEquals(List.of(), OptimizationConfig.builder()
                .maxRetries(OptimizationConfig.MAX_RETRIES_CEILING).build().validate());
        assertEquals(List.of(), OptimizationConfig.builder().maxRetries(0).build().validate());
        assertTrue(problemsOf(OptimizationConfig.builder().timeout(Duration.ZERO).build()).startsWith("timeout"));
        assertTrue(problemsOf(OptimizationConfig.builder().timeout(Duration.ofMillis(-1)).build())
                .startsWith("timeout"));
        assertTrue(problemsOf(OptimizationConfig.builder().cacheMaxSize(0).build()).startsWith("cacheMaxSize"));
        assertTrue(problemsOf(OptimizationConfig.builder().cacheKeyContext(List.of("")).build())
                .startsWith("cacheKeyContext"));
        assertTrue(problemsOf(OptimizationConfig.builder().costLimitUsd(new BigDecimal("-1")).build())
                .startsWith("costLimitUsd"));
        assertEquals(List.of(), OptimizationConfig.builder().costLimitUsd(BigDecimal.ZERO).tokenLimit(0L).build()
                .validate());
    }

    @Test
    void validateOrThrowListsEveryProblemAndNamesTheStep() {
        OptimizationConfig bad = OptimizationConfig.builder().maxRetries(-1).cacheMaxSize(0).build();

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
        assertEquals(Duration.ofMillis(1500), read.timeout());
        assertEquals(new BigDecimal("12.50"), read.costLimitUsd()); // scale kept, not just the value
        assertEquals(new BigDecimal("0.0000025"), read.costPerInputToken());
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

        assertEquals(3, c.maxRetries());
        assertEquals(Duration.ofSeconds(30), c.timeout());
        assertEquals(OptimizationConfig.defaults().toBuilder().maxRetries(3).timeout(Duration.ofSeconds(30)).build(), c);
        assertEquals(OptimizationConfig.defaults(), OptimizationConfig.fromJson("{}"));
    }

    @Test
    void unknownPropertyIsRejectedNamingIt() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"maxRetries\":2,\"maxRetrys\":3}"));

        assertTrue(e.getMessage().contains("maxRetrys"), e.getMessage());
        assertNotNull(e.getCause());
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
        OptimizationConfig c = OptimizationConfig.builder().cacheKeyContext(keys).build();
        assertTrue(problemsOf(c).startsWith("cacheKeyContext"), problemsOf(c));

        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> OptimizationConfig.fromJson("{\"cacheKeyContext\":[\"tenant\",null]}"));
        assertTrue(e.getMessage().contains("cacheKeyContext"), e.getMessage());
    }
}
