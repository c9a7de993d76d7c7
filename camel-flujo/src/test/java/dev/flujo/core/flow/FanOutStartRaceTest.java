package dev.flujo.core.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression (found by the parallel-vs-multicast benchmark): a branch that ended while the fan-out was still starting
 * the others took the next index itself, so the start loop then launched an index past the end
 * (ArrayIndexOutOfBoundsException on a pool thread). A branch executor that runs tasks on the calling thread makes
 * every branch end before the start loop moves on, which reproduces it every time.
 */
class FanOutStartRaceTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void branchesThatEndDuringStartAreEachRunOnce() throws Exception {
        ExecutorCore core = new ExecutorCore(timer, Runnable::run, Runnable::run, System::nanoTime);
        Map<String, FlujoBranch> branches = new LinkedHashMap<>();
        int[] calls = new int[4];
        for (int i = 0; i < 4; i++) {
            int n = i;
            branches.put("b" + i, call -> {
                calls[n]++;
                return CompletableFuture.completedFuture("out" + n);
            });
        }
        ParallelPlan plan = new ParallelPlan(CompositeStep.of("p", "parallel"), branches, null, null, 0, null);

        StepResult result = plan.execute(core, "in", FlujoContext.empty(), new FlujoRun("r"), List.of())
                .get(5, TimeUnit.SECONDS);

        assertEquals(Map.of("b0", "out0", "b1", "out1", "b2", "out2", "b3", "out3"), result.output());
        assertEquals(List.of(1, 1, 1, 1), List.of(calls[0], calls[1], calls[2], calls[3]));
    }
}
