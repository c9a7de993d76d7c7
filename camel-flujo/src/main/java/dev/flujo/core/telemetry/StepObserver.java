package dev.flujo.core.telemetry;

import dev.flujo.core.result.StepResult;

/**
 * Told of every finished execution of a step, once, with its final result (success or not): what telemetry records. In
 * Camel it is the endpoint's Micrometer meters. Called on the thread that ends the step, so it must be quick and must
 * not throw (a throwing observer is ignored, never failing the step).
 */
@FunctionalInterface
public interface StepObserver {

    void stepEnded(StepResult result);

    /** Both observers, in order; {@code null}s are left out. */
    static StepObserver both(StepObserver first, StepObserver second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return result -> {
            first.stepEnded(result);
            second.stepEnded(result);
        };
    }
}
