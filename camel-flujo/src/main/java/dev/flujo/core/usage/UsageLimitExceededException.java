package dev.flujo.core.usage;

import java.util.List;

import dev.flujo.core.FlujoException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;

/**
 * A run hit its token or cost limit. The run stops: no further agent is called. The exception keeps the partial results
 * (every step result recorded so far, including the step that hit the limit) and the usage totals.
 */
public class UsageLimitExceededException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;
    private final transient LimitBreach breach;
    private final transient UsageLimits limits;
    private final transient Usage totals;
    private final transient List<StepResult> history;

    public UsageLimitExceededException(String stepName, LimitBreach breach, UsageLimits limits, Usage totals,
                                       List<StepResult> history) {
        super("Usage limit reached in step '" + stepName + "': " + breach.describe() + "; run totals: "
              + totals.totalTokens() + " tokens, " + totals.costOrZero().toPlainString() + " USD");
        this.stepName = stepName;
        this.breach = breach;
        this.limits = limits;
        this.totals = totals;
        this.history = List.copyOf(history);
    }

    public String getStepName() {
        return stepName;
    }

    public LimitBreach getBreach() {
        return breach;
    }

    public UsageLimits getLimits() {
        return limits;
    }

    public Usage getTotals() {
        return totals;
    }

    /** The partial results: every step result of the run up to and including the one that hit the limit. */
    public List<StepResult> getPartialHistory() {
        return history;
    }
}
