package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time-outs use the real scheduler with a short bound; the agents never answer in time because the test only completes
 * their futures after the outcome is known. Assertions are on outcomes, never on elapsed time.
 */
class ExecutorCoreTimeoutTest extends ExecutorCoreTestSupport {

    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void timedOutAttemptIsRetriedAndTheLateReplyIsDropped() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("slow")
                .thenHangUncancellable()
                .thenReturn("second answer", Usage.of(1, 1, new BigDecimal("0.01")));
        StepPlan plan = plan("draft", config().set("maxRetries", 1).set("timeout", SHORT).build(), agent).build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        CompletableFuture<AgentResponse> late = agent.nextPending();
        StepResult result = await(future);

        assertTrue(result.success());
        assertEquals("second answer", result.output());
        assertEquals(2, result.attempts());
        assertEquals(Boolean.TRUE, result.metadata().get(StepResult.META_TIMED_OUT));
        assertEquals(1, result.feedback().size());
        String feedback = result.feedback().get(0);
        assertTrue(feedback.contains("AgentTimeoutException"), feedback);
        assertTrue(feedback.contains("did not answer within 50 ms"), feedback);
        assertEquals(feedback, agent.request(2).feedback());

        // the first attempt answers now, long after its time-out: it must change nothing
        assertTrue(late.complete(AgentResponse.of("late answer", Usage.of(1000, 1000, new BigDecimal("5")))));

        assertEquals("second answer", future.getNow(null).output());
        assertEquals(1, run.history().size());
        // ...except that what it consumed was spent: booked to the run (not to the step's final result)
        assertEquals(2002, run.usage().totalTokens());
        assertEquals(0, new BigDecimal("5.01").compareTo(run.usage().costOrZero()));
        assertEquals(2, future.getNow(null).usage().totalTokens());
        assertSame(result, run.history().get(0));
        assertEquals(2, agent.calls());
    }

    @Test
    void timedOutLastAttemptFailsTheStepAndTheLateReplyIsIgnored() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("slow").thenHang();
        StepPlan plan = plan("draft", config().set("maxRetries", 0).set("timeout", SHORT).build(), agent).build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        CompletableFuture<AgentResponse> late = agent.nextPending();
        FlujoStepFailedException e = awaitFailure(future, FlujoStepFailedException.class);

        assertInstanceOf(AgentTimeoutException.class, e.getCause());
        assertEquals(1, e.getAttempts());
        assertEquals(Boolean.TRUE, e.getResult().metadata().get(StepResult.META_TIMED_OUT));
        assertTrue(e.getFeedback().get(0).contains("AgentTimeoutException"), e.getFeedback().get(0));
        // the agent is told its answer is no longer wanted (right after the step's future failed)
        assertThrows(CancellationException.class, () -> late.get(SAFETY_SECONDS, TimeUnit.SECONDS));
        assertTrue(late.isCancelled());

        late.complete(AgentResponse.of("late answer", Usage.of(5, 5, BigDecimal.ONE)));

        assertTrue(future.isCompletedExceptionally());
        assertEquals(1, run.history().size());
        assertFalse(run.history().get(0).success());
        assertNull(run.history().get(0).output());
    }

    @Test
    void uncancellableLateReplyAfterTheStepFailedIsIgnored() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("slow").thenHangUncancellable();
        StepPlan plan = plan("draft", config().set("maxRetries", 0).set("timeout", SHORT).build(), agent).build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        CompletableFuture<AgentResponse> late = agent.nextPending();
        FlujoStepFailedException e = awaitFailure(future, FlujoStepFailedException.class);

        assertTrue(late.complete(AgentResponse.of("late answer", Usage.of(5, 5, BigDecimal.ONE))));

        assertInstanceOf(AgentTimeoutException.class, e.getCause());
        assertTrue(future.isCompletedExceptionally());
        assertEquals(List.of(e.getResult()), run.history());
    }

    @Test
    void agentAnsweringWithinTheTimeoutIsNotMarkedTimedOut() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("async").thenHang();
        // a generous bound: the test answers right away, so the time-out never fires
        StepPlan plan
                = plan("draft", config().set("maxRetries", 0).set("timeout", Duration.ofSeconds(30)).build(), agent).build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        agent.nextPending().complete(AgentResponse.of("on time"));
        StepResult result = await(future);

        assertEquals("on time", result.output());
        assertFalse(result.metadata().containsKey(StepResult.META_TIMED_OUT));
    }

    @Test
    void timeoutOfEveryAttemptSendsTheStepToItsFallback() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("slow").thenHang();
        ScriptedAgent backup = ScriptedAgent.named("backup").thenReturn("from backup");
        StepPlan plan = plan("draft", config().set("maxRetries", 0).set("timeout", SHORT).build(), agent)
                .fallback(backup.asNamed())
                .build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        CompletableFuture<AgentResponse> late = agent.nextPending();
        StepResult result = await(future);

        assertEquals("from backup", result.output());
        assertTrue(result.fallbackUsed());
        assertEquals(Boolean.TRUE, result.metadata().get(StepResult.META_TIMED_OUT));
        String original = (String) result.metadata().get(StepResult.META_ORIGINAL_ERROR);
        assertTrue(original.contains("AgentTimeoutException"), original);

        late.complete(AgentResponse.of("late"));
        assertEquals("from backup", future.getNow(null).output());
        assertEquals(1, run.history().size());
    }

    /**
     * Found by the fault tests (dev.flujo.reliability): a bean agent may return any CompletionStage, e.g. a
     * {@code minimalCompletionStage()} - whose {@code isDone()} throws UnsupportedOperationException although it is a
     * CompletableFuture. Without a time-out the step asked it whether it was done, and failed with that exception
     * instead of waiting for the answer.
     */
    @Test
    void aMinimalStageWithoutTimeOutIsWaitedFor() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("minimal").thenHangUncancellable();
        StepPlan plan = plan("s", retries(0), agent).build();

        CompletableFuture<StepResult> future = execute(plan, "q");
        agent.nextPending().complete(AgentResponse.of("answer", Usage.tokens(2, 3)));

        StepResult result = await(future);
        assertEquals("answer", result.output());
        assertEquals(5, run.usage().totalTokens());
        assertTrue(result.success());
    }

    /**
     * The continuation pool refuses work (it is shut down - FlujoComponent.doStop - or saturated with an abort policy)
     * when a time-out fires. The step must still end: the caller's callback may not be lost.
     */
    @Test
    void timeOutStillEndsTheStepWhenTheContinuationExecutorRejects() throws Exception {
        CountDownLatch rejected = new CountDownLatch(1);
        Executor refusing = task -> {
            rejected.countDown();
            throw new RejectedExecutionException("continuation pool is shut down");
        };
        ExecutorCore refusingCore = new ExecutorCore(timer, refusing);
        ScriptedAgent agent = ScriptedAgent.named("hangs").thenHang();
        StepPlan plan = plan("s", config().set("maxRetries", 0).set("timeout", Duration.ofMillis(20)).build(), agent).build();

        CompletableFuture<StepResult> future = refusingCore.execute(plan, "q", FlujoContext.empty(), run);
        agent.nextPending();
        assertTrue(rejected.await(SAFETY_SECONDS, TimeUnit.SECONDS), "the time-out fired");
        // the alarm's task has run (and thrown) on the timer thread; a task submitted after it runs after it
        timer.submit(() -> {
        }).get(SAFETY_SECONDS, TimeUnit.SECONDS);

        assertTrue(future.isDone(), "the step future stays pending forever: the time-out was lost with the rejected"
                                    + " continuation, and the agent never answers");
    }
}
