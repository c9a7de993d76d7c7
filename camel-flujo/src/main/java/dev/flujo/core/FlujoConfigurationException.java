package dev.flujo.core;

import java.util.List;

/**
 * A step is configured wrongly: an invalid option value, an unresolvable reference, a cycle between fallbacks or
 * redirects. Raised at endpoint start wherever the problem can be seen then; never retried.
 */
public class FlujoConfigurationException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public FlujoConfigurationException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public FlujoConfigurationException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** One exception for several problems, e.g. everything {@code OptimizationConfig.validate()} found. */
    public FlujoConfigurationException(String context, List<String> problems) {
        super(context + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> getProblems() {
        return problems;
    }
}
