package dev.flujo.core;

import java.util.List;

/**
 * An agent answered but its output was rejected - by validators, by a plugin's feedback, or by the
 * {@code updatesContext} shape check. The cause of a {@link FlujoStepFailedException} whose last attempt ended so.
 */
public class OutputRejectedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final List<String> validationFailures;

    public OutputRejectedException(String feedback, List<String> validationFailures) {
        super(feedback);
        this.validationFailures = List.copyOf(validationFailures);
    }

    /** The individual validator messages; empty when a plugin or the shape check rejected the output. */
    public List<String> getValidationFailures() {
        return validationFailures;
    }
}
