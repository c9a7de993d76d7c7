package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.cache.CacheKey;
import dev.flujo.core.cache.CodecPool;
import dev.flujo.core.cache.MemoryGuard;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the issue-5 optimization layer in the core: shared misses in flight, permits, the memory guard's resizing
 * across a runtime change, compressed entries, the JSON form of the configuration.
 */
class OptimizationReviewTest extends ExecutorCoreTestSupport {

    // --- bugs ---------------------------------------------------------------------------------------------------

    /*
     * Was a bug (fixed; kept as a regression test): StepCache.reconfigured (StepCache.java:71-82) shares the Caffeine cache of the previous instance but not
     * its resize state: `shrunk` and `targetMaximum` are per instance, and refusedForMemory() synchronizes on `this`.
     * The plan a runtime change replaced stays in use by the exchanges in flight, and their writes go through the old
     * instance. Under memory pressure such a write shrinks the shared cache to a quarter of the OLD size; when the
     * pressure is gone, the new instance never restores it (its own `shrunk` is false, so it sees no transition) and
     * the cache stays at a quarter of the old size until the next pressure episode seen by the new instance. (The
     * reverse also happens: an old instance that was shrunk restores its old target size over the new one.)
     * Fix: keep the resize state (target size, shrunk flag, its lock) in one object shared by every instance over the
     * same Caffeine cache, e.g. a `Sizing` holder passed on by reconfigured(), and let the old instance see the new
     * target.
     */
    @Test
    void aLateWriteThroughTheReplacedCacheDoesNotLeaveTheNewCacheShrunkAfterThePressureEnds() {
        AtomicLong usedHeap = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        // each plan gets its own guard of the same heap (MemoryGuard.forHeap per plan build)
        MemoryGuard oldGuard = new MemoryGuard(1000, usedHeap::get, nanos::get);
        MemoryGuard newGuard = new MemoryGuard(1000, usedHeap::get, nanos::get);
        StepCache old = new StepCache("fp", List.of(), 100, null, () -> 0L,
                new StepCache.Options(false, null, oldGuard));
        StepCache resized = old.reconfigured("fp", List.of(), 1000, null,
                new StepCache.Options(false, null, newGuard));
        assertEquals(1000, resized.currentMaximum());

        // memory pressure; an exchange that started on the old plan ends and writes through the old instance
        usedHeap.set(5000);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        old.put(old.keyFor("late", FlujoContext.empty()), "late output");

        // the pressure is gone; the new plan writes
        usedHeap.set(10);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        resized.put(resized.keyFor("fresh", FlujoContext.empty()), "fresh output");

        assertFalse(resized.underMemoryPressure());
        assertEquals(1000, resized.currentMaximum(),
                "no pressure any more, yet the cache is stuck at a quarter of the replaced plan's size");
    }

    // --- pins: behaviour that is right -------------------------------------------------------------------------

    @Test
    void aFollowerOfALeaderThatBreachedTheUsageLimitCallsItsOwnAgentAndIsNotServedTheBreachingOutput()
            throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("small", Usage.tokens(1, 1));
        StepPlan plan = plan("s", config().set("cache", true).set("maxRetries", 0).set("tokenLimit", 100L).build(), agent).build();

        CompletableFuture<StepResult> leader = execute(plan, "same");
        CompletableFuture<StepResult> follower = core.execute(plan, "same", FlujoContext.empty(), FlujoRun.create());
        assertFalse(follower.isDone());
        agent.nextPending().complete(AgentResponse.of("big", Usage.tokens(400, 400)));

        awaitFailure(leader, UsageLimitExceededException.class);
        StepResult own = await(follower);
        assertEquals("small", own.output());
        assertEquals(2, agent.calls());
    }

    @Test
    void aLeaderWhoseValidatorThrowsAnErrorReleasesItsFollowersAndItsBulkheadSlot() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("fine").thenReturn("fine");
        int[] validations = {0};
        StepPlan plan = plan("s", config().set("cache", true).set("maxRetries", 0).set("maxConcurrentExecutions", 1)
                .set("maxConcurrentExecutionsWait", Duration.ZERO).build(), agent)
                .validators(List.of(validator("boom", output -> {
                    if (validations[0]++ == 0) {
                        throw new AssertionError("validator bug");
                    }
                    return dev.flujo.core.step.ValidationResult.ok();
                }))).build();

        CompletableFuture<StepResult> leader = execute(plan, "same");
        CompletableFuture<StepResult> follower = execute(plan, "same");
        agent.nextPending().complete(AgentResponse.of("out"));

        FlujoStepFailedException crashed = awaitFailure(leader, FlujoStepFailedException.class);
        assertInstanceOf(AssertionError.class, crashed.getCause());
        // the follower takes the slot the crashed leader freed (bulkhead of 1, no wait)
        assertEquals("fine", await(follower).output());
    }

    @Test
    void compressedEntriesComeBackWithTheirTypeAndTheirNonAsciiText() {
        StepCache cache = new StepCache("fp", List.of(), 100, null, () -> 0L,
                new StepCache.Options(false, new CodecPool(2, 100), null));
        String text = "Grüße aus Zürich, 東京, emoji \uD83D\uDE00 - ".repeat(60);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_16);
        CacheKey textKey = cache.keyFor("t", FlujoContext.empty());
        CacheKey bytesKey = cache.keyFor("b", FlujoContext.empty());

        cache.put(textKey, text);
        cache.put(bytesKey, bytes);

        assertEquals(text, cache.get(textKey));
        byte[] restored = assertInstanceOf(byte[].class, cache.get(bytesKey));
        assertArrayEquals(bytes, restored);
    }

    @Test
    void everyOptimizationFieldSurvivesTheJsonRoundTrip() {
        OptimizationConfig config = OptimizationConfig.builder()
                .set("maxRetries", 3).set("timeout", Duration.ofSeconds(7)).set("cache", true).set("cacheTtl", Duration.ofMinutes(2))
                .set("cacheMaxSize", 123).set("cacheKeyContext", List.of("tenant")).set("costLimitUsd", new BigDecimal("1.5"))
                .set("tokenLimit", 999L).set("expectedCostUsd", new BigDecimal("0.01")).set("expectedTokens", 10)
                .set("costPerInputToken", new BigDecimal("0.000001")).set("costPerOutputToken", new BigDecimal("0.000002"))
                .set("enableCircuitBreaker", true).set("circuitBreakerFailureThreshold", 4).set("circuitBreakerRecoveryTimeoutSeconds", 9)
                .set("enableOptimizedErrorHandling", true).set("errorCacheSize", 17).set("maxConcurrentExecutions", 5)
                .set("maxConcurrentExecutionsWait", Duration.ofMillis(250)).set("slowExecutionThresholdMs", 100)
                .set("cpuUsageThresholdPercent", 80).set("enablePerformanceMonitoring", true).set("enableOptimizedTelemetry", true)
                .set("telemetryBatchSize", 7).set("telemetryFlushIntervalSeconds", 11).set("enableConcurrencyOptimization", true)
                .set("enableAutomaticOptimization", true).set("optimizationAnalysisIntervalSeconds", 13)
                .set("performanceDegradationThreshold", 0.25).set("enableMemoryOptimization", true).set("memoryPressureThresholdMb", 512)
                .set("enableObjectPool", true).set("objectPoolMaxSize", 3).set("objectPoolCleanupThreshold", 50)
                .set("enableContextOptimization", false).set("enableStepOptimization", false).set("enableAlgorithmOptimization", true)
                .set("enableCacheOptimization", false).set("cacheCompression", true).build();

        assertEquals(config, OptimizationConfig.fromJson(config.toJson()));
        assertEquals(config.withoutOptimizations(), OptimizationConfig.fromJson(config.withoutOptimizations().toJson()));
        assertTrue(config.withoutOptimizations().caching().cache(), "the kill switch keeps what the user asked for");
    }
}
