package dev.flujo.core.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.StepFutures;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.exec.FlujoPlan;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real ExecutorCore on a single-thread timer and a four-thread continuation pool (so that branches really run side by
 * side), a fresh top-level run per test, and branch helpers.
 */
abstract class FlowTestSupport {

    /** Safety net for waiting; never what a test asserts. */
    static final long SAFETY_SECONDS = 10;

    ScheduledExecutorService timer;
    ExecutorService pool;
    ExecutorCore core;
    FlujoRun run;

    @BeforeEach
    void startCore() {
        timer = Executors.newSingleThreadScheduledExecutor();
        pool = Executors.newFixedThreadPool(4);
        core = new ExecutorCore(timer, pool);
        run = FlujoRun.create();
    }

    @AfterEach
    void stopCore() throws InterruptedException {
        timer.shutdownNow();
        pool.shutdownNow();
        assertTrue(timer.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS));
        assertTrue(pool.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS));
    }

    CompletableFuture<StepResult> execute(FlujoPlan plan, Object input) {
        return execute(plan, input, FlujoContext.empty());
    }

    CompletableFuture<StepResult> execute(FlujoPlan plan, Object input, FlujoContext context) {
        return plan.execute(core, input, context, run, List.of());
    }

    static StepResult await(CompletableFuture<StepResult> future) {
        return StepFutures.await(future);
    }

    static <T extends Throwable> T awaitFailure(CompletableFuture<?> future, Class<T> type) {
        return StepFutures.awaitFailure(future, type);
    }

    // --- branches -------------------------------------------------------------------------------------------------

    /** Declared order is the order of the arguments: name, branch, name, branch, ... */
    static Map<String, FlujoBranch> branches(Object... nameThenBranch) {
        Map<String, FlujoBranch> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBranch.length; i += 2) {
            map.put((String) nameThenBranch[i], (FlujoBranch) nameThenBranch[i + 1]);
        }
        return map;
    }

    static FlujoBranch value(Object output) {
        return call -> CompletableFuture.completedFuture(output);
    }

    /** Writes the values into its own context copy and answers {@code output}. */
    static FlujoBranch writing(Map<String, ?> writes, Object output) {
        return call -> {
            call.context().putAll(writes);
            return CompletableFuture.completedFuture(output);
        };
    }

    static FlujoBranch failing(String message) {
        return call -> CompletableFuture.failedFuture(new IllegalStateException(message));
    }

    /** Runs an agent step in the branch run, as the Camel adapter does; its context writes become the branch's. */
    FlujoBranch agentBranch(StepPlan plan) {
        return call -> plan.execute(core, call.input(), call.context(), call.run(), List.of()).thenApply(r -> {
            call.context().putAll(r.contextUpdates());
            return r.output();
        });
    }

    /** Runs a composite plan in the branch run, as a branch route holding that composite endpoint does. */
    FlujoBranch compositeBranch(CompositePlan plan) {
        return call -> plan.execute(core, call.input(), call.context(), call.run(), List.of()).thenApply(r -> {
            call.context().putAll(r.contextUpdates());
            return r.output();
        });
    }

    // --- plans ----------------------------------------------------------------------------------------------------

    static CompositeStep step(String name, String kind) {
        return CompositeStep.of(name, kind);
    }

    static StepPlan agentStep(String name, TestAgent agent) {
        return agentStep(name, OptimizationConfig.builder().set("maxRetries", 0).build(), agent);
    }

    static StepPlan agentStep(String name, OptimizationConfig config, TestAgent agent, FlujoValidator... validators) {
        return StepPlan.builder(name, config).agent(agent.named()).validators(List.of(validators)).build();
    }

    static ParallelPlan parallel(Map<String, FlujoBranch> branches, MergeStrategy merge, BranchFailurePolicy policy) {
        return new ParallelPlan(step("par", "parallel"), branches, merge, policy, 0, null);
    }

    static ParallelPlan parallel(Map<String, FlujoBranch> branches) {
        return parallel(branches, null, null);
    }

    static List<String> names(List<StepResult> results) {
        return results.stream().map(StepResult::name).toList();
    }

    static StepResult child(StepResult parent, String name) {
        return parent.children().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + name + " in " + names(parent.children())));
    }

    static StepResult last(List<StepResult> history) {
        return history.get(history.size() - 1);
    }
}
