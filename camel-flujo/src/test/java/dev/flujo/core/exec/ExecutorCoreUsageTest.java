package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.LimitBreach;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreUsageTest extends ExecutorCoreTestSupport {

    private static BigDecimal usd(String value) {
        return new BigDecimal(value);
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, usd(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void tokenOnlyUsageIsPricedFromThePerTokenPrices() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("out", Usage.tokens(1000, 200));
        StepPlan plan
                = plan("draft", config().set("costPerInputToken", usd("0.00001")).set("costPerOutputToken", usd("0.00003"))
                        .build(), agent).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(1000, result.usage().inputTokens());
        assertEquals(200, result.usage().outputTokens());
        assertAmount("0.016", result.usage().costUsd());
        assertAmount("0.016", run.usage().costUsd());
    }

    @Test
    void reportedCostIsKeptEvenWithPrices() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("out", Usage.of(1000, 200, usd("0.5")));
        StepPlan plan
                = plan("draft", config().set("costPerInputToken", usd("1")).set("costPerOutputToken", usd("1")).build(), agent)
                        .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(usd("0.5"), result.usage().costUsd());
        assertEquals(usd("0.5"), run.usage().costUsd());
    }

    @Test
    void totalsAccumulateExactlyAcrossStepsOfOneRun() {
        for (int i = 0; i < 10; i++) {
            ScriptedAgent agent = ScriptedAgent.named("a" + i).thenReturn("out", Usage.of(3, 7, usd("0.1")));
            await(execute(plan("step" + i, retries(0), agent).build(), "q"));
        }
        ScriptedAgent priced = ScriptedAgent.named("priced").thenReturn("out", Usage.tokens(100, 50));
        await(execute(plan("priced", config().set("costPerInputToken", usd("0.001")).set("costPerOutputToken", usd("0.002"))
                .build(), priced).build(), "q"));

        assertEquals(11, run.history().size());
        assertEquals(130, run.usage().inputTokens());
        assertEquals(120, run.usage().outputTokens());
        // ten times 0.1 is exactly 1.0 in BigDecimal (a double sum would give 0.9999999999999999), plus 0.2
        assertAmount("1.2", run.usage().costUsd());
        BigDecimal sumOfSteps = run.history().stream().map(r -> r.usage().costOrZero())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertAmount("1.2", sumOfSteps);
    }

    @Test
    void costLimitBreachAfterReconcileStopsTheRunAndKeepsThePartialResults() {
        UsageLimits limits = new UsageLimits(usd("0.25"), null);
        ScriptedAgent first = ScriptedAgent.named("first").thenReturn("one", Usage.of(10, 10, usd("0.1")));
        ScriptedAgent second = ScriptedAgent.named("second").alwaysReturn("never").thenReturn("two",
                Usage.of(10, 10, usd("0.2")));
        ScriptedAgent third = ScriptedAgent.named("third").alwaysReturn("never");
        StepPlan s1 = plan("s1", config().set("costLimitUsd", usd("0.25")).build(), first).build();
        StepPlan s2 = plan("s2", config().set("maxRetries", 2).set("costLimitUsd", usd("0.25")).build(), second).build();
        StepPlan s3 = plan("s3", config().build(), third).build(); // declares no limit itself

        StepResult r1 = await(execute(s1, "q"));
        UsageLimitExceededException e = awaitFailure(execute(s2, "q"), UsageLimitExceededException.class);

        assertEquals(1, second.calls(), "a breach is not retried");
        assertEquals("s2", e.getStepName());
        assertEquals(limits, e.getLimits());
        assertAmount("0.3", e.getTotals().costUsd());
        assertEquals(40, e.getTotals().totalTokens());
        LimitBreach breach = e.getBreach();
        assertEquals("cost", breach.kind());
        assertFalse(breach.refused());
        assertAmount("0.25", breach.limit());
        assertAmount("0.3", breach.attempted());
        assertTrue(e.getMessage().contains("s2"), e.getMessage());

        List<StepResult> partial = e.getPartialHistory();
        assertEquals(2, partial.size());
        assertSame(r1, partial.get(0));
        StepResult breaching = partial.get(1);
        assertEquals("s2", breaching.name());
        assertFalse(breaching.success());
        assertEquals("two", breaching.output());
        String described = (String) breaching.metadata().get(StepResult.META_LIMIT_EXCEEDED);
        assertTrue(described.contains("cost"), described);
        assertAmount("0.2", breaching.usage().costUsd());

        // the next step of the same run is refused before its agent is called
        UsageLimitExceededException next = awaitFailure(execute(s3, "q"), UsageLimitExceededException.class);
        assertEquals(0, third.calls());
        assertTrue(next.getBreach().refused());
        assertEquals("s3", next.getStepName());
        assertEquals(3, next.getPartialHistory().size());
        assertTrue(next.getPartialHistory().get(2).metadata().containsKey(StepResult.META_LIMIT_EXCEEDED));
        assertAmount("0.3", run.usage().costUsd());
    }

    @Test
    void tokenLimitBreachAfterReconcile() {
        ScriptedAgent first = ScriptedAgent.named("first").thenReturn("one", Usage.of(30, 30, usd("0")));
        ScriptedAgent second = ScriptedAgent.named("second").thenReturn("two", Usage.tokens(30, 30));
        StepPlan s1 = plan("s1", config().set("tokenLimit", 100L).build(), first).build();
        StepPlan s2 = plan("s2", config().set("tokenLimit", 100L).build(), second).build();

        await(execute(s1, "q"));
        UsageLimitExceededException e = awaitFailure(execute(s2, "q"), UsageLimitExceededException.class);

        assertEquals("tokens", e.getBreach().kind());
        assertAmount("100", e.getBreach().limit());
        assertAmount("120", e.getBreach().attempted());
        assertEquals(Long.valueOf(100), e.getLimits().tokenLimit());
        assertEquals(120, e.getTotals().totalTokens());
        assertEquals(2, e.getPartialHistory().size());
    }

    @Test
    void usageExactlyAtTheLimitIsNotABreach() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("out", Usage.of(50, 50, usd("0.25")));
        StepPlan plan = plan("s", config().set("tokenLimit", 100L).set("costLimitUsd", usd("0.25")).build(), agent).build();

        assertTrue(await(execute(plan, "q")).success());
    }

    @Test
    void expectedTokensReservationRefusesACallBeforeItRuns() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("never");
        StepPlan plan
                = plan("s", config().set("maxRetries", 3).set("tokenLimit", 100L).set("expectedTokens", 150).build(), agent)
                        .build();

        UsageLimitExceededException e = awaitFailure(execute(plan, "q"), UsageLimitExceededException.class);

        assertEquals(0, agent.calls());
        assertTrue(e.getBreach().refused());
        assertEquals("tokens", e.getBreach().kind());
        assertAmount("150", e.getBreach().attempted());
        assertEquals(Usage.ZERO.totalTokens(), e.getTotals().totalTokens());
        assertEquals(1, e.getPartialHistory().size());
        assertTrue(e.getPartialHistory().get(0).metadata().containsKey(StepResult.META_LIMIT_EXCEEDED));
    }

    @Test
    void expectedCostReservationRefusesACallBeforeItRuns() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("never");
        StepPlan plan = plan("s", config().set("costLimitUsd", usd("1.00")).set("expectedCostUsd", usd("1.01")).build(), agent)
                .build();

        UsageLimitExceededException e = awaitFailure(execute(plan, "q"), UsageLimitExceededException.class);

        assertEquals(0, agent.calls());
        assertEquals("cost", e.getBreach().kind());
        assertTrue(e.getBreach().refused());
    }

    @Test
    void outstandingReservationsOfConcurrentCallsCountAgainstTheBudget() throws Exception {
        ScriptedAgent slow = ScriptedAgent.named("slow").thenHang();
        ScriptedAgent other = ScriptedAgent.named("other").alwaysReturn("ok");
        StepPlan slowPlan = plan("slow", config().set("tokenLimit", 100L).set("expectedTokens", 60).build(), slow).build();
        StepPlan otherPlan = plan("other", config().set("tokenLimit", 100L).set("expectedTokens", 60).build(), other).build();

        CompletableFuture<StepResult> inFlight = execute(slowPlan, "q");
        CompletableFuture<AgentResponse> pending = slow.nextPending();

        UsageLimitExceededException e = awaitFailure(execute(otherPlan, "q"), UsageLimitExceededException.class);
        assertEquals(0, other.calls());
        assertTrue(e.getBreach().refused());
        assertAmount("120", e.getBreach().attempted());

        // reconciling releases the reservation: actual usage 10 leaves room for another 60
        pending.complete(AgentResponse.of("slow done", Usage.of(5, 5, BigDecimal.ZERO)));
        assertEquals("slow done", await(inFlight).output());
        assertEquals("ok", await(execute(otherPlan, "q")).output());
        assertEquals(1, other.calls());
    }

    @Test
    void limitsOfLaterStepsNarrowButNeverWidenTheRunBudget() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        await(execute(plan("a", config().set("costLimitUsd", usd("1.0")).build(), agent).build(), "q"));
        await(execute(plan("b", config().set("costLimitUsd", usd("0.5")).set("tokenLimit", 1000L).build(), agent).build(),
                "q"));
        await(execute(plan("c", config().set("costLimitUsd", usd("2.0")).set("tokenLimit", 5000L).build(), agent).build(),
                "q"));

        assertEquals(new UsageLimits(usd("0.5"), 1000L), run.limits());
    }

    @Test
    void concurrentStepsOnOneRunAddUpExactly() throws Exception {
        int threads = 16;
        int stepsPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            ScriptedAgent agent = ScriptedAgent.named("writer")
                    .otherwise(r -> CompletableFuture.completedFuture(AgentResponse.of("out", Usage.tokens(1, 2))));
            StepPlan plan = plan("s", config().set("costPerInputToken", usd("0.001")).set("costPerOutputToken", usd("0.0001"))
                    .set("tokenLimit", 1_000_000L).set("expectedTokens", 3).build(), agent).build();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < stepsPerThread; i++) {
                        await(execute(plan, "q"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(SAFETY_SECONDS, TimeUnit.SECONDS);
            }

            int steps = threads * stepsPerThread;
            assertEquals(steps, run.history().size());
            assertEquals(steps, agent.calls());
            assertEquals(steps, run.usage().inputTokens());
            assertEquals(2L * steps, run.usage().outputTokens());
            assertAmount("0.96", run.usage().costUsd()); // 800 * (0.001 + 0.0002)
            // every reservation was released: the whole remaining budget can be reserved, one more token cannot
            assertNull(run.ledger().reserve(1_000_000L - 3L * steps, BigDecimal.ZERO));
            assertTrue(run.ledger().reserve(1, BigDecimal.ZERO).refused());
        } finally {
            pool.shutdownNow();
        }
    }
}
