package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;

/**
 * One execution of a composite step: its start time, and how it ends - with the same result, usage and error model as
 * an agent step. Its result is recorded in the run's history with each branch's result as a child (and each branch's
 * own step results as that child's children).
 *
 * <p>
 * Errors: a usage-limit breach anywhere inside is raised again as a {@link UsageLimitExceededException} carrying the
 * run's history including this step's partial result; a configuration error is raised unchanged; anything else is a
 * {@link FlujoStepFailedException} naming this step.
 */
final class Composite {

    private final ExecutorCore core;
    private final CompositeStep step;
    private final FlujoRun run;
    private final long startNanos;
    private List<StepResult> leadingChildren = List.of();
    final CompletableFuture<StepResult> result = new CompletableFuture<>();

    Composite(ExecutorCore core, CompositeStep step, FlujoRun run) {
        this.core = core;
        this.step = step;
        this.run = run;
        this.startNanos = core.now();
        run.ledger().applyLimits(step.limits());
    }

    CompositeStep step() {
        return step;
    }

    String name() {
        return step.name();
    }

    /** Results that come before the branches' in this step's result (a router's own agent step). */
    Composite leadingChildren(List<StepResult> results) {
        this.leadingChildren = List.copyOf(results);
        return this;
    }

    /** Ends the step with its output; {@code writes} are the context writes (sinkTo is added here). */
    void succeed(Object output, Map<String, Object> writes, List<StepResult> children, Map<String, Object> metadata) {
        Map<String, Object> allWrites = writes;
        if (step.sinkTo() != null && output != null) {
            allWrites = new LinkedHashMap<>(writes);
            allWrites.put(step.sinkTo(), output);
        }
        result.complete(record(output, true, List.of(), metadata, allWrites, children));
    }

    /** Ends the step with a failure; {@code feedback} says what went wrong, one line per failed branch. */
    void fail(Throwable cause, List<String> feedback, List<StepResult> children, Map<String, Object> metadata) {
        UsageLimitExceededException breach = findOwn(cause, UsageLimitExceededException.class);
        if (breach != null) {
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            meta.put(StepResult.META_LIMIT_EXCEEDED, breach.getBreach().describe());
            record(null, false, feedback, meta, Map.of(), children);
            result.completeExceptionally(new UsageLimitExceededException(
                    breach.getStepName(), breach.getBreach(),
                    run.limits(), run.usage(), run.history()));
            return;
        }
        StepResult failed = record(null, false, feedback, metadata, Map.of(), children);
        FlujoConfigurationException configuration = findOwn(cause, FlujoConfigurationException.class);
        if (configuration != null) {
            result.completeExceptionally(configuration);
        } else {
            result.completeExceptionally(new FlujoStepFailedException(failed, run.history(), cause));
        }
    }

    /**
     * Ends a fan-out (parallel, map, router, conditional) from its branches' outcomes: a usage-limit breach or a
     * configuration error in any branch fails the step; so does any failure under {@code PROPAGATE}, or every branch
     * failing under {@code IGNORE}. Otherwise the successful branches' writes are merged and {@code output} shapes the
     * step's output from the outcomes.
     */
    void finishBranches(
            List<FanOut.Outcome> outcomes, BranchFailurePolicy policy, MergeStrategy merge,
            FlujoContext parent, Map<String, Object> metadata, OutputShape output) {
        List<StepResult> children = new ArrayList<>(leadingChildren);
        children.addAll(results(outcomes));
        Map<String, Object> meta = new LinkedHashMap<>(metadata);
        List<String> failed = failedNames(outcomes);
        if (!failed.isEmpty()) {
            meta.put(StepResult.META_FAILED_BRANCHES, failed);
        }
        List<FanOut.Outcome> succeeded = FanOut.succeeded(outcomes);
        Throwable stopper = stoppingFailure(outcomes);
        if (stopper == null && run.cancellation() != null) {
            // the branch this step runs in was stopped: no policy turns what finished into a success
            stopper = new FlujoCancelledException(step.name(), run.cancellation());
        }
        if (stopper != null || (!failed.isEmpty() && (policy == BranchFailurePolicy.PROPAGATE || succeeded.isEmpty()))) {
            fail(stopper != null ? stopper : firstFailure(outcomes), failures(outcomes), children, meta);
            return;
        }
        Map<String, Object> writes;
        Object out;
        try {
            writes = merge.merge(parent, succeeded.stream()
                    .map(o -> new BranchWrites(o.job.name(), changes(parent, o.writes))).toList());
            out = output.shape(outcomes);
        } catch (Exception e) {
            fail(e, List.of(describe(e)), children, meta);
            return;
        }
        succeed(out, writes == null ? Map.of() : writes, children, meta);
    }

    /** Ends the step with {@link #finishBranches} once the fan-out is done; returns the step's result future. */
    CompletableFuture<StepResult> finishWhenDone(
            FanOut fanOut, BranchFailurePolicy policy, MergeStrategy merge,
            FlujoContext parent, Map<String, Object> metadata, OutputShape output) {
        fanOut.start().whenComplete((outcomes, error) -> {
            try {
                if (error != null) {
                    crash(error);
                } else {
                    finishBranches(outcomes, policy, merge, parent, metadata, output);
                }
            } catch (Throwable t) {
                crash(t);
            }
        });
        return result;
    }

    /**
     * What a branch really changed: a write of the value the key already had is none, whichever way the branch wrote it
     * (an endpoint branch only reports changes; a Java branch may put an equal value), so no merge strategy sees a
     * conflict where nothing changed.
     */
    private static Map<String, Object> changes(FlujoContext parent, Map<String, Object> writes) {
        Map<String, Object> changed = new LinkedHashMap<>();
        writes.forEach((k, v) -> {
            if (!java.util.Objects.equals(parent.get(k), v)) {
                changed.put(k, v);
            }
        });
        return changed;
    }

    /** Shapes a fan-out's output from its outcomes (a map by branch, a list by item, the one chosen output). */
    @FunctionalInterface
    interface OutputShape {
        Object shape(List<FanOut.Outcome> outcomes) throws Exception;
    }

    /**
     * A failure no policy can ignore: a usage-limit breach or a configuration error of a branch's own. A branch
     * cancelled because of a sibling's breach carries that breach as its cancellation's cause; it is a cancellation.
     */
    private static Throwable stoppingFailure(List<FanOut.Outcome> outcomes) {
        for (FanOut.Outcome o : outcomes) {
            if (o.error != null && findOwn(o.error, UsageLimitExceededException.class) != null) {
                return o.error;
            }
        }
        for (FanOut.Outcome o : outcomes) {
            if (o.error != null && findOwn(o.error, FlujoConfigurationException.class) != null) {
                return o.error;
            }
        }
        return null;
    }

    /** Like {@link #find}, but not past a cancellation: what caused a cancellation is not this branch's failure. */
    static <T extends Throwable> T findOwn(Throwable error, Class<T> type) {
        return find(error, type, true);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type, boolean stopAtCancellation) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (stopAtCancellation && t instanceof FlujoCancelledException) {
                return null;
            }
        }
        return null;
    }

    /** A bug or an {@link Error} where none should be: the step still ends, so no caller waits forever. */
    void crash(Throwable t) {
        if (!result.isDone()) {
            fail(t, List.of(describe(t)), List.of(), Map.of());
        }
    }

    private StepResult record(
            Object output, boolean success, List<String> feedback, Map<String, Object> metadata,
            Map<String, Object> writes, List<StepResult> children) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(StepResult.META_KIND, step.kind());
        meta.putAll(metadata);
        StepResult stepResult = new StepResult(
                step.name(), output, success, 1, core.now() - startNanos,
                usageOf(children), feedback, meta, writes, children);
        run.record(stepResult);
        if (step.observer() != null) {
            try {
                step.observer().stepEnded(stepResult);
            } catch (RuntimeException e) {
                // telemetry must never fail a step
            }
        }
        return stepResult;
    }

    /** The result of one branch: its output or error, and the step results recorded in its branch run. */
    static StepResult branchResult(
            String name, Object output, Throwable error, boolean cancelled, long latencyNanos,
            List<StepResult> children, Map<String, Object> writes) {
        Map<String, Object> metadata = cancelled ? Map.of(StepResult.META_CANCELLED, true) : Map.of();
        List<String> feedback = error == null ? List.of() : List.of(describe(error));
        return new StepResult(
                name, error == null ? output : null, error == null, 1, latencyNanos, usageOf(children),
                feedback, metadata, writes, children);
    }

    static Usage usageOf(List<StepResult> results) {
        Usage total = Usage.ZERO;
        for (StepResult r : results) {
            total = total.plus(r.usage());
        }
        return total;
    }

    /** One feedback line per failed (not cancelled) branch, naming it. */
    static List<String> failures(List<FanOut.Outcome> outcomes) {
        List<String> lines = new ArrayList<>();
        for (FanOut.Outcome o : outcomes) {
            if (!o.succeeded() && !o.cancelled) {
                lines.add("branch " + o.job.name() + " failed: " + describe(o.error));
            }
        }
        return lines;
    }

    /** The first failure that is not a cancellation (the cause that stopped the others), else the first failure. */
    static Throwable firstFailure(List<FanOut.Outcome> outcomes) {
        Throwable cancelled = null;
        for (FanOut.Outcome o : outcomes) {
            if (!o.succeeded()) {
                if (!o.cancelled) {
                    return o.error;
                }
                cancelled = cancelled == null ? o.error : cancelled;
            }
        }
        return cancelled;
    }

    static List<StepResult> results(List<FanOut.Outcome> outcomes) {
        return outcomes.stream().map(o -> o.result).toList();
    }

    static List<String> failedNames(List<FanOut.Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.succeeded()).map(o -> o.job.name()).toList();
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The first throwable of the type in the cause chain, or {@code null}. */
    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        return find(error, type, false);
    }

    static boolean isCancellation(Throwable t) {
        return find(t, FlujoCancelledException.class) != null;
    }

    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
