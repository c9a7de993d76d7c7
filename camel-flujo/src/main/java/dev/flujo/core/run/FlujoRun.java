package dev.flujo.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.flujo.core.step.StepResult;
import dev.flujo.core.usage.Usage;
import dev.flujo.core.usage.UsageLedger;
import dev.flujo.core.usage.UsageLimits;

/**
 * One run: everything one input (one Camel exchange) and the steps it passes through share - a run id, the usage
 * ledger with its limits and the ordered history of step results.
 *
 * <p>Deliberately not here: the chain of fallbacks a call is running in. Parallel branches share the run, so that
 * chain belongs to a call path and travels with the agent request instead.
 *
 * <p>Thread-safe: parallel branches of one run record into it concurrently.
 */
public final class FlujoRun {

    private final String runId;
    private final UsageLedger ledger = new UsageLedger();
    private final List<StepResult> history = new ArrayList<>();

    public FlujoRun(String runId) {
        this.runId = runId;
    }

    public static FlujoRun create() {
        return new FlujoRun(UUID.randomUUID().toString());
    }

    public String runId() {
        return runId;
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

    @Override
    public String toString() {
        Usage u = usage();
        return "FlujoRun[" + runId + ", steps=" + history().size() + ", tokens=" + u.totalTokens() + ", costUsd="
                + u.costOrZero().toPlainString() + "]";
    }
}
