package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a fan-out starts its branches when they finish while it is still starting the others. With a pool this is a race;
 * a stopping pool (which {@link ExecutorCore#dispatch} answers by running the task on the calling thread) makes it
 * deterministic.
 */
class FanOutStartTest extends FlowTestSupport {

    @Test
    void synchronousBranchesOnAStoppingPoolAllRunAndTheStepCompletes() throws Exception {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown(); // every dispatch is rejected and runs on the calling thread
        ExecutorCore inline = new ExecutorCore(timer, stopped);
        ParallelPlan plan = parallel(branches("a", value("A"), "b", value("B"), "c", value("C")));

        CompletableFuture<StepResult> future = plan.execute(inline, "in", FlujoContext.empty(), run, List.of());

        assertEquals(Map.of("a", "A", "b", "B", "c", "C"), await(future).output());
    }

    @Test
    void aSingleSynchronousBranchOnAStoppingPoolCompletes() {
        // one branch is launched on the calling thread without dispatch, so it does not take the faulty path
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        ExecutorCore inline = new ExecutorCore(timer, stopped);
        MapPlan plan = new MapPlan(
                step("map", "map"), call -> CompletableFuture.completedFuture(call.input()),
                null, null, null, 0);

        assertEquals(List.of("x"), await(plan.execute(inline, List.of("x"), FlujoContext.empty(), run, List.of()))
                .output());
    }
}
