package dev.flujo.core.exec;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.resilience.StepRejectedException;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxConcurrentExecutions: a bulkhead per step; one execution too many is rejected, naming the cap. */
class ExecutorCoreBulkheadTest extends ExecutorCoreTestSupport {

    private StepPlan capped(ScriptedAgent agent, boolean cache) {
        return plan("s",
                config().set("maxConcurrentExecutions", 1).set("maxConcurrentExecutionsWait", Duration.ZERO).set("cache", cache)
                        .build(),
                agent).build();
    }

    @Test
    void oneExecutionTooManyIsRejectedAndASlotComesBackWhenTheStepEnds() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("second");
        StepPlan plan = capped(agent, false);

        CompletableFuture<StepResult> first = execute(plan, "1");
        StepRejectedException rejected = awaitFailure(execute(plan, "2"), StepRejectedException.class);
        assertTrue(rejected.getMessage().contains("maxConcurrentExecutions"), rejected.getMessage());
        assertEquals(1, agent.calls(), "the rejected execution called nothing");

        agent.nextPending().complete(AgentResponse.of("first"));
        assertEquals("first", await(first).output());
        assertEquals("second", await(execute(plan, "3")).output());
    }

    @Test
    void withoutTheCapExecutionsAreNotLimited() {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenHang().thenReturn("second");
        StepPlan plan = plan("s", retries(0), agent).build();

        execute(plan, "1");

        assertEquals("second", await(execute(plan, "2")).output());
    }

    @Test
    void cacheHitsTakeNoSlot() throws Exception {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn("cached").thenHang();
        StepPlan plan = capped(agent, true);
        await(execute(plan, "same"));

        CompletableFuture<StepResult> holding = execute(plan, "other");

        assertEquals("cached", await(execute(plan, "same")).output());
        agent.nextPending().complete(AgentResponse.of("x"));
        await(holding);
    }
}
