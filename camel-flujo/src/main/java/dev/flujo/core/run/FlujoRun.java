package dev.flujo.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLedger;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.core.usage.UsageLimits;

/**
 * One run: everything one input (one Camel exchange) and the steps it passes through share - a run id, the usage ledger
 * with its limits, the ordered history of step results and the interactions with people.
 *
 * <p>
 * A composite step (parallel, loop, map, ...) runs each branch in a <em>branch run</em> ({@link #branch()}): it shares
 * the run id, the ledger (so limits hold across branches) and the human history, but keeps its own step history (which
 * becomes the branch's children in the composite's result) and can be cancelled on its own, e.g. when a sibling fails.
 * Cancelling a run cancels its branch runs.
 *
 * <p>
 * Deliberately not here: the chain of fallbacks a call is running in. Parallel branches share the run, so that chain
 * belongs to a call path and travels with the agent request instead.
 *
 * <p>
 * Thread-safe: parallel branches of one run record into it concurrently.
 */
public final class FlujoRun {

    private final String runId;
    private final UsageLedger ledger;
    private final List<StepResult> history = new ArrayList<>(4);
    /** Kept by the top-level run only (branch runs ask it); created on the first interaction. */
    private List<HumanInteraction> humanHistory;
    private final FlujoRun parent;
    /**
     * Created when a branch run is made or a listener registers: a top-level run that never branches - most runs -
     * allocates no signal.
     */
    private volatile CancelSignal cancelSignal;
    private CancelSignal.Registration parentLink;
    /** The last usage-limit breach raised in this run or in one of its branch runs; {@code null} while none was. */
    private volatile UsageLimitExceededException breach;
    /** Who may pause the run (in Camel, the id of the exchange it belongs to); {@code null} = anyone. */
    private volatile String owner;

    public FlujoRun(String runId) {
        this(runId, new UsageLedger(), null);
    }

    private FlujoRun(String runId, UsageLedger ledger, FlujoRun parent) {
        this.runId = runId;
        this.ledger = ledger;
        this.parent = parent;
    }

    private FlujoRun top() {
        FlujoRun run = this;
        while (run.parent != null) {
            run = run.parent;
        }
        return run;
    }

    private CancelSignal signal() {
        CancelSignal signal = cancelSignal;
        if (signal == null) {
            synchronized (this) {
                signal = cancelSignal;
                if (signal == null) {
                    signal = new CancelSignal();
                    cancelSignal = signal;
                }
            }
        }
        return signal;
    }

    public static FlujoRun create() {
        return new FlujoRun(UUID.randomUUID().toString());
    }

    /**
     * A run continued after a pause, possibly in another JVM: the same id, the usage spent and limits set before, the
     * step history and the interactions with people so far.
     */
    public static FlujoRun restore(
            String runId, List<StepResult> history, Usage usage, UsageLimits limits,
            List<HumanInteraction> humanHistory) {
        FlujoRun run = new FlujoRun(runId, new UsageLedger(usage, limits), null);
        run.history.addAll(history);
        if (!humanHistory.isEmpty()) {
            run.humanHistory = new ArrayList<>(humanHistory);
        }
        return run;
    }

    /**
     * A branch run for one branch of a composite step; cancelled when this run is. Call {@link #detach()} when the
     * branch ends, so that a long-lived run does not keep listeners of finished branches.
     */
    public FlujoRun branch() {
        FlujoRun child = new FlujoRun(runId, ledger, this);
        child.parentLink = signal().onCancel(child::cancel);
        return child;
    }

    /** Whether this is a branch run of a composite step rather than the run of an exchange. */
    public boolean isBranch() {
        return parent != null;
    }

    /** Ends a branch run's link to its parent; a no-op for a top-level run. */
    public void detach() {
        CancelSignal.Registration link = parentLink;
        if (link != null) {
            link.remove();
        }
    }

    /** Cancels this run and its branch runs: no step of it calls an agent any more. */
    public void cancel(Throwable reason) {
        signal().cancel(reason);
    }

    /** Why this run was cancelled, or {@code null} while it was not. */
    public Throwable cancellation() {
        CancelSignal signal = cancelSignal;
        return signal == null ? null : signal.reason();
    }

    /**
     * Remembers that a step of this run raised a usage-limit breach: this run, and every run it is a branch of, is
     * breached from now on, even if the exception itself is later caught (a Camel handler on a branch route, say). The
     * step that owns a branch asks its branch run ({@link #breach()}) when the branch ends normally.
     */
    public void recordBreach(UsageLimitExceededException exceeded) {
        for (FlujoRun run = this; run != null; run = run.parent) {
            run.breach = exceeded;
        }
    }

    /**
     * The last usage-limit breach raised in this run or in one of its branch runs, whether or not anyone caught it;
     * {@code null} while none was.
     */
    public UsageLimitExceededException breach() {
        return breach;
    }

    /**
     * Registers what to do when this run is cancelled (abandon an agent call in flight). Only branch runs can be
     * cancelled, so a top-level run returns {@code null} and callers keep their fast path.
     */
    public CancelSignal.Registration onCancel(Consumer<Throwable> listener) {
        return parent == null ? null : signal().onCancel(listener);
    }

    public String runId() {
        return runId;
    }

    /** The host's id of whatever owns this run (the exchange), or {@code null}; see {@link #ownedBy}. */
    public String owner() {
        return owner;
    }

    /**
     * Binds the run to its owner - in Camel the exchange that created or resumed it - so that copies of that exchange,
     * which share the run object, can be told apart from it (only the owner may pause the run).
     */
    public FlujoRun ownedBy(String ownerId) {
        this.owner = ownerId;
        return this;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public Usage usage() {
        return ledger.totals();
    }

    public UsageLimits limits() {
        return ledger.limits();
    }

    public void record(StepResult result) {
        synchronized (history) {
            history.add(result);
        }
    }

    /** A snapshot of the step results so far, in the order they finished. */
    public List<StepResult> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The last result recorded for the step, or {@code null}. */
    public StepResult lastResult(String stepName) {
        synchronized (history) {
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i).name().equals(stepName)) {
                    return history.get(i);
                }
            }
        }
        return null;
    }

    /** The run's interactions with people, oldest first. */
    public List<HumanInteraction> humanHistory() {
        FlujoRun top = top();
        synchronized (top.history) {
            return top.humanHistory == null ? List.of() : List.copyOf(top.humanHistory);
        }
    }

    public void recordHumanInteraction(HumanInteraction interaction) {
        FlujoRun top = top();
        synchronized (top.history) {
            if (top.humanHistory == null) {
                top.humanHistory = new ArrayList<>(2);
            }
            top.humanHistory.add(interaction);
        }
    }

    @Override
    public String toString() {
        Usage u = usage();
        return "FlujoRun[" + runId + ", steps=" + history().size() + ", tokens=" + u.totalTokens() + ", costUsd="
               + u.costOrZero().toPlainString() + "]";
    }
}
