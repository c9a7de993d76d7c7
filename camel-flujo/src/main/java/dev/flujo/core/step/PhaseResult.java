package dev.flujo.core.step;

import java.util.List;

/** What one output phase decided about an attempt's output. */
public sealed interface PhaseResult {

    /** Go on to the next phase with this (possibly replaced) output. */
    record Continue(Object output) implements PhaseResult {
    }

    /**
     * The attempt failed.
     *
     * @param feedback           handed to the next attempt
     * @param validationFailures the individual validator messages (empty when the failure was not a validation)
     * @param cause              the exception behind the failure, if any
     */
    record Fail(String feedback, List<String> validationFailures, Throwable cause) implements PhaseResult {
        public Fail {
            validationFailures = validationFailures == null ? List.of() : List.copyOf(validationFailures);
        }
    }

    /** A plugin asked to call another agent with the same input. */
    record Redirect(String agent) implements PhaseResult {
    }
}
