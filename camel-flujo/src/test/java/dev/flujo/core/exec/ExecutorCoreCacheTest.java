package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreCacheTest extends ExecutorCoreTestSupport {

    /** Answers "answer to <input> #<call>", with some usage, so a hit is distinguishable from a new call. */
    private static ScriptedAgent echo(String name) {
        AtomicInteger n = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named(name);
        return agent.otherwise(r -> CompletableFuture.completedFuture(AgentResponse.of(
                "answer to " + r.input() + " #" + n.incrementAndGet(), Usage.of(10, 20, new BigDecimal("0.05")))));
    }

    @Test
    void missThenHitWithoutCallingTheAgentOrSpendingBudget() {
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).build();

        StepResult miss = await(execute(plan, "q"));
        Usage afterMiss = run.usage();
        StepResult hit = await(execute(plan, "q"));

        assertFalse(miss.cacheHit());
        assertEquals(Boolean.FALSE, miss.metadata().get(StepResult.META_CACHE_HIT));
        assertEquals(30, miss.usage().totalTokens());
        assertEquals(1, agent.calls());
        assertTrue(hit.cacheHit());
        assertTrue(hit.success());
        assertEquals("answer to q #1", hit.output());
        assertEquals(Usage.ZERO, hit.usage());
        assertEquals(0, hit.attempts());
        assertEquals(afterMiss, run.usage());
        assertEquals(30, run.usage().totalTokens());
        assertEquals(2, run.history().size());
        assertEquals(1, plan.cache().estimatedSize());
    }

    @Test
    void differentInputsAreDifferentEntries() {
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).build();

        assertEquals("answer to q1 #1", await(execute(plan, "q1")).output());
        assertEquals("answer to q2 #2", await(execute(plan, "q2")).output());
        assertEquals("answer to q1 #1", await(execute(plan, "q1")).output());
        assertEquals(2, agent.calls());
    }

    @Test
    void hashCollidingInputsAreNotServedEachOthersOutput() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).build();

        assertEquals("answer to Aa #1", await(execute(plan, "Aa")).output());
        StepResult bb = await(execute(plan, "BB"));

        assertFalse(bb.cacheHit());
        assertEquals("answer to BB #2", bb.output());
        assertEquals(2, agent.calls());
    }

    @Test
    void byteArrayInputsAreComparedByContent() {
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).build();

        await(execute(plan, new byte[] { 1, 2, 3 }));
        StepResult hit = await(execute(plan, new byte[] { 1, 2, 3 }));
        StepResult other = await(execute(plan, new byte[] { 1, 2, 4 }));

        assertTrue(hit.cacheHit());
        assertFalse(other.cacheHit());
        assertEquals(2, agent.calls());
    }

    @Test
    void listedContextKeysArePartOfTheKeyAndUnlistedOnesAreNot() {
        ScriptedAgent agent = echo("writer");
        StepPlan plan
                = plan("draft", config().set("cache", true).set("cacheKeyContext", List.of("tenant")).build(), agent).build();

        StepResult acme = await(execute(plan, "q", FlujoContext.of(Map.of("tenant", "acme", "user", "ann"))));
        StepResult globex = await(execute(plan, "q", FlujoContext.of(Map.of("tenant", "globex", "user", "ann"))));
        assertEquals(2, agent.calls());
        assertFalse(globex.cacheHit());
        assertEquals("answer to q #2", globex.output());

        StepResult acmeOtherUser = await(execute(plan, "q", FlujoContext.of(Map.of("tenant", "acme", "user", "bob"))));
        assertEquals(2, agent.calls());
        assertTrue(acmeOtherUser.cacheHit());
        assertEquals(acme.output(), acmeOtherUser.output());

        StepResult noTenant = await(execute(plan, "q", FlujoContext.of(Map.of("user", "ann"))));
        assertFalse(noTenant.cacheHit());
        assertEquals(3, agent.calls());
    }

    @Test
    void failedOutputsAreNotCached() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("bad").thenReturn("good");
        StepPlan plan = plan("draft", config().set("cache", true).set("maxRetries", 0).build(), agent)
                .validators(List.of(validator("notBad",
                        out -> "bad".equals(out) ? ValidationResult.fail("bad") : ValidationResult.ok())))
                .build();

        awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);
        assertEquals(0, plan.cache().estimatedSize());

        StepResult second = await(execute(plan, "q"));
        assertFalse(second.cacheHit());
        assertEquals("good", second.output());
        assertEquals(2, agent.calls());

        StepResult third = await(execute(plan, "q"));
        assertTrue(third.cacheHit());
        assertEquals("good", third.output());
        assertEquals(2, agent.calls());
    }

    @Test
    void nullOutputIsNotCached() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn(null).thenReturn("now something");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).build();

        assertNull(await(execute(plan, "q")).output());
        StepResult second = await(execute(plan, "q"));

        assertFalse(second.cacheHit());
        assertEquals("now something", second.output());
        assertEquals(2, agent.calls());
    }

    @Test
    void entriesExpireAfterTheTtlOnTheInjectedTicker() {
        AtomicLong nanos = new AtomicLong(42);
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).set("cacheTtl", Duration.ofMinutes(10)).build(), agent)
                .ticker(nanos::get)
                .build();

        assertEquals("answer to q #1", await(execute(plan, "q")).output());
        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        StepResult stillFresh = await(execute(plan, "q"));
        assertTrue(stillFresh.cacheHit());
        assertEquals(1, agent.calls());

        nanos.addAndGet(Duration.ofMinutes(2).toNanos()); // 11 minutes after the write: a hit does not refresh it
        StepResult expired = await(execute(plan, "q"));
        assertFalse(expired.cacheHit());
        assertEquals("answer to q #2", expired.output());
        assertEquals(2, agent.calls());

        StepResult rewritten = await(execute(plan, "q"));
        assertTrue(rewritten.cacheHit());
        assertEquals("answer to q #2", rewritten.output());
    }

    @Test
    void withoutTtlEntriesDoNotExpire() {
        AtomicLong nanos = new AtomicLong();
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).ticker(nanos::get).build();

        await(execute(plan, "q"));
        nanos.addAndGet(Duration.ofDays(365).toNanos());

        assertTrue(await(execute(plan, "q")).cacheHit());
        assertEquals(1, agent.calls());
    }

    @Test
    void cachedValueIsTheProcessedOutputAndProcessorsDoNotRunAgainOnAHit() {
        AtomicInteger processed = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("raw");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent)
                .outputProcessors(List.of((v, c) -> {
                    processed.incrementAndGet();
                    return v + " processed";
                }))
                .build();

        await(execute(plan, "q"));
        StepResult hit = await(execute(plan, "q"));

        assertEquals("raw processed", hit.output());
        assertEquals(1, processed.get());
    }

    @Test
    void cacheHitStillProducesTheContextWrites() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("the summary");
        StepPlan plan = plan("draft", config().set("cache", true).build(), agent).sinkTo("summary").build();

        await(execute(plan, "q"));
        StepResult hit = await(execute(plan, "q"));

        assertTrue(hit.cacheHit());
        assertEquals(Map.of("summary", "the summary"), hit.contextUpdates());
    }

    @Test
    void withoutCacheEveryCallReachesTheAgent() {
        ScriptedAgent agent = echo("writer");
        StepPlan plan = plan("draft", config().build(), agent).build();

        StepResult first = await(execute(plan, "q"));
        StepResult second = await(execute(plan, "q"));

        assertNull(plan.cache());
        assertEquals(2, agent.calls());
        assertFalse(first.metadata().containsKey(StepResult.META_CACHE_HIT));
        assertFalse(second.cacheHit());
    }

    @Test
    void aFallbackAnswerIsNotCachedSoTheRecoveredPrimaryIsAskedAgain() {
        ScriptedAgent primary = ScriptedAgent.named("primary").thenThrow(new IllegalStateException("down"))
                .alwaysReturn("primary answer");
        ScriptedAgent backup = ScriptedAgent.named("backup").alwaysReturn("stand-in answer");
        StepPlan plan = plan("draft", config().set("cache", true).set("maxRetries", 0).build(), primary)
                .fallback(backup.asNamed()).build();

        StepResult first = await(execute(plan, "q"));
        StepResult second = await(execute(plan, "q"));
        StepResult third = await(execute(plan, "q"));

        assertEquals("stand-in answer", first.output());
        assertTrue(first.fallbackUsed());
        assertEquals("primary answer", second.output(), "the primary is asked again, not the cached stand-in");
        assertFalse(second.cacheHit());
        assertTrue(third.cacheHit(), "the primary's own answer is cached");
        assertEquals(2, primary.calls());
    }
}
