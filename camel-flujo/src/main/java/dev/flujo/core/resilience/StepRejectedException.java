package dev.flujo.core.resilience;

import java.time.Duration;

import dev.flujo.core.FlujoException;

/**
 * A step execution was not started: {@code maxConcurrentExecutions} executions of the step were in flight and no
 * slot came free within {@code maxConcurrentExecutionsWait}. Nothing was called and nothing was spent.
 */
public class StepRejectedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;

    public StepRejectedException(String stepName, int maxConcurrentExecutions, Duration waited) {
        super("Step '" + stepName + "' rejected: " + maxConcurrentExecutions + " executions in flight"
                + " (maxConcurrentExecutions) and none ended within " + waited.toMillis() + " ms");
        this.stepName = stepName;
    }

    public String getStepName() {
        return stepName;
    }
}
