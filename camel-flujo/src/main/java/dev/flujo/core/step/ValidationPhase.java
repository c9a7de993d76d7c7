package dev.flujo.core.step;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every validator (not just until the first failure) so the next attempt gets all the feedback at once.
 */
final class ValidationPhase implements OutputPhase {

    private final List<FlujoValidator> validators;

    ValidationPhase(List<FlujoValidator> validators) {
        this.validators = List.copyOf(validators);
    }

    @Override
    public PhaseResult apply(PluginInput attempt) {
        List<String> failures = null;
        for (FlujoValidator validator : validators) {
            String failure;
            try {
                ValidationResult result = validator.validate(attempt.output(), attempt.context());
                failure = result == null ? validator.name() + " returned no result"
                        : result.valid() ? null
                        : validator.name() + ": " + (result.feedback() == null ? "invalid output" : result.feedback());
            } catch (Exception e) {
                failure = validator.name() + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (failure != null) {
                if (failures == null) {
                    failures = new ArrayList<>(validators.size());
                }
                failures.add(failure);
            }
        }
        if (failures == null) {
            return new PhaseResult.Continue(attempt.output());
        }
        return new PhaseResult.Fail("validation failed: " + String.join("; ", failures), failures, null);
    }
}
