package dev.flujo.core;

/**
 * A step stopped because the branch it runs in was cancelled: a sibling branch failed (with
 * {@code onBranchFailure=PROPAGATE}) or spent the run's budget; or because its executor stopped (the Camel context
 * stopping) while its agent call was still waiting for the answer. No further agent call is made for it, and an agent
 * call in flight is abandoned (its reply, if it comes, is dropped and its usage still booked).
 */
public class FlujoCancelledException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;

    public FlujoCancelledException(String stepName, Throwable reason) {
        super("Step '" + stepName + "' was cancelled: " + (reason == null ? "its branch was stopped" : reason.getMessage()),
              reason);
        this.stepName = stepName;
    }

    public String getStepName() {
        return stepName;
    }
}
