package dev.flujo.core.resilience;

import java.time.Duration;

import dev.flujo.core.FlujoException;

/**
 * A step execution was not started: {@code maxConcurrentExecutions} executions of the step (or as many as its adaptive
 * limit allowed, {@code enableConcurrencyOptimization}) were in flight and no slot came free within
 * {@code maxConcurrentExecutionsWait}. Nothing was called and nothing was spent.
 */
public class StepRejectedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;

    public StepRejectedException(String stepName, int maxConcurrentExecutions, Duration waited) {
        super("Step '" + stepName + "' rejected: " + maxConcurrentExecutions + " executions in flight"
              + " (maxConcurrentExecutions) and none ended within " + waited.toMillis() + " ms");
        this.stepName = stepName;
    }

    /** Rejected by the adaptive limit of {@code enableConcurrencyOptimization}, at its current value. */
    public static StepRejectedException overAdaptiveLimit(String stepName, int limit, Duration waited) {
        return new StepRejectedException(
                stepName, "Step '" + stepName + "' rejected: " + limit + " executions in"
                          + " flight, its adaptive concurrency limit (enableConcurrencyOptimization), and none ended within "
                          + waited.toMillis() + " ms");
    }

    private StepRejectedException(String stepName, String message) {
        super(message);
        this.stepName = stepName;
    }

    public String getStepName() {
        return stepName;
    }
}
