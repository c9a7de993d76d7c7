package dev.flujo.core.exec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.RetryAfterException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.resilience.RateLimitedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waits of issue 14 in the executor: the backoff before retrying a failed call (a scheduled continuation that a
 * cancellation or the core's stop ends at once), no wait before retrying a rejected answer, a Retry-After too long to
 * honour, and the rate limits of an agent.
 */
class ExecutorCoreRetryWaitTest extends ExecutorCoreTestSupport {

    /** Far below the minute of backoff the tests configure: a step that ends within it did not wait it out. */
    private static final long BOUND_SECONDS = 5;

    private static final Duration A_MINUTE = Duration.ofMinutes(1);

    /** One retry, after a fixed minute. */
    private static StepPlan minuteBackoffPlan(ScriptedAgent agent) {
        return plan("s", config().set("maxRetries", 1).set("retryDelay", A_MINUTE)
                .set("retryMaxDelay", Duration.ofMinutes(2)).set("retryJitter", false).build(), agent).build();
    }

    private static <T> T within(CompletableFuture<T> future) throws Exception {
        return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private static Throwable failureWithin(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> within(future));
        return e.getCause();
    }

    /** The agent fails its first call (synchronously), and would answer a retry. */
    private static ScriptedAgent failingOnce() {
        return ScriptedAgent.named("llm").thenThrow(new IllegalStateException("overloaded")).alwaysReturn("late answer");
    }

    @Test
    void cancellingTheBranchRunEndsAWaitingRetryAtOnce() throws Exception {
        ScriptedAgent agent = failingOnce();
        FlujoRun branch = run.branch();
        IllegalStateException why = new IllegalStateException("a sibling branch failed");

        CompletableFuture<StepResult> step = core.execute(minuteBackoffPlan(agent), "q", FlujoContext.empty(), branch);
        assertFalse(step.isDone(), "the first attempt failed and the retry waits its minute");
        assertEquals(1, agent.calls());

        long cancelledAt = System.nanoTime();
        branch.cancel(why);

        FlujoCancelledException cancelled = assertInstanceOf(FlujoCancelledException.class, failureWithin(step));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);
        assertSame(why, cancelled.getCause());
        assertEquals("s", cancelled.getStepName());
        assertEquals(1, agent.calls(), "no retry after the cancellation");
        assertTrue(tookMs < A_MINUTE.toMillis(), "ended without waiting the backoff: " + tookMs + " ms");
        assertNull(run.cancellation(), "only the branch was cancelled");
    }

    @Test
    void stoppingTheCoreEndsAWaitingRetryAtOnce() throws Exception {
        ScriptedAgent agent = failingOnce();
        IllegalStateException why = new IllegalStateException("context stopped");

        CompletableFuture<StepResult> step = execute(minuteBackoffPlan(agent), "q");
        assertFalse(step.isDone(), "the first attempt failed and the retry waits its minute");

        core.stop(why);

        FlujoCancelledException cancelled = assertInstanceOf(FlujoCancelledException.class, failureWithin(step));
        assertSame(why, cancelled.getCause());
        assertEquals(1, agent.calls(), "no retry after the stop");
    }

    @Test
    void aRejectedAnswerIsRetriedAtOnceWhateverTheBackoff() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn("bad").thenReturn("good");
        StepPlan plan = plan("s", config().set("maxRetries", 1).set("retryDelay", A_MINUTE)
                .set("retryMaxDelay", Duration.ofMinutes(2)).set("retryJitter", false).build(), agent)
                .validators(List.of(validator("good", o -> "good".equals(o)
                        ? ValidationResult.ok()
                        : ValidationResult.fail("say good"))))
                .build();

        StepResult result = within(execute(plan, "q"));

        assertEquals("good", result.output());
        assertEquals(2, result.attempts());
        assertEquals(2, agent.calls());
        assertNull(result.metadata().get(StepResult.META_RETRY_WAIT_MS), "no backoff was waited");
    }

    @Test
    void aFailedCallIsRetriedAfterTheExponentialBackoff() throws Exception {
        List<Long> calledAt = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("llm")
                .then(r -> {
                    calledAt.add(System.nanoTime());
                    throw new IllegalStateException("overloaded #1");
                })
                .then(r -> {
                    calledAt.add(System.nanoTime());
                    return CompletableFuture.failedFuture(new IllegalStateException("overloaded #2"));
                })
                .then(r -> {
                    calledAt.add(System.nanoTime());
                    return CompletableFuture.completedFuture(AgentResponse.of("fine"));
                });
        StepPlan plan = plan("s", config().set("maxRetries", 2).set("retryDelay", Duration.ofMillis(100))
                .set("retryJitter", false).build(), agent).build();

        StepResult result = awaitSafely(execute(plan, "q"));

        assertEquals("fine", result.output());
        assertEquals(3, result.attempts());
        assertEquals(3, calledAt.size());
        long firstGapMs = TimeUnit.NANOSECONDS.toMillis(calledAt.get(1) - calledAt.get(0));
        long secondGapMs = TimeUnit.NANOSECONDS.toMillis(calledAt.get(2) - calledAt.get(1));
        assertTrue(firstGapMs >= 100, "first retry after retryDelay: " + firstGapMs + " ms");
        assertTrue(secondGapMs >= 200, "second retry after retryDelay x 2: " + secondGapMs + " ms");
        assertTrue(firstGapMs < 30_000 && secondGapMs < 30_000, "loose upper bound: " + firstGapMs + ", " + secondGapMs);
        long waited = ((Number) result.metadata().get(StepResult.META_RETRY_WAIT_MS)).longValue();
        assertTrue(waited >= 300, "retryWaitMs sums the waits: " + waited);
    }

    @Test
    void aRetryAfterBelowRetryMaxDelayRaisesTheWait() throws Exception {
        List<Long> calledAt = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("llm")
                .then(r -> {
                    calledAt.add(System.nanoTime());
                    throw new RetryAfterException("429", Duration.ofMillis(300), null);
                })
                .then(r -> {
                    calledAt.add(System.nanoTime());
                    return CompletableFuture.completedFuture(AgentResponse.of("fine"));
                });
        StepPlan plan = plan("s", config().set("maxRetries", 1).set("retryDelay", Duration.ofMillis(10))
                .set("retryMaxDelay", Duration.ofSeconds(1)).build(), agent).build();

        StepResult result = awaitSafely(execute(plan, "q"));

        assertEquals("fine", result.output());
        long gapMs = TimeUnit.NANOSECONDS.toMillis(calledAt.get(1) - calledAt.get(0));
        assertTrue(gapMs >= 300, "waited at least the Retry-After, not the 10 ms backoff: " + gapMs + " ms");
        assertEquals(300L, result.metadata().get(StepResult.META_RETRY_AFTER_MS));
    }

    @Test
    void aRetryAfterLongerThanRetryMaxDelayIsNotRetried() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").otherwise(r -> {
            throw new RetryAfterException("429 Too Many Requests", Duration.ofMinutes(2), null);
        });
        StepPlan plan = plan("s", config().set("maxRetries", 3).set("retryDelay", Duration.ofMillis(100))
                .set("retryMaxDelay", Duration.ofSeconds(1)).build(), agent).build();

        FlujoStepFailedException failed = assertInstanceOf(FlujoStepFailedException.class, failureWithin(execute(plan, "q")));

        assertEquals(1, agent.calls(), "not retried");
        RetryAfterException refused = assertInstanceOf(RetryAfterException.class, failed.getCause());
        assertTrue(refused.getMessage().contains("120000 ms"), refused.getMessage());
        assertTrue(refused.getMessage().contains("retryMaxDelay 1000 ms"), refused.getMessage());
        assertEquals(Duration.ofMinutes(2), refused.getRetryAfter());
        assertInstanceOf(RetryAfterException.class, refused.getCause(), "the agent's own error is kept as the cause");
        assertEquals(1, failed.getResult().attempts());
        assertEquals(120_000L, failed.getResult().metadata().get(StepResult.META_RETRY_AFTER_MS));
    }

    @Test
    void aRetryAfterLongerThanRetryMaxDelayGoesToTheFallbackNamingTheWait() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").otherwise(r -> {
            throw new RetryAfterException("429 Too Many Requests", Duration.ofMinutes(2), null);
        });
        ScriptedAgent cheap = ScriptedAgent.named("cheap").thenReturn("stand-in");
        StepPlan plan = plan("s", config().set("maxRetries", 3).set("retryDelay", Duration.ofMillis(100))
                .set("retryMaxDelay", Duration.ofSeconds(1)).build(), agent).fallback(cheap.asNamed()).build();

        StepResult result = within(execute(plan, "q"));

        assertEquals("stand-in", result.output());
        assertEquals(1, agent.calls());
        String original = String.valueOf(result.metadata().get(StepResult.META_ORIGINAL_ERROR));
        assertTrue(original.contains("120000 ms"), original);
    }

    @Test
    void aCallOverRequestsPerMinuteIsRefusedAndNotRetried() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").alwaysReturn("ok");
        StepPlan plan = plan("s", config().set("maxRetries", 2).set("requestsPerMinute", 60)
                .set("rateLimitWait", Duration.ZERO).build(), agent).build();

        assertEquals("ok", within(execute(plan, "first")).output());
        FlujoStepFailedException failed = assertInstanceOf(FlujoStepFailedException.class,
                failureWithin(execute(plan, "second")));

        RateLimitedException limited = assertInstanceOf(RateLimitedException.class, failed.getCause());
        assertEquals("requestsPerMinute=60", limited.getLimit());
        assertTrue(limited.getMessage().contains("requestsPerMinute=60"), limited.getMessage());
        assertEquals("llm", limited.getAgentName());
        assertEquals(1, agent.calls(), "the refused call is not made");
        assertEquals(1, failed.getResult().attempts(), "and not retried");
        assertEquals("requestsPerMinute=60", failed.getResult().metadata().get(StepResult.META_RATE_LIMITED));
    }

    @Test
    void aCallUsingMoreTokensThanReservedPutsTheBucketInDebt() throws Exception {
        ScriptedAgent greedy = ScriptedAgent.named("greedy")
                .thenReturn("long answer", Usage.tokens(200, 200))
                .alwaysReturn("never");
        ScriptedAgent modest = ScriptedAgent.named("modest")
                .otherwise(r -> CompletableFuture.completedFuture(AgentResponse.of("short answer", Usage.tokens(5, 5))));
        StepPlan overspent = tokenPlan(greedy);
        StepPlan withinBudget = tokenPlan(modest);

        assertEquals("long answer", within(execute(overspent, "first")).output());
        FlujoStepFailedException failed = assertInstanceOf(FlujoStepFailedException.class,
                failureWithin(execute(overspent, "second")));
        // the control: a call that used what it reserved leaves the next call its budget
        assertEquals("short answer", within(execute(withinBudget, "first")).output());
        assertEquals("short answer", within(execute(withinBudget, "second")).output());

        RateLimitedException limited = assertInstanceOf(RateLimitedException.class, failed.getCause());
        assertEquals("tokensPerMinute=100", limited.getLimit());
        assertEquals(1, greedy.calls(), "the call after the overspend is refused, not made");
        assertEquals(1, failed.getResult().attempts());
        assertEquals(2, modest.calls());
    }

    /** 100 tokens a minute, 10 reserved a call, a call may wait 200 ms for its tokens. */
    private static StepPlan tokenPlan(ScriptedAgent agent) {
        return plan("s", config().set("maxRetries", 1).set("tokensPerMinute", 100).set("expectedTokens", 10)
                .set("rateLimitWait", Duration.ofMillis(200)).build(), agent).build();
    }

    private static StepResult awaitSafely(CompletableFuture<StepResult> future) throws Exception {
        return future.get(SAFETY_SECONDS, TimeUnit.SECONDS);
    }
}
