package dev.flujo.core.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;

class ExecutorCoreRegressionTest extends ExecutorCoreTestSupport {

    /**
     * The continuation pool refuses work (it is shut down - FlujoComponent.doStop - or saturated with an abort
     * policy) when a time-out fires. The step must still end: the caller's callback may not be lost.
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
        timer.submit(() -> { }).get(SAFETY_SECONDS, TimeUnit.SECONDS);

        assertTrue(future.isDone(), "the step future stays pending forever: the time-out was lost with the rejected"
                + " continuation, and the agent never answers");
    }
}
