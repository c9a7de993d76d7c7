package dev.flujo.core.step;

import dev.flujo.core.context.FlujoContext;

/**
 * Checks a step's output. All validators of a step run; their failures together become the attempt's feedback, handed
 * to the next attempt. A validator that throws counts as a failed validation.
 */
@FunctionalInterface
public interface FlujoValidator {

    ValidationResult validate(Object output, FlujoContext context) throws Exception;

    /** Used in feedback and result metadata; defaults to the class name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
