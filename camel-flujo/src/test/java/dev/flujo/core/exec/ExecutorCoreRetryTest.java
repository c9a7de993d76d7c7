package dev.flujo.core.exec;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreRetryTest extends ExecutorCoreTestSupport {

    @Test
    void agentExceptionOnFirstAttemptIsRetriedWithItsFeedback() {
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .thenThrow(new IllegalStateException("model overloaded"))
                .thenReturn("a fine answer");
        StepPlan plan = plan("draft", retries(1), agent).build();

        StepResult result = await(execute(plan, "question"));

        assertTrue(result.success());
        assertEquals("a fine answer", result.output());
        assertEquals(2, result.attempts());
        assertEquals(2, agent.calls());

        AgentRequest first = agent.request(1);
        assertEquals(1, first.attempt());
        assertFalse(first.isRetry());
        assertNull(first.feedback());
        assertEquals(List.of(), first.feedbackHistory());
        assertEquals("draft", first.stepName());
        assertEquals("question", first.input());

        AgentRequest second = agent.request(2);
        assertEquals(2, second.attempt());
        assertTrue(second.isRetry());
        assertEquals("question", second.input());
        assertTrue(second.feedback().contains("model overloaded"), second.feedback());
        assertTrue(second.feedback().contains("IllegalStateException"), second.feedback());
        assertTrue(second.feedback().contains("writer"), second.feedback());
        assertEquals(List.of(second.feedback()), second.feedbackHistory());
        assertEquals(List.of(second.feedback()), result.feedback());
    }

    @Test
    void validatorFailureOnFirstAttemptIsRetriedWithTheValidatorFeedback() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("bad").thenReturn("good");
        StepPlan plan = plan("draft", retries(1), agent)
                .validators(List.of(validator("notBad",
                        out -> "bad".equals(out) ? ValidationResult.fail("must not be bad") : ValidationResult.ok())))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("good", result.output());
        assertEquals(2, result.attempts());
        String feedback = agent.request(2).feedback();
        assertTrue(feedback.contains("notBad: must not be bad"), feedback);
        assertEquals(List.of(feedback), agent.request(2).feedbackHistory());
        assertEquals(List.of(feedback), result.feedback());
    }

    @Test
    void feedbackHistoryAccumulatesOldestFirst() {
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .thenThrow(new IllegalStateException("first problem"))
                .thenThrow(new IllegalStateException("second problem"))
                .thenReturn("ok");
        StepPlan plan = plan("draft", retries(2), agent).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(3, result.attempts());
        AgentRequest third = agent.request(3);
        assertEquals(3, third.attempt());
        assertEquals(2, third.feedbackHistory().size());
        assertTrue(third.feedbackHistory().get(0).contains("first problem"));
        assertTrue(third.feedbackHistory().get(1).contains("second problem"));
        assertEquals(third.feedbackHistory().get(1), third.feedback());
        // the history handed to attempt 2 is a snapshot, not a live view of later failures
        assertEquals(1, agent.request(2).feedbackHistory().size());
        assertEquals(third.feedbackHistory(), result.feedback());
    }

    @Test
    void maxRetriesZeroMeansASingleAttempt() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysThrow("down");
        StepPlan plan = plan("draft", retries(0), agent).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(1, agent.calls());
        assertEquals(1, e.getAttempts());
        assertEquals(1, e.getFeedback().size());
        assertTrue(e.getMessage().contains("1 attempt"), e.getMessage());
    }

    @Test
    void defaultConfigurationRetriesOnce() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysThrow("down");
        StepPlan plan = plan("draft", config().build(), agent).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(2, agent.calls());
        assertEquals(2, e.getAttempts());
    }

    @Test
    void failureAfterAllAttemptsCarriesNameAttemptsFeedbackCauseAndHistory() {
        ScriptedAgent before = ScriptedAgent.named("other").thenReturn("earlier output");
        StepPlan earlier = plan("earlier", retries(0), before).build();
        await(execute(earlier, "x"));

        IllegalStateException third = new IllegalStateException("boom 3");
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .thenThrow(new IllegalStateException("boom 1"))
                .thenFailAsync(new IllegalStateException("boom 2"))
                .thenThrow(third);
        StepPlan plan = plan("summarize", retries(2), agent).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals("summarize", e.getStepName());
        assertEquals(3, e.getAttempts());
        assertEquals(3, e.getFeedback().size());
        for (int i = 0; i < 3; i++) {
            assertTrue(e.getFeedback().get(i).contains("boom " + (i + 1)), e.getFeedback().get(i));
        }
        assertSame(third, e.getCause());
        assertTrue(e.getMessage().contains("summarize"), e.getMessage());
        assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("boom 3"), e.getMessage());

        StepResult failed = e.getResult();
        assertFalse(failed.success());
        assertNull(failed.output());
        assertEquals("summarize", failed.name());
        assertEquals(3, failed.attempts());
        assertEquals(e.getFeedback(), failed.feedback());

        assertEquals(2, e.getHistory().size());
        assertEquals("earlier", e.getHistory().get(0).name());
        assertTrue(e.getHistory().get(0).success());
        assertSame(failed, e.getHistory().get(1));
        assertEquals(e.getHistory(), run.history());
        assertSame(failed, run.lastResult("summarize"));
        assertEquals(3, agent.calls());
    }

    @Test
    void rejectedOutputFailureHasOutputRejectedCause() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("bad");
        StepPlan plan = plan("draft", retries(1), agent)
                .validators(List.of(validator("never", out -> ValidationResult.fail("no"))))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of("never: no"), cause.getValidationFailures());
        assertEquals(2, e.getAttempts());
    }

    @Test
    void asynchronousFailureIsUnwrapped() {
        IOException io = new IOException("connection reset");
        ScriptedAgent agent = ScriptedAgent.named("writer").thenFailAsync(new CompletionException(io));
        StepPlan plan = plan("draft", retries(0), agent).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertSame(io, e.getCause());
        assertTrue(e.getFeedback().get(0).contains("IOException: connection reset"), e.getFeedback().get(0));
    }

    @Test
    void agentReturningNoStageOrNoResponseFailsTheAttempt() {
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .then(r -> null)
                .then(r -> CompletableFuture.completedFuture(null))
                .thenReturn("ok");
        StepPlan plan = plan("draft", retries(2), agent).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("ok", result.output());
        assertEquals(3, result.attempts());
        assertTrue(result.feedback().get(0).contains("returned no CompletionStage"), result.feedback().get(0));
        assertTrue(result.feedback().get(1).contains("completed with no AgentResponse"), result.feedback().get(1));
    }

    @Test
    void configurationErrorFromAgentIsNotRetried() {
        FlujoConfigurationException config = new FlujoConfigurationException("no such endpoint");
        ScriptedAgent agent = ScriptedAgent.named("writer").thenThrow(config).alwaysReturn("never used");
        StepPlan plan = plan("draft", retries(3), agent).build();

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertSame(config, e);
        assertEquals(1, agent.calls());
        StepResult recorded = run.lastResult("draft");
        assertFalse(recorded.success());
    }

    @Test
    void usageOfFailedAttemptsCountsInTheStepAndTheRun() {
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .thenReturn("bad", Usage.of(10, 5, new BigDecimal("0.01")))
                .thenReturn("good", Usage.of(1, 1, new BigDecimal("0.02")));
        StepPlan plan = plan("draft", retries(1), agent)
                .validators(List.of(validator("v",
                        out -> "bad".equals(out) ? ValidationResult.fail("bad") : ValidationResult.ok())))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(11, result.usage().inputTokens());
        assertEquals(6, result.usage().outputTokens());
        assertEquals(0, new BigDecimal("0.03").compareTo(result.usage().costUsd()));
        assertEquals(result.usage(), run.usage());
    }

    @Test
    void agentSeesTheContextItWasGiven() {
        ScriptedAgent agent = ScriptedAgent.named("writer")
                .otherwise(r -> CompletableFuture.completedFuture(AgentResponse.of("tenant=" + r.context().get("tenant"))));
        StepPlan plan = plan("draft", retries(0), agent).build();

        StepResult result = await(execute(plan, "q", FlujoContext.of(Map.of("tenant", "acme"))));

        assertEquals("tenant=acme", result.output());
    }

    @Test
    void latencyIsMeasuredWithTheInjectedClock() throws InterruptedException {
        AtomicLong clock = new AtomicLong(1_000);
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor();
        ExecutorService c = Executors.newSingleThreadExecutor();
        try {
            ExecutorCore fakeClockCore = new ExecutorCore(t, c, clock::get);
            ScriptedAgent agent = ScriptedAgent.named("writer").otherwise(r -> {
                clock.addAndGet(250);
                return CompletableFuture.completedFuture(AgentResponse.of("ok"));
            });
            StepPlan plan = plan("draft", retries(0), agent).build();

            StepResult result = await(fakeClockCore.execute(plan, "q", FlujoContext.empty(), run));

            assertEquals(250, result.latencyNanos());
        } finally {
            t.shutdownNow();
            c.shutdownNow();
        }
    }
}
