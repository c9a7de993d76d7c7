package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoException;
import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;

/**
 * {@code flujo:loop}: runs the body again and again, each iteration on the previous iteration's output (the first on
 * the step's input), until the exit condition holds for an output and the context, or {@code maxLoops} iterations have
 * run - which is a failure, not a quiet stop. Each iteration's context writes are merged back before the condition is
 * checked, so the next iteration and the condition see them.
 *
 * <p>
 * The result has one child per iteration ({@code iteration-1}, ...) holding that iteration's step results, and the
 * {@link LoopExitReason} in {@link StepResult#META_EXIT_REASON}.
 */
public record LoopPlan(CompositeStep step, FlujoBranch body, ExitCondition until, int maxLoops) implements CompositePlan {

    /** The exit condition; in Camel a Simple predicate over the output (the body) and the context (properties). */
    @FunctionalInterface
    public interface ExitCondition {
        boolean test(Object output, FlujoContext context) throws Exception;
    }

    public static final int DEFAULT_MAX_LOOPS = 5;

    public LoopPlan {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(until, "until");
        if (maxLoops < 1) {
            throw new FlujoConfigurationException(
                    "Loop step '" + step.name() + "': maxLoops must be >= 1, was "
                                                  + maxLoops);
        }
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        Composite composite = new Composite(core, step, run);
        new Iterations(core, composite, input, context, run).next();
        return composite.result;
    }

    /** The state of one execution of the loop; iterations run one after another, never two at once. */
    private final class Iterations {

        private final ExecutorCore core;
        private final Composite composite;
        private final FlujoContext parent;
        private final FlujoRun run;
        private final CopyOnWriteContext working;
        private final List<StepResult> children = new ArrayList<>();
        private Object current;
        private int iteration;

        Iterations(ExecutorCore core, Composite composite, Object input, FlujoContext parent, FlujoRun run) {
            this.core = core;
            this.composite = composite;
            this.parent = parent;
            this.run = run;
            this.working = parent.copy();
            this.current = input;
        }

        /** Runs iterations; synchronous bodies loop here rather than recurse, so many iterations need no stack. */
        void next() {
            try {
                while (true) {
                    Throwable cancelled = run.cancellation();
                    if (cancelled != null) {
                        // the loop runs in a branch that was stopped: no further iteration
                        FlujoCancelledException stop = new FlujoCancelledException(step.name(), cancelled);
                        composite.fail(stop, List.of(stop.getMessage()), children, exit(LoopExitReason.BODY_ERROR));
                        return;
                    }
                    iteration++;
                    CopyOnWriteContext context = CopyOnWriteContext.branchCopy(working,
                            step.copyOnWriteContexts());
                    FlujoRun branchRun = run.branch();
                    long start = core.now();
                    CompletableFuture<Object> body = startBody(context, branchRun);
                    if (!body.isDone()) {
                        body.whenComplete((output, error) -> {
                            try {
                                if (afterIteration(output, error, context, branchRun, start)) {
                                    next();
                                }
                            } catch (Throwable t) {
                                composite.crash(t);
                            }
                        });
                        return;
                    }
                    Object output = null;
                    Throwable error = null;
                    try {
                        output = body.join();
                    } catch (RuntimeException e) {
                        error = e;
                    }
                    if (!afterIteration(output, error, context, branchRun, start)) {
                        return;
                    }
                }
            } catch (Throwable t) {
                composite.crash(t);
            }
        }

        private CompletableFuture<Object> startBody(CopyOnWriteContext context, FlujoRun branchRun) {
            try {
                CompletionStage<Object> stage = body.run(new BranchCall(
                        step.name(), "iteration-" + iteration, current,
                        context, parent, branchRun));
                if (stage == null) {
                    throw new IllegalStateException("Loop body of step '" + step.name() + "' returned no CompletionStage");
                }
                return stage.toCompletableFuture();
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        }

        /** @return whether to run another iteration */
        private boolean afterIteration(
                Object output, Throwable error, CopyOnWriteContext context, FlujoRun branchRun,
                long start) {
            branchRun.detach();
            Throwable cause = error == null ? null : Composite.unwrap(error);
            boolean cancelled = cause != null && run.cancellation() != null && Composite.isCancellation(cause);
            children.add(Composite.branchResult("iteration-" + iteration, output, cause, cancelled, core.now() - start,
                    branchRun.history(), cause == null ? context.writes() : Map.of()));
            if (cause != null) {
                LoopExitReason reason = Composite.findOwn(cause, UsageLimitExceededException.class) != null
                        ? LoopExitReason.LIMIT_EXCEEDED : LoopExitReason.BODY_ERROR;
                composite.fail(cause, List.of("iteration " + iteration + " failed: " + Composite.describe(cause)),
                        children, exit(reason));
                return false;
            }
            working.putAll(context.writes());
            current = output;
            boolean done;
            try {
                done = until.test(output, working);
            } catch (Exception e) {
                composite.fail(e, List.of("exit condition failed after iteration " + iteration + ": "
                                          + Composite.describe(e)),
                        children, exit(LoopExitReason.BODY_ERROR));
                return false;
            }
            if (done) {
                composite.succeed(output, working.writes(), children, exit(LoopExitReason.CONDITION));
                return false;
            }
            if (iteration >= maxLoops) {
                FlujoException exhausted = new FlujoException(
                        "Loop step '" + step.name() + "' ran maxLoops="
                                                              + maxLoops + " iterations and its exit condition never held");
                composite.fail(exhausted, List.of(exhausted.getMessage()), children, exit(LoopExitReason.MAX_LOOPS));
                return false;
            }
            return true;
        }

        private Map<String, Object> exit(LoopExitReason reason) {
            return Map.of(StepResult.META_EXIT_REASON, reason.label());
        }
    }
}
