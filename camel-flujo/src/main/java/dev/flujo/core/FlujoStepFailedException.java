package dev.flujo.core;

import java.util.List;

import dev.flujo.core.result.StepResult;

/**
 * A step failed after all its attempts and its fallback. Carries the step name, the number of attempts, the feedback
 * gathered from every failed attempt, the last cause and the run's step history up to and including this step's failed
 * result.
 */
public class FlujoStepFailedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;
    private final int attempts;
    private final List<String> feedback;
    private final transient StepResult result;
    private final transient List<StepResult> history;

    public FlujoStepFailedException(StepResult result, List<StepResult> history, Throwable cause) {
        super(describe(result, cause), cause);
        this.stepName = result.name();
        this.attempts = result.attempts();
        this.feedback = result.feedback();
        this.result = result;
        this.history = List.copyOf(history);
    }

    private static String describe(StepResult result, Throwable cause) {
        StringBuilder sb = new StringBuilder("Step '").append(result.name()).append("' failed after ")
                .append(result.attempts()).append(result.attempts() == 1 ? " attempt" : " attempts");
        if (Boolean.TRUE.equals(result.metadata().get(StepResult.META_FALLBACK))) {
            sb.append(" and its fallback");
        }
        String feedback = result.feedback().isEmpty() ? null : result.feedback().get(result.feedback().size() - 1);
        if (feedback != null) {
            sb.append("; feedback: ").append(feedback);
        }
        // the last feedback usually quotes the cause already: said once, a nested failure's message stays readable
        if (cause != null && (feedback == null || cause.getMessage() == null || !feedback.contains(cause.getMessage()))) {
            sb.append("; cause: ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return sb.toString();
    }

    public String getStepName() {
        return stepName;
    }

    public int getAttempts() {
        return attempts;
    }

    /** The feedback of each failed attempt, oldest first. */
    public List<String> getFeedback() {
        return feedback;
    }

    /** This step's failed result (success = false). */
    public StepResult getResult() {
        return result;
    }

    /** The run's step history up to and including this step. */
    public List<StepResult> getHistory() {
        return history;
    }
}
