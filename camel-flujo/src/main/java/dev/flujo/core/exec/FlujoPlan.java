package dev.flujo.core.exec;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;

/**
 * What an endpoint runs, decided once when it starts: an agent step ({@link dev.flujo.core.exec.StepPlan}) or a
 * composite step (parallel, loop, conditional, router, map, human; see {@code dev.flujo.core.flow}).
 */
public interface FlujoPlan {

    /** The step name: used in results, errors and headers. */
    String name();

    /**
     * Runs the step on one input.
     *
     * @return a future completing with the successful result, or exceptionally with the core's typed exceptions; either
     *         way the step's result has been recorded in the run's history
     */
    CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain);
}
