package dev.flujo.core.resilience;

import dev.flujo.core.FlujoException;

/**
 * An agent was not called because its circuit breaker is open: recent calls failed, and the breaker lets a probe
 * through only after its recovery time. Retrying at once cannot help, so the step goes to its fallback (if any) or
 * fails with this as the cause.
 */
public class CircuitOpenException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;
    private final String breakerName;

    public CircuitOpenException(String stepName, String agentName, String breakerName, String state) {
        super("Step '" + stepName + "': agent " + agentName + " not called, circuit breaker '" + breakerName + "' is "
              + state);
        this.stepName = stepName;
        this.breakerName = breakerName;
    }

    public String getStepName() {
        return stepName;
    }

    public String getBreakerName() {
        return breakerName;
    }
}
