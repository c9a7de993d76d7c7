package dev.flujo.core.step;

/**
 * @param valid    whether the output passed
 * @param feedback why not, phrased for the agent's next attempt
 */
public record ValidationResult(boolean valid, String feedback) {

    private static final ValidationResult OK = new ValidationResult(true, null);

    public static ValidationResult ok() {
        return OK;
    }

    public static ValidationResult fail(String feedback) {
        return new ValidationResult(false, feedback);
    }
}
