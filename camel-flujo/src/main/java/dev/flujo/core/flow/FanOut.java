package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;

/**
 * Runs a set of branches side by side, each on its own copy of the context and in its own branch run, at most
 * {@code maxConcurrency} at a time, and completes when every branch has ended. The shared engine of the parallel, map,
 * conditional and router kinds.
 *
 * <p>
 * A branch failure that stops the step (any failure under {@link BranchFailurePolicy#PROPAGATE}; a usage-limit breach
 * or configuration error always) cancels the other branches: those not yet started never start, and those running make
 * no further agent call and abandon the one in flight. The step still waits for them to end, so no branch outlives the
 * step's result.
 */
final class FanOut {

    /** One branch to run. */
    record Job(String name, FlujoBranch branch, Object input) {
    }

    /** How one branch ended; in declared order, whatever order the branches finished in. */
    static final class Outcome {
        final Job job;
        Object output;
        Throwable error;
        boolean cancelled;
        Map<String, Object> writes = Map.of();
        StepResult result;

        Outcome(Job job) {
            this.job = job;
        }

        boolean succeeded() {
            return error == null;
        }
    }

    private final ExecutorCore core;
    private final String stepName;
    private final boolean copyOnWrite;
    private final List<Job> jobs;
    private final FlujoContext context;
    private final FlujoRun run;
    private final BranchFailurePolicy onFailure;
    private final Outcome[] outcomes;
    private final CopyOnWriteContext[] contexts;
    private final FlujoRun[] branchRuns;
    private final AtomicInteger nextToStart = new AtomicInteger();
    private final AtomicInteger running;
    private final int concurrency;
    private final CompletableFuture<List<Outcome>> done = new CompletableFuture<>();
    private volatile Throwable stopReason;

    FanOut(ExecutorCore core, CompositeStep step, List<Job> jobs, FlujoContext context, FlujoRun run,
           BranchFailurePolicy onFailure, int maxConcurrency) {
        this.core = core;
        this.stepName = step.name();
        this.copyOnWrite = step.copyOnWriteContexts();
        this.jobs = jobs;
        this.context = context;
        this.run = run;
        this.onFailure = onFailure;
        this.outcomes = new Outcome[jobs.size()];
        this.contexts = new CopyOnWriteContext[jobs.size()];
        this.branchRuns = new FlujoRun[jobs.size()];
        this.running = new AtomicInteger(jobs.size());
        this.concurrency = maxConcurrency <= 0 ? jobs.size() : Math.min(maxConcurrency, jobs.size());
    }

    /** @throws FlujoConfigurationException naming the step when {@code maxConcurrency} is negative */
    static void checkMaxConcurrency(String kind, CompositeStep step, int maxConcurrency) {
        if (maxConcurrency < 0) {
            throw new FlujoConfigurationException(kind + " step '" + step.name() + "': maxConcurrency must be >= 0");
        }
    }

    CompletableFuture<List<Outcome>> start() {
        if (jobs.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        // copies are made here, on one thread: copying a context is cheap but not thread-safe. One snapshot of the
        // context (an exchange's properties are read once), then an O(1) copy of it per branch
        CopyOnWriteContext snapshot = context.copy();
        for (int i = 0; i < jobs.size(); i++) {
            outcomes[i] = new Outcome(jobs.get(i));
            contexts[i] = CopyOnWriteContext.branchCopy(snapshot, copyOnWrite);
            branchRuns[i] = run.branch();
        }
        if (jobs.size() == 1) {
            launch(nextToStart.getAndIncrement()); // nothing to run beside it: no hand-off to another thread
        } else {
            // claimed before any dispatch: a branch that ends at once hands its slot to index `concurrency` on
            nextToStart.set(concurrency);
            for (int i = 0; i < concurrency; i++) {
                int index = i;
                core.dispatch(() -> launch(index));
            }
        }
        return done;
    }

    private void launch(int i) {
        Outcome outcome = outcomes[i];
        Job job = outcome.job;
        long start = core.now();
        Throwable stopped = stopReason != null ? stopReason : run.cancellation();
        if (stopped != null) {
            // a sibling failed, or the run this step is part of was cancelled: this branch never starts
            settle(i, start, null, new FlujoCancelledException(stepName + "/" + job.name(), stopped));
            return;
        }
        CompletionStage<Object> stage;
        try {
            stage = job.branch().run(new BranchCall(
                    stepName, job.name(), job.input(), contexts[i], context,
                    branchRuns[i]));
            if (stage == null) {
                throw new IllegalStateException("Branch '" + job.name() + "' returned no CompletionStage");
            }
        } catch (Throwable t) {
            settle(i, start, null, t);
            return;
        }
        stage.whenComplete((output, error) -> settle(i, start, output, error));
    }

    private void settle(int i, long start, Object output, Throwable error) {
        // whatever happens here, the slot is handed on and the count goes down: a step never waits forever
        try {
            Outcome outcome = outcomes[i];
            FlujoRun branchRun = branchRuns[i];
            branchRun.detach();
            Throwable cause = error == null ? null : Composite.unwrap(error);
            outcome.output = output;
            outcome.error = cause;
            outcome.cancelled = cause != null && (stopReason != null || run.cancellation() != null)
                    && Composite.find(cause, FlujoCancelledException.class) != null;
            if (cause == null) {
                outcome.writes = contexts[i].writes();
            }
            outcome.result = Composite.branchResult(outcome.job.name(), output, cause, outcome.cancelled,
                    core.now() - start, branchRun.history(), outcome.writes);
            if (cause != null && !outcome.cancelled && stops(cause)) {
                stop(cause, outcome.job.name());
            }
        } finally {
            startNextOrFinish();
        }
    }

    private void startNextOrFinish() {
        int next = nextToStart.getAndIncrement();
        if (next < jobs.size()) {
            // keeps maxConcurrency in flight: the finished branch hands its slot on; dispatched, so that a long list
            // of synchronous branches does not grow this thread's stack
            core.dispatch(() -> launch(next));
        }
        if (running.decrementAndGet() == 0) {
            done.complete(List.of(outcomes));
        }
    }

    private boolean stops(Throwable cause) {
        return onFailure == BranchFailurePolicy.PROPAGATE
                || Composite.findOwn(cause, UsageLimitExceededException.class) != null
                || Composite.findOwn(cause, FlujoConfigurationException.class) != null;
    }

    private void stop(Throwable cause, String failedBranch) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = new FlujoCancelledException(
                    stepName, new IllegalStateException(
                            "branch '" + failedBranch + "' of step '" + stepName + "' failed: " + cause.getMessage(), cause));
        }
        for (FlujoRun branchRun : branchRuns) {
            branchRun.cancel(stopReason);
        }
    }

    static List<Outcome> succeeded(List<Outcome> outcomes) {
        List<Outcome> ok = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            if (o.succeeded()) {
                ok.add(o);
            }
        }
        return ok;
    }
}
