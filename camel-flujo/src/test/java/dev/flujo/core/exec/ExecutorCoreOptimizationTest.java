package dev.flujo.core.exec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.netflix.concurrency.limits.limit.FixedLimit;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.resilience.StepProtection;
import dev.flujo.core.resilience.StepRejectedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimization options the executor applies: step optimization (phases decided at start), cache optimization
 * (identical misses in flight share one call), the adaptive concurrency limit, compression of cached outputs.
 */
class ExecutorCoreOptimizationTest extends ExecutorCoreTestSupport {

    private static final FlujoValidator ACCEPT_ALL = (output, context) -> ValidationResult.ok();

    @Test
    void stepOptimizationRunsOnlyThePhasesAStepUsesAndTheOutputIsTheSame() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn("out").thenReturn("out");
        StepPlan lean = plan("s", config().build(), agent).build();
        StepPlan generic = plan("s", config().set("enableStepOptimization", false).build(), agent).build();
        StepPlan validated = plan("s", config().build(), agent).validators(List.of(ACCEPT_ALL)).build();

        assertEquals(0, lean.outputPhases().size());
        assertEquals(3, generic.outputPhases().size(), "processors, validators, plugins: run even when empty");
        assertEquals(1, validated.outputPhases().size());
        assertEquals(await(execute(lean, "in")).output(), await(execute(generic, "in")).output());
    }

    @Test
    void identicalMissesInFlightShareOneCallWithCacheOptimization() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenHang();
        StepPlan plan = plan("s", config().set("cache", true).set("maxRetries", 0).build(), agent).build();

        CompletableFuture<StepResult> leader = execute(plan, "same");
        CompletableFuture<StepResult> follower = execute(plan, "same");
        CompletableFuture<StepResult> other = execute(plan, "other");
        assertEquals(2, agent.calls(), "one call for 'same', one for 'other'");
        assertFalse(follower.isDone());

        agent.nextPending().complete(AgentResponse.of("answer"));
        assertEquals("answer", await(leader).output());
        StepResult shared = await(follower);
        assertEquals("answer", shared.output());
        assertTrue(shared.cacheHit());
        assertEquals(Boolean.TRUE, shared.metadata().get(StepResult.META_CACHE_SHARED));
        assertFalse(other.isDone());
    }

    @Test
    void withoutCacheOptimizationEveryMissCalls() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenHang();
        StepPlan plan = plan("s", config().set("cache", true).set("enableCacheOptimization", false).build(), agent).build();

        execute(plan, "same");
        execute(plan, "same");

        assertEquals(2, agent.calls());
    }

    @Test
    void followersCallThemselvesWhenTheLeaderFailsOrFellBack() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("own");
        StepPlan plan = plan("s", config().set("cache", true).set("maxRetries", 0).build(), agent).build();

        CompletableFuture<StepResult> leader = execute(plan, "same");
        CompletableFuture<StepResult> follower = execute(plan, "same");
        agent.nextPending().completeExceptionally(new IllegalStateException("down"));

        awaitFailure(leader, dev.flujo.core.FlujoStepFailedException.class);
        StepResult own = await(follower);
        assertEquals("own", own.output());
        assertFalse(own.cacheHit());
        assertEquals(2, agent.calls());
    }

    @Test
    void theAdaptiveLimitRejectsAnExecutionOverItAndReleasesTheSlotWhenTheStepEnds() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("third");
        AdaptiveConcurrencyLimit limit = new AdaptiveConcurrencyLimit(
                "s", Duration.ZERO, FixedLimit.of(1),
                System::nanoTime);
        StepPlan plan = plan("s", config().set("enableConcurrencyOptimization", true).build(), agent)
                .protection(new StepProtection(null, null, limit, null)).build();
        assertSame(limit, plan.concurrencyLimit());

        CompletableFuture<StepResult> first = execute(plan, "1");
        StepRejectedException rejected = awaitFailure(execute(plan, "2"), StepRejectedException.class);
        assertTrue(rejected.getMessage().contains("enableConcurrencyOptimization"), rejected.getMessage());
        assertEquals(1, limit.rejected());
        assertEquals(1, agent.calls());

        agent.nextPending().complete(AgentResponse.of("first"));
        await(first);
        assertEquals(0, limit.inFlight());
        assertEquals("third", await(execute(plan, "3")).output());
    }

    @Test
    void withoutConcurrencyOptimizationThePlanHasNoAdaptiveLimit() throws Exception {
        StepPlan plan = plan("s", config().build(), ScriptedAgent.named("llm").thenReturn("x")).build();
        StepPlan adaptive = plan("s", config().set("enableConcurrencyOptimization", true).build(),
                ScriptedAgent.named("llm").thenReturn("x")).build();

        assertEquals(null, plan.concurrencyLimit());
        assertTrue(adaptive.concurrencyLimit() != null);
    }

    @Test
    void compressedCacheEntriesAreServedAsTheOriginalText() throws Exception {
        String large = "All work and no play makes Jack a dull boy. ".repeat(200);
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn(large);
        StepPlan plan = plan("s",
                config().set("cache", true).set("cacheCompression", true).set("enableObjectPool", true).build(), agent)
                .build();

        assertSame(large, await(execute(plan, "q")).output());
        StepResult hit = await(execute(plan, "q"));

        assertTrue(hit.cacheHit());
        assertEquals(large, hit.output());
        assertNotSame(large, hit.output(), "restored from its compressed form");
        assertEquals(1, agent.calls());
    }

    @Test
    void theCacheOptionsReachThePlansCache() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn("x");
        StepPlan pooled = plan("s", config().set("cache", true).set("cacheCompression", true).set("enableObjectPool", true)
                .set("objectPoolMaxSize", 3).set("objectPoolCleanupThreshold", 77).set("enableMemoryOptimization", true)
                .set("memoryPressureThresholdMb", 64).set("enableAlgorithmOptimization", true).build(), agent).build();
        StepPlan plain = plan("s", config().set("cache", true).set("cacheCompression", true).build(), agent).build();
        StepPlan bare = plan("s", config().set("cache", true).build(), agent).build();

        var options = pooled.cache().options();
        assertEquals(3, options.compression().maxIdle());
        assertEquals(77, options.compression().cleanupThreshold());
        assertEquals(64L * 1024 * 1024, options.memoryGuard().thresholdBytes());
        assertTrue(options.wideKeys());
        assertEquals(0, plain.cache().options().compression().maxIdle(), "without the pool: a codec per call");
        assertEquals(dev.flujo.core.cache.StepCache.Options.NONE, bare.cache().options());
    }

    // --- from the review of issue 5: pins of shared misses in flight (behaviour that is right) --------------------

    @Test
    void aFollowerOfALeaderThatBreachedTheUsageLimitCallsItsOwnAgentAndIsNotServedTheBreachingOutput()
            throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("small", Usage.tokens(1, 1));
        StepPlan plan
                = plan("s", config().set("cache", true).set("maxRetries", 0).set("tokenLimit", 100L).build(), agent).build();

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
        int[] validations = { 0 };
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
}
