package dev.flujo.core.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoProcessor;

/**
 * {@code flujo:parallel}: every branch receives the input and its own copy-on-write copy of the context, and runs side
 * by side with the others. The output is a map from branch name to output, in declared order (or what {@code reduce}
 * makes of it); the branches' context writes are merged by the {@link MergeStrategy}.
 *
 * @param step           name, limits, sinkTo
 * @param branches       the branches by name, in declared order
 * @param merge          how the successful branches' context writes are combined
 * @param onFailure      whether one failed branch fails the step (and cancels the others)
 * @param maxConcurrency most branches in flight at once; 0 for all
 * @param reduce         turns the map of outputs into the step's output, or {@code null}
 */
public record ParallelPlan(CompositeStep step, Map<String, FlujoBranch> branches, MergeStrategy merge,
        BranchFailurePolicy onFailure, int maxConcurrency, FlujoProcessor reduce)
        implements
            CompositePlan {

    public ParallelPlan {
        Objects.requireNonNull(step, "step");
        if (branches == null || branches.isEmpty()) {
            throw new FlujoConfigurationException("Parallel step '" + step.name() + "' has no branches");
        }
        branches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(branches));
        merge = merge == null ? MergeStrategies.CONTEXT_UPDATE : merge;
        onFailure = onFailure == null ? BranchFailurePolicy.PROPAGATE : onFailure;
        FanOut.checkMaxConcurrency("Parallel", step, maxConcurrency);
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        List<FanOut.Job> jobs = branches.entrySet().stream()
                .map(e -> new FanOut.Job(e.getKey(), e.getValue(), input)).toList();
        return run(core, step, jobs, context, run, merge, onFailure, maxConcurrency, reduce, Map.of());
    }

    /** Shared with the router, which runs the branches its agent chose as a parallel step. */
    static CompletableFuture<StepResult> run(
            ExecutorCore core, CompositeStep step, List<FanOut.Job> jobs,
            FlujoContext context, FlujoRun run, MergeStrategy merge,
            BranchFailurePolicy onFailure, int maxConcurrency, FlujoProcessor reduce,
            Map<String, Object> metadata) {
        return run(new Composite(core, step, run), core, jobs, context, run, merge, onFailure, maxConcurrency, reduce,
                metadata);
    }

    static CompletableFuture<StepResult> run(
            Composite composite, ExecutorCore core, List<FanOut.Job> jobs,
            FlujoContext context, FlujoRun run, MergeStrategy merge,
            BranchFailurePolicy onFailure, int maxConcurrency, FlujoProcessor reduce,
            Map<String, Object> metadata) {
        return composite.finishWhenDone(new FanOut(
                core, composite.step(), jobs, context, run, onFailure,
                maxConcurrency), onFailure, merge, context, metadata, done -> {
                    Map<String, Object> outputs = new LinkedHashMap<>();
                    for (FanOut.Outcome o : done) {
                        if (o.succeeded()) {
                            outputs.put(o.job.name(), o.output);
                        }
                    }
                    return reduce == null ? outputs : reduce.process(outputs, context);
                });
    }
}
