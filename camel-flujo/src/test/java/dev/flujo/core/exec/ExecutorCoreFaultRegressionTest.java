package dev.flujo.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.step.StepPlan;
import dev.flujo.core.step.StepResult;
import dev.flujo.core.usage.Usage;

/** Bugs found by the fault tests (dev.flujo.reliability), one regression test each. */
class ExecutorCoreFaultRegressionTest extends ExecutorCoreTestSupport {

    /**
     * A bean agent may return any CompletionStage, e.g. a {@code minimalCompletionStage()} - whose
     * {@code isDone()} throws UnsupportedOperationException although it is a CompletableFuture. Without a time-out
     * the step asked it whether it was done, and failed with that exception instead of waiting for the answer.
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
}
